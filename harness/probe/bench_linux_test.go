package probe

import (
	"os"
	"testing"
	"time"
)

// treeSource returns a /proc source of a small tree: a parent (a Go process with its threads) and the
// child it started.
func treeSource(tb testing.TB) source {
	tb.Helper()
	c := startChild(tb, "parent")
	src, _, err := newSource(c.Process.Pid)
	if err != nil {
		tb.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r, err := src.sample()
		if err != nil {
			tb.Fatal(err)
		}
		if r.procs == 2 {
			return src
		}
		if time.Now().After(deadline) {
			tb.Fatalf("tree has %d processes after 5s; want 2", r.procs)
		}
	}
}

// BenchmarkSample is one sample of a process tree: at 10 samples a second, the share of a core
// sampling costs is ten times the time per sample.
func BenchmarkSample(b *testing.B) {
	for _, c := range []struct {
		name string
		src  func(testing.TB) source
	}{
		{"tree-of-2", treeSource},
		{"self", func(tb testing.TB) source {
			src, _, err := newSource(os.Getpid())
			if err != nil {
				tb.Fatal(err)
			}
			return src
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			src := c.src(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := src.sample(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*10/1e9*100, "%core@10/s")
		})
	}
}

// TestSampleAllocs: a sample of a steady tree, read and summarised, allocates nothing once its buffers
// have grown.
func TestSampleAllocs(t *testing.T) {
	src := treeSource(t)
	sum := newSummary(clockTick(), DefaultInterval, DefaultWindow, DefaultPoints)
	start := time.Now()
	var err error
	take := func() {
		var r reading
		if r, err = src.sample(); err == nil {
			sum.add(time.Since(start), r.delta, r.rss, r.procs)
		}
	}
	for range 3 {
		take()
	}
	if n := testing.AllocsPerRun(2000, take); n != 0 || err != nil {
		t.Errorf("%v allocations per sample (err %v); want 0", n, err)
	}
}
