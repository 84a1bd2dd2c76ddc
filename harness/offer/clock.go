package offer

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/harness/transport"
)

// scratch is where a sender renders its records: straight into its transport's send buffer when the
// transport offers one (transport.Buffered: no copy per record), else into a buffer of its own.
type scratch struct {
	tr      transport.Buffered // nil: the transport offers none
	own     []byte
	inOwn   bool // the last dst was own
	longest int  // the longest record rendered so far: the room asked of tr
}

func newScratch(tr transport.Sender) scratch {
	b, _ := tr.(transport.Buffered)
	return scratch{tr: b, own: make([]byte, 0, 64<<10)}
}

// dst returns the empty slice to render the next record into.
func (s *scratch) dst() []byte {
	if s.tr != nil {
		if b := s.tr.Buffer(s.longest); b != nil {
			s.inOwn = false
			return b
		}
	}
	s.inOwn = true
	return s.own[:0]
}

// rendered notes record rec, rendered into the last dst: the room to ask for next, and own's growth.
func (s *scratch) rendered(rec []byte) {
	s.longest = max(s.longest, len(rec))
	if s.inOwn {
		s.own = rec[:0]
	}
}

// batchClock reads a run's clock for a sender: one reading per record in the common case. A record
// due by the reading that stamped the previous record written may go without a new reading (time only
// moves forward, so it is due now too); a record is always stamped written with a fresh reading, so its
// send lag is exact however long the sends before it blocked on the collector's backpressure.
type batchClock struct {
	now func() int64
	t   int64 // the reading that stamped the last record written
}

// check returns a reading of the run's clock to decide whether a record due at due may go: the last
// written stamp when the record was due by it, else a fresh reading.
func (c *batchClock) check(due int64) int64 {
	if due <= c.t {
		return c.t
	}
	return c.now()
}

// written returns a fresh reading to stamp the record just rendered as written.
func (c *batchClock) written() int64 {
	c.t = c.now()
	return c.t
}

// sleepUntil waits until the run's clock now reaches due, or ctx is done (false). Waits of a few
// milliseconds and more sleep on a timer; the last stretch (Go's timers wake no sooner than a millisecond
// later on Linux) sleeps in the kernel with shortSleep, so a sender neither overshoots by a millisecond
// nor spins a core at moderate rates. What overshoot remains is honest lateness, measured as send lag.
func sleepUntil(ctx context.Context, now func() int64, due time.Duration) bool {
	for {
		wait := due - time.Duration(now())
		switch {
		case wait <= 0:
			return true
		case wait <= timerFloor:
			shortSleep(wait)
			continue
		}
		t := timerPool.Get().(*time.Timer)
		t.Reset(wait - timerFloor)
		select {
		case <-ctx.Done():
			t.Stop()
			timerPool.Put(t)
			return false
		case <-t.C:
			timerPool.Put(t)
		}
	}
}

// WaitUntil waits until the wall-clock time t (the zero Time: not at all) or until ctx is done.
func WaitUntil(ctx context.Context, t time.Time) {
	d := time.Until(t)
	if t.IsZero() || d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}

// timerFloor is the shortest wait left to a runtime timer.
const timerFloor = 2 * time.Millisecond

// timerPool reuses stopped timers, so pacing allocates nothing per wait.
var timerPool = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}}

// StopClock keeps the run clock at which a run was interrupted, once. The zero value is ready.
type StopClock struct{ at atomic.Int64 }

// Watch records the time now() when ctx ends (-1, before any record was due, if it has already
// ended); call the result to stop watching.
func (c *StopClock) Watch(ctx context.Context, now func() int64) func() bool {
	if ctx.Err() != nil {
		c.at.Store(-1)
	}
	return context.AfterFunc(ctx, func() { c.Time(now) })
}

// Time returns the run clock of the interrupt, taking now() if it has not been recorded yet.
func (c *StopClock) Time(now func() int64) int64 {
	c.at.CompareAndSwap(0, max(now(), 1))
	return c.at.Load()
}
