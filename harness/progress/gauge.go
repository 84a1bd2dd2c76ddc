package progress

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Gauge is a lock-free, coarse latency histogram for progress lines: buckets a quarter of a power of two
// wide, from 1ns to about 2^64ns. The report's percentiles come from the HDR histograms, not from here.
type Gauge struct {
	buckets [4 * 64]atomic.Uint64
}

func gaugeBucket(ns int64) int {
	if ns <= 1 {
		return 0
	}
	u := uint64(ns)
	exp := 63 - bits.LeadingZeros64(u)
	// The two bits below the leading one pick the quarter.
	var quarter int
	if exp >= 2 {
		quarter = int(u>>(exp-2)) & 3
	} else {
		quarter = int(u<<(2-exp)) & 3
	}
	return exp*4 + quarter
}

// Record counts one latency of ns nanoseconds; it may be called from any goroutine.
func (g *Gauge) Record(ns int64) { g.buckets[gaugeBucket(ns)].Add(1) }

// Quantile returns the upper bound of the bucket holding quantile q (0 < q <= 1), 0 when empty.
func (g *Gauge) Quantile(q float64) time.Duration {
	var total uint64
	for i := range g.buckets {
		total += g.buckets[i].Load()
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i := range g.buckets {
		seen += g.buckets[i].Load()
		if seen >= rank {
			exp, quarter := i/4, i%4
			upper := math.Ldexp(1+float64(quarter+1)/4, exp)
			return time.Duration(upper)
		}
	}
	return 0
}
