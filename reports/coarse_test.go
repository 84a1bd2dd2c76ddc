package reports

import (
	"testing"
	"time"
)

func TestCoarseBuckets(t *testing.T) {
	// Every bucket's range starts right after the previous bucket's upper bound and is at most 1/8 of its
	// lower bound wide.
	for i := 1; i < coarseBuckets; i++ {
		lo, hi := coarseUpper(i-1)+1, coarseUpper(i)
		if coarseIndex(int64(lo)) != i || coarseIndex(int64(hi)) != i {
			t.Fatalf("bucket %d = [%d, %d]: index(lo) = %d, index(hi) = %d", i, lo, hi, coarseIndex(int64(lo)), coarseIndex(int64(hi)))
		}
		if w := hi - lo + 1; float64(w) > float64(lo)/8 {
			t.Fatalf("bucket %d = [%d, %d] is %d wide: more than 12.5%% of its lower bound", i, lo, hi, w)
		}
	}
	tests := []struct {
		v    int64
		want int
	}{
		{-5, 0},
		{0, 0},
		{1023, 0},
		{1024, 1},
		{1151, 1},
		{1152, 2},
		{2047, 8},
		{2048, 9},
		{int64(time.Millisecond), coarseIndex(int64(time.Millisecond))},
		{1<<43 - 1, coarseBuckets - 1},
		{1 << 62, coarseBuckets - 1},
	}
	for _, tt := range tests {
		if got := coarseIndex(tt.v); got != tt.want {
			t.Errorf("coarseIndex(%d) = %d; want %d", tt.v, got, tt.want)
		}
	}
}

func TestCoarseQuantile(t *testing.T) {
	var c coarse
	if got := c.quantile(50); got != 0 {
		t.Errorf("empty quantile(50) = %v; want 0", got)
	}
	for i := int64(1); i <= 100; i++ {
		c.record(i * int64(time.Millisecond))
	}
	tests := []struct {
		p    float64
		want time.Duration // the true value; the quantile may overstate it by at most 12.5%
	}{
		{1, time.Millisecond},
		{50, 50 * time.Millisecond},
		{99, 99 * time.Millisecond},
		{100, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		got := c.quantile(tt.p)
		if got < tt.want || float64(got) > float64(tt.want)*1.125 {
			t.Errorf("quantile(%v) = %v; want within [%v, +12.5%%]", tt.p, got, tt.want)
		}
	}
	var d coarse
	if err := d.addSparse(c.sparse()); err != nil || d != c {
		t.Errorf("addSparse(sparse()) = %v; copy differs", err)
	}
	d.merge(&c)
	if d.total() != 200 || d.quantile(50) != c.quantile(50) {
		t.Errorf("merged: total %d, p50 %v; want 200, %v", d.total(), d.quantile(50), c.quantile(50))
	}
	var s coarse
	s.add(5, 1<<40)
	s.record(int64(coarseUpper(5)))
	if s[5] != ^uint32(0) {
		t.Errorf("bucket did not saturate: %d", s[5])
	}
}
