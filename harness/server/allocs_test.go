package server

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
)

// TestCollectAllocs runs the collect path as `nssbench collect -out` does (listener, framing, pipeline,
// JSON lines sink) over one loopback connection and checks that a record allocates nothing in steady
// state: the heap allocations of a second batch of records, after a first one warmed it up.
func TestCollectAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation measurement over 300,000 records")
	}
	lines := feedLines(t, "firewall", 2048)
	lines = append(lines, feedLines(t, "web", 2048)...)
	srv, err := Start(Config{
		Listen:   []string{"tcp://127.0.0.1:0"},
		Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
		Sink:     NewJSONLines(io.Discard),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tr, err := transport.Dial(context.Background(), srv.URLs()[0], transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	sent := uint64(0)
	batch := func(n int) {
		for i := range n {
			if err := tr.Send(0, lines[i%len(lines)]); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Flush(); err != nil {
			t.Fatal(err)
		}
		sent += uint64(n)
		for deadline := time.Now().Add(time.Minute); srv.Counters().Received.Load() < sent; {
			if time.Now().After(deadline) {
				t.Fatalf("collector decided %d of %d records", srv.Counters().Received.Load(), sent)
			}
			time.Sleep(time.Millisecond)
		}
	}
	batch(50_000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 250_000
	batch(n)
	runtime.ReadMemStats(&after)
	per := float64(after.Mallocs-before.Mallocs) / n
	t.Logf("collect: %.5f mallocs per record over %d records", per, n)
	if per > 0.01 {
		t.Errorf("collect: %.5f mallocs per record in steady state, want at most 0.01", per)
	}
}
