// Package progress holds what runners report while they run: a Snapshot for progress lines, the
// coarse latency Gauge behind its p99 over the last second, and Start, which calls a callback about
// once a second.
package progress

import (
	"sync"
	"time"
)

// Snapshot is the state of a running run, for progress lines.
type Snapshot struct {
	Elapsed  time.Duration
	Due      uint64 // events the schedule has due by Elapsed (this shard's), sent or not
	Sent     uint64
	Verdicts uint64
	Behind   uint64
	P99      time.Duration // end-to-end, over the last second (Gauge.Window, within a factor of 2^(1/4)); 0: no verdict in it
}

// Start calls fn with snap() about once a second until the returned stop function is called; it does
// nothing when fn is nil.
func Start(fn func(Snapshot), snap func() Snapshot) (stop func()) {
	if fn == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fn(snap())
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
