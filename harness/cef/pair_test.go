package cef

import (
	"math/rand/v2"
	"testing"
)

// naivePair is indexPair one position at a time.
func naivePair(s []byte, a, b byte) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == a && s[i+1] == b {
			return i
		}
	}
	return -1
}

// TestIndexPair compares indexPair with naivePair at every length up to 200 with the pair at every
// place (and absent, and with a lone a just before the end of each block) over bytes of a small
// alphabet, so that near misses are frequent; the vector loop and the tail must agree with the naive
// search on both sides of every block boundary.
func TestIndexPair(t *testing.T) { checkIndexPair(t) }

// checkIndexPair is TestIndexPair's body, for each of the vector loops the CPU can run.
func checkIndexPair(t *testing.T) {
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
			if got, want := indexPair(s, 'k', '='), naivePair(s, 'k', '='); got != want {
				t.Fatalf("indexPair(%q, 'k', '=') = %d; want %d", s, got, want)
			}
			if got, want := indexPair(s, 'y', '='), naivePair(s, 'y', '='); got != want {
				t.Fatalf("indexPair(%q, 'y', '=') = %d; want %d", s, got, want)
			}
		}
	}
}

// TestIndexPairBounds checks that the vector loop reads nothing past the slice: a pair that straddles the
// slice's end, in the array behind it, is not found.
func TestIndexPairBounds(t *testing.T) { checkIndexPairBounds(t) }

// checkIndexPairBounds is TestIndexPairBounds's body.
func checkIndexPairBounds(t *testing.T) {
	for n := 1; n <= 100; n++ {
		buf := make([]byte, n+1)
		for i := range buf {
			buf[i] = 'x'
		}
		buf[n-1], buf[n] = 'k', '='
		if got := indexPair(buf[:n], 'k', '='); got != -1 {
			t.Fatalf("n=%d: indexPair found the pair at %d across the slice end", n, got)
		}
		if got := indexPair(buf, 'k', '='); got != n-1 {
			t.Fatalf("n=%d: indexPair = %d; want %d", n, got, n-1)
		}
	}
}
