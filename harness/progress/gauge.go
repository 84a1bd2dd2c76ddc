package progress

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// gaugeBuckets is the number of buckets of a Gauge's histogram.
const gaugeBuckets = 4 * 64

// Gauge is a lock-free, coarse latency histogram for progress lines, over windows of time: Record counts
// into the current window and Window ends it, reading its quantile and starting the next. Its buckets
// are a quarter of a power of two wide, from 1ns to about 2^64ns. The report's percentiles come from the
// HDR histograms, not from here.
//
// It keeps two histograms and swaps them at each Window, so that recording never waits and never
// allocates; the zero value is ready to use.
type Gauge struct {
	cur     atomic.Uint32 // the histogram Record counts into: windows[cur&1]
	windows [2][gaugeBuckets]atomic.Uint64
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

// Record counts one latency of ns nanoseconds in the current window; it may be called from any
// goroutine.
func (g *Gauge) Record(ns int64) { g.windows[g.cur.Load()&1][gaugeBucket(ns)].Add(1) }

// Window ends the current window and returns the upper bound of the bucket holding quantile q (0 < q
// <= 1) of the latencies recorded in it — since the previous call, or since the start — or 0 when
// there were none; the next window starts empty. Call it from one goroutine (Start's, once a second,
// makes windows of one second). A Record racing with the switch may count in the window after.
func (g *Gauge) Window(q float64) time.Duration {
	ended := &g.windows[(g.cur.Add(1)-1)&1]
	var counts [gaugeBuckets]uint64
	var total uint64
	for i := range ended {
		counts[i] = ended[i].Swap(0)
		total += counts[i]
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i, n := range counts {
		seen += n
		if seen >= rank {
			exp, quarter := i/4, i%4
			upper := math.Ldexp(1+float64(quarter+1)/4, exp)
			return time.Duration(upper)
		}
	}
	return 0
}
