package nssfmt

import (
	"encoding/binary"
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
// the digits straight into dst instead of formatting them in a scratch buffer and copying them (a
// record has dozens of numbers, and the copy was a fifth of rendering one: docs/PERFORMANCE.md), and
// without a loop: a number below 10^8 becomes its 8 digits in one 64-bit word (digits8), which is
// stored whole into dst's spare capacity; dst is then cut to the digits without the leading zeros. A
// dst without room for 24 more bytes takes strconv's way.
func appendUint(dst []byte, u uint64) []byte {
	l := len(dst)
	if cap(dst)-l < 24 {
		return strconv.AppendUint(dst, u, 10)
	}
	if u >= 1e8 {
		return appendUintLong(dst, u)
	}
	d := digits8(u)
	// The leading zeros are the low zero bytes of d; the last digit is kept even when it is 0.
	z := uint(bits.TrailingZeros64(d|1<<56)) / 8
	binary.LittleEndian.PutUint64(dst[l:l+8], (d+ascii8)>>(8*z))
	return dst[:l+8-int(z)]
}

// appendUintLong is appendUint of u >= 10^8 into a dst with room for 24 more bytes: the digits above
// the last 8, then those 8.
func appendUintLong(dst []byte, u uint64) []byte {
	q := u / 1e8
	dst = appendUint(dst, q)
	l := len(dst)
	binary.LittleEndian.PutUint64(dst[l:l+8], digits8(u-q*1e8)+ascii8)
	return dst[:l+8]
}

// ascii8 turns the 8 digit values of digits8 into ASCII.
const ascii8 = 0x3030303030303030

// digits8 returns the 8 decimal digits of x < 10^8, leading zeros included, as byte values 0-9 of
// one word, the most significant digit in the lowest byte (the first in memory when stored little
// endian). It splits x into two 4-digit halves in 32-bit lanes, each of those into two 2-digit
// quarters in 16-bit lanes, and those into digits, dividing all lanes at once by multiplying with a
// reciprocal (x/100 = x·10486>>20 for x < 10^4, x/10 = x·103>>10 for x < 100).
func digits8(x uint64) uint64 {
	hi := x / 10000
	halves := hi | (x-hi*10000)<<32
	hundreds := ((halves * 10486) >> 20) & (0x7F<<32 | 0x7F)
	quarters := (halves-100*hundreds)<<16 | hundreds
	tens := ((quarters * 103) >> 10) & (0xF<<48 | 0xF<<32 | 0xF<<16 | 0xF)
	return tens | (quarters-10*tens)<<8
}
