package cef

import (
	"math/rand/v2"
	"testing"
)

// naivePair is lastIndexPair one position at a time.
func naivePair(s []byte, a, b byte) int {
	for i := len(s) - 2; i >= 0; i-- {
		if s[i] == a && s[i+1] == b {
			return i
		}
	}
	return -1
}

// TestLastIndexPair compares lastIndexPair with naivePair at every length up to 200 with the pair at every
// place (and absent, and with a lone a just before the end of each block) over bytes of a small
// alphabet, so that near misses are frequent; the vector loop and the tail must agree with the naive
// search on both sides of every block boundary.
func TestLastIndexPair(t *testing.T) { checkLastIndexPair(t) }

// checkLastIndexPair is TestLastIndexPair's body, for each of the vector loops the CPU can run.
func checkLastIndexPair(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2))
	for n := 0; n <= 200; n++ {
		for place := -1; place < n; place++ {
			s := make([]byte, n)
			for i := range s {
				s[i] = "xy="[rng.IntN(3)]
			}
			if place >= 0 {
				s[place] = 'k'
				if place+1 < n {
					s[place+1] = '='
				}
			}
			if got, want := lastIndexPair(s, 'k', '='), naivePair(s, 'k', '='); got != want {
				t.Fatalf("lastIndexPair(%q, 'k', '=') = %d; want %d", s, got, want)
			}
			if got, want := lastIndexPair(s, 'y', '='), naivePair(s, 'y', '='); got != want {
				t.Fatalf("lastIndexPair(%q, 'y', '=') = %d; want %d", s, got, want)
			}
		}
	}
}

// TestLastIndexPairBounds checks that the vector loop reads nothing outside the slice: a pair that
// straddles the slice's end, in the array behind it, or its start, in the array before it, is not
// found.
func TestLastIndexPairBounds(t *testing.T) { checkLastIndexPairBounds(t) }

// checkLastIndexPairBounds is TestLastIndexPairBounds's body.
func checkLastIndexPairBounds(t *testing.T) {
	for n := 1; n <= 100; n++ {
		buf := make([]byte, n+1)
		for i := range buf {
			buf[i] = 'x'
		}
		buf[n-1], buf[n] = 'k', '='
		if got := lastIndexPair(buf[:n], 'k', '='); got != -1 {
			t.Fatalf("n=%d: lastIndexPair found the pair at %d across the slice end", n, got)
		}
		if got := lastIndexPair(buf, 'k', '='); got != n-1 {
			t.Fatalf("n=%d: lastIndexPair = %d; want %d", n, got, n-1)
		}
		// The same pair straddling the start of buf[n:], which holds "=" and n 'x' bytes after it.
		buf = append(buf, buf[:n]...)
		if got := lastIndexPair(buf[n:], 'k', '='); got != -1 {
			t.Fatalf("n=%d: lastIndexPair found the pair at %d across the slice start", n, got)
		}
		if got := lastIndexPair(buf[n-1:], 'k', '='); got != 0 {
			t.Fatalf("n=%d: lastIndexPair = %d; want 0", n, got)
		}
	}
}
