package progress

import (
	"testing"
	"time"
)

func TestGauge(t *testing.T) {
	var g Gauge
	if g.Quantile(0.99) != 0 {
		t.Fatal("empty gauge has a quantile")
	}
	for i := 1; i <= 1000; i++ {
		g.Record(int64(i) * int64(time.Microsecond))
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}, {1, time.Millisecond}} {
		got := g.Quantile(tc.q)
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
