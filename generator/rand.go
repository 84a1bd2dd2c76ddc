package generator

import (
	"math/bits"
	"strconv"
)

// golden is 2^64/φ, the splitmix64 increment.
const golden = 0x9e3779b97f4a7c15

// mix64 is the splitmix64 finaliser: a bijective avalanche of x.
func mix64(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// rng is a splitmix64 stream. Every event gets its own stream seeded from (seed, seq), so an event's
// bytes do not depend on which events were generated before it.
type rng struct{ s uint64 }

// streams separates the purposes one seed is used for, so that the organisation, the record ids and
// the events draw from unrelated streams.
const (
	streamEvent uint64 = iota + 1
	streamOrg
	streamRecordID
)

// newRNG returns the stream for (seed, purpose, n).
func newRNG(seed, purpose, n uint64) rng {
	return rng{s: mix64(seed^mix64(purpose*golden)) ^ mix64(n+golden)}
}

// next returns the next 64 random bits.
func (r *rng) next() uint64 {
	r.s += golden
	return mix64(r.s)
}

// intn returns a value in [0, n) for 0 < n < 2^32 (Lemire's multiply-shift, bias below 2^-32).
func (r *rng) intn(n int) int {
	return scale(r.next(), uint64(n))
}

// scale maps the high 32 bits of x to [0, n) for n < 2^32, without a division.
func scale(x, n uint64) int {
	return int(((x >> 32) * n) >> 32)
}

// scale64 maps x to [0, n) for any n, without a division (the high word of the 128-bit product).
func scale64(x, n uint64) uint64 {
	hi, _ := bits.Mul64(x, n)
	return hi
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int {
	return lo + r.intn(hi-lo+1)
}

// logNormalish returns a heavy-tailed positive size around median, cheap to draw: the median scaled by
// a power of two in [-spread, spread] and a uniform fraction.
func (r *rng) logNormalish(median, spread int) int {
	x := r.next()
	shift := scale(x, uint64(2*spread+1)) - spread
	frac := 1 + int(x&1023)
	v := median * frac / 512
	if shift > 0 {
		v <<= shift
	} else {
		v >>= -shift
	}
	if v < 1 {
		v = 1
	}
	return v
}

// weighted picks indices with probabilities proportional to small integer weights in O(1): a table
// holds each index w[i] times, and a draw picks a table entry.
type weighted struct {
	table []uint16
}

// newWeighted builds the table for weights w (each ≥ 0, total in [1, 2^16]).
func newWeighted(w []int) weighted {
	var t []uint16
	for i, x := range w {
		for range x {
			t = append(t, uint16(i))
		}
	}
	if len(t) == 0 || len(t) > 1<<16 {
		panic("BUG: generator: weighted table of " + strconv.Itoa(len(t)) + " entries")
	}
	return weighted{table: t}
}

// pick returns an index i with probability w[i]/sum(w).
func (w *weighted) pick(r *rng) int {
	return int(w.table[scale(r.next(), uint64(len(w.table)))])
}
