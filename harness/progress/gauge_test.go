package progress

import (
	"testing"
	"time"
)

func TestGauge(t *testing.T) {
	var g Gauge
	if g.Window(0.99) != 0 {
		t.Fatal("empty gauge has a quantile")
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}, {1, time.Millisecond}} {
		for i := 1; i <= 1000; i++ {
			g.Record(int64(i) * int64(time.Microsecond))
		}
		got := g.Window(tc.q)
		// The bucket's upper bound is at most a quarter power of two above the true value.
		if got < tc.want || float64(got) > float64(tc.want)*1.26 {
			t.Errorf("quantile(%v) = %v; want within [%v, %v·1.26]", tc.q, got, tc.want, tc.want)
		}
	}
}

func TestGaugeBucketMonotonic(t *testing.T) {
	prev := 0
	for ns := int64(1); ns < 1<<40; ns = ns*9/8 + 1 {
		b := gaugeBucket(ns)
		if b < prev {
			t.Fatalf("gaugeBucket(%d) = %d < %d", ns, b, prev)
		}
		prev = b
	}
}

// TestGaugeWindow: each window holds only what was recorded since the previous one; an empty window
// reads 0, whatever came before.
func TestGaugeWindow(t *testing.T) {
	var g Gauge
	for range 1000 {
		g.Record(int64(time.Second))
	}
	if got := g.Window(0.99); got < time.Second || got > 2*time.Second {
		t.Fatalf("first window p99 %v; want about 1s", got)
	}
	for range 10 {
		g.Record(int64(time.Millisecond))
	}
	if got := g.Window(0.99); got < time.Millisecond || got > 2*time.Millisecond {
		t.Errorf("second window p99 %v; want about 1ms: the window forgets the first second's 1000 samples of 1s", got)
	}
	if got := g.Window(0.99); got != 0 {
		t.Errorf("empty third window p99 %v; want 0", got)
	}
	for range 10 { // into the histogram the first window used, after its swap back
		g.Record(int64(time.Microsecond))
	}
	if got := g.Window(1); got > 2*time.Microsecond {
		t.Errorf("fourth window max %v; want about 1µs: a reused histogram starts empty", got)
	}
}

// TestGaugeRecordAllocs: recording allocates nothing.
func TestGaugeRecordAllocs(t *testing.T) {
	var g Gauge
	if n := testing.AllocsPerRun(1000, func() { g.Record(12345) }); n != 0 {
		t.Errorf("Record allocates %v times; want 0", n)
	}
}
