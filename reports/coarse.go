package reports

import (
	"fmt"
	"math"
	"math/bits"
	"time"
)

// coarse is the fixed-bucket latency histogram kept per timeline second. Its buckets are log-linear: 8
// per power of two from 2^10 ns (~1 µs) to 2^43 ns (~2.4 h), plus one bucket for everything below 1024 ns
// and the last bucket absorbing everything above. A bucket is at most 1/8 of its lower bound wide, so a
// percentile read as its bucket's upper bound overstates the true value by at most 12.5%. Counts add, so
// seconds of merged shards combine exactly. Size: coarseBuckets × 4 bytes (~1 KiB) per second with data.
type coarse [coarseBuckets]uint32

const (
	coarseSubBits = 3 // log2 of the buckets per power of two
	coarseSub     = 1 << coarseSubBits
	coarseMinExp  = 10 // 2^10 ns: values below fall in bucket 0
	coarseMaxExp  = 42 // the last power of two with its own buckets: [2^42, 2^43) ns
	coarseBuckets = 1 + (coarseMaxExp-coarseMinExp+1)*coarseSub
)

// coarseIndex returns the bucket of a duration of v nanoseconds.
func coarseIndex(v int64) int {
	if v < 1<<coarseMinExp {
		return 0
	}
	e := bits.Len64(uint64(v)) - 1 // v is in [2^e, 2^(e+1))
	if e > coarseMaxExp {
		return coarseBuckets - 1
	}
	sub := int(uint64(v)>>(e-coarseSubBits)) & (coarseSub - 1)
	return 1 + (e-coarseMinExp)*coarseSub + sub
}

// coarseUpper returns the highest duration that falls in bucket i.
func coarseUpper(i int) time.Duration {
	if i <= 0 {
		return 1<<coarseMinExp - 1
	}
	i--
	e := coarseMinExp + i/coarseSub
	sub := int64(i % coarseSub)
	return time.Duration(int64(1)<<e + (sub+1)<<(e-coarseSubBits) - 1)
}

// record counts one duration of v nanoseconds; the bucket saturates rather than wraps.
func (c *coarse) record(v int64) {
	i := coarseIndex(v)
	if c[i] != ^uint32(0) {
		c[i]++
	}
}

// add adds n to bucket i, saturating.
func (c *coarse) add(i int, n uint64) {
	s := uint64(c[i]) + n
	if s > uint64(^uint32(0)) {
		s = uint64(^uint32(0))
	}
	c[i] = uint32(s)
}

// merge adds o's counts to c.
func (c *coarse) merge(o *coarse) {
	for i, n := range o {
		if n != 0 {
			c.add(i, uint64(n))
		}
	}
}

// total returns the number of recorded durations.
func (c *coarse) total() uint64 {
	var t uint64
	for _, n := range c {
		t += uint64(n)
	}
	return t
}

// quantile returns the upper bound of the bucket holding the p-th percentile (0 < p ≤ 100), or 0 for an
// empty histogram. The rank is ⌈p/100 · total⌉, as HDR histograms count it.
func (c *coarse) quantile(p float64) time.Duration {
	t := c.total()
	if t == 0 {
		return 0
	}
	rank := uint64(math.Ceil(p / 100 * float64(t)))
	if rank < 1 {
		rank = 1
	} else if rank > t {
		rank = t
	}
	var seen uint64
	for i, n := range c {
		seen += uint64(n)
		if seen >= rank {
			return coarseUpper(i)
		}
	}
	return coarseUpper(coarseBuckets - 1)
}

// sparse returns the non-empty buckets as [index, count] pairs in index order; never nil.
func (c *coarse) sparse() [][2]uint64 {
	out := make([][2]uint64, 0, 16)
	if c == nil {
		return out
	}
	for i, n := range c {
		if n != 0 {
			out = append(out, [2]uint64{uint64(i), uint64(n)})
		}
	}
	return out
}

// addSparse adds pairs written by sparse.
func (c *coarse) addSparse(pairs [][2]uint64) error {
	for _, p := range pairs {
		if p[0] >= coarseBuckets {
			return fmt.Errorf("timeline bucket %d out of range [0,%d)", p[0], coarseBuckets)
		}
		c.add(int(p[0]), p[1])
	}
	return nil
}
