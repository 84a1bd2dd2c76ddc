//go:build amd64 && !purego

package cef

import "golang.org/x/sys/cpu"

// hasAVX2 selects the 32-byte loop of indexPairBlocks.
var hasAVX2 = cpu.X86.HasAVX2

// pairBlocks returns how many leading positions of an n-byte slice indexPairBlocks examines: whole
// blocks of 64 positions that each have a next byte.
func pairBlocks(n int) int {
	if n <= 1 {
		return 0
	}
	return (n - 1) &^ 63
}

// indexPairBlocks is indexPair over the first pairBlocks(len(s)) positions of s, 64 at a time (with
// AVX2 where the CPU has it, else with SSE2, which every amd64 CPU has). It returns -1 when none of them
// matches.
func indexPairBlocks(s []byte, a, b byte) int {
	if hasAVX2 {
		return indexPairAVX2(s, a, b)
	}
	return indexPairSSE2(s, a, b)
}

// indexPairAVX2 is indexPairBlocks with 32-byte vectors.
//
//go:noescape
func indexPairAVX2(s []byte, a, b byte) int

// indexPairSSE2 is indexPairBlocks with 16-byte vectors.
//
//go:noescape
func indexPairSSE2(s []byte, a, b byte) int
