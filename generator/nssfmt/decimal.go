package nssfmt

import (
	"math/bits"
	"strconv"
)

// appendInt appends the decimal form of n to dst, as strconv.AppendInt(dst, n, 10) does.
func appendInt(dst []byte, n int64) []byte {
	if n < 0 {
		return appendUint(append(dst, '-'), -uint64(n))
	}
	return appendUint(dst, uint64(n))
}

// appendUint appends the decimal form of u to dst, as strconv.AppendUint(dst, u, 10) does, but writes
// the digits straight into dst, two at a time, instead of formatting them in a scratch buffer and
// copying them: a record has dozens of numbers, and the copy was a fifth of rendering one
// (docs/PERFORMANCE.md). The digits are written through a slice that shrinks from the end, which lets
// the compiler drop the bounds checks; a dst without room for 20 more bytes takes strconv's way.
func appendUint(dst []byte, u uint64) []byte {
	l := len(dst)
	if cap(dst)-l < 20 {
		return strconv.AppendUint(dst, u, 10)
	}
	if u < 10 {
		dst = dst[:l+1]
		dst[l] = byte('0' + u)
		return dst
	}
	dst = dst[:l+decimalLen(u)]
	b := dst[l:]
	for len(b) >= 3 {
		q := u / 100
		r := (u - q*100) * 2
		k := len(b) - 2
		b[k+1], b[k] = digitPairs[r+1], digitPairs[r]
		b = b[:k]
		u = q
	}
	if len(b) == 2 {
		b[1], b[0] = digitPairs[u*2+1], digitPairs[u*2]
	} else {
		b[0] = byte('0' + u)
	}
	return dst
}

// decimalLen returns the number of decimal digits of u (1 for 0).
func decimalLen(u uint64) int {
	// bits.Len64 estimates log10 (1233/4096 ≈ log10 2); one comparison corrects it.
	n := (bits.Len64(u) * 1233) >> 12
	if u >= pow10[n] {
		n++
	}
	return max(n, 1)
}

var pow10 = [20]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"
