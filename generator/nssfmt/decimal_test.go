package nssfmt

import (
	"math"
	"strconv"
	"testing"
)

// TestAppendDecimal checks appendInt and appendUint against strconv at every digit count's edges, at
// the extremes and on a spread of values, into buffers with and without room.
func TestAppendDecimal(t *testing.T) {
	ints := []int64{0, 1, -1, 9, -9, 10, -10, 99, 100, 101, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for p := int64(10); p > 0 && p <= math.MaxInt64/10; p *= 10 {
		ints = append(ints, p-1, p, p+1, -p, -(p - 1))
	}
	x := uint64(0x9e3779b97f4a7c15)
	for range 10000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		ints = append(ints, int64(x), int64(x>>uint(x%64)))
	}
	for _, n := range ints {
		for _, dst := range [][]byte{nil, []byte("ab"), make([]byte, 3, 64)} {
			want := strconv.AppendInt(append([]byte(nil), dst...), n, 10)
			if got := appendInt(append([]byte(nil), dst...), n); string(got) != string(want) {
				t.Fatalf("appendInt(%q, %d) = %q; want %q", dst, n, got, want)
			}
			if got := appendInt(dst[:len(dst):cap(dst)], n); string(got) != string(want) {
				t.Fatalf("appendInt(%q with room, %d) = %q; want %q", dst, n, got, want)
			}
			u := uint64(n)
			wantU := strconv.AppendUint(append([]byte(nil), dst...), u, 10)
			if got := appendUint(append([]byte(nil), dst...), u); string(got) != string(wantU) {
				t.Fatalf("appendUint(%q, %d) = %q; want %q", dst, u, got, wantU)
			}
		}
	}
	if got := string(appendUint(nil, math.MaxUint64)); got != "18446744073709551615" {
		t.Fatalf("appendUint(MaxUint64) = %s", got)
	}
}

// BenchmarkAppendDecimal compares appendInt with strconv.AppendInt on a record's kind of numbers.
func BenchmarkAppendDecimal(b *testing.B) {
	nums := []int64{443, 51234, 1718074364, 7, 2890, 1234567890123456789, 0, 86}
	for _, impl := range []struct {
		name string
		f    func([]byte, int64) []byte
	}{{"nssfmt", appendInt}, {"strconv", func(d []byte, n int64) []byte { return strconv.AppendInt(d, n, 10) }}} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			dst := make([]byte, 0, 256)
			for b.Loop() {
				dst = dst[:0]
				for _, n := range nums {
					dst = impl.f(dst, n)
				}
			}
		})
	}
}

// TestDigits8 checks digits8 at every digit-count edge and on a stride through [0, 10^8); the whole
// range passed once when it was written (go test -run Digits8 with step 1: about 4 s).
func TestDigits8(t *testing.T) {
	check := func(x uint64) {
		d := digits8(x)
		want := strconv.AppendUint(nil, x+1e8, 10)[1:] // 8 digits, leading zeros kept
		for i := range 8 {
			if got := byte(d>>(8*i)) + '0'; got != want[i] {
				t.Fatalf("digits8(%d) = %x; want the digits %s", x, d, want)
			}
		}
	}
	for p := uint64(1); p <= 1e8; p *= 10 {
		check(p - 1)
		if p < 1e8 {
			check(p)
		}
	}
	for x := uint64(0); x < 1e8; x += 997 {
		check(x)
	}
}
