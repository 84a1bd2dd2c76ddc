//go:build amd64 && !purego

package cef

import "golang.org/x/sys/cpu"

// hasAVX2 selects the 32-byte loops of lastIndexPairBlocks and of vector_amd64.s.
var hasAVX2 = cpu.X86.HasAVX2

// pairBlocks returns how many trailing positions of an n-byte slice lastIndexPairBlocks examines:
// whole blocks of 64 positions that each have a next byte.
func pairBlocks(n int) int {
	if n <= 1 {
		return 0
	}
	return (n - 1) &^ 63
}

// lastIndexPairBlocks is lastIndexPair over the last pairBlocks(len(s)) positions of s that have a next
// byte, 64 at a time from the end (with AVX2 where the CPU has it, else with SSE2, which every amd64
// CPU has). It returns -1 when none of them matches.
func lastIndexPairBlocks(s []byte, a, b byte) int {
	if hasAVX2 {
		return lastIndexPairAVX2(s, a, b)
	}
	return lastIndexPairSSE2(s, a, b)
}

// lastIndexPairAVX2 is lastIndexPairBlocks with 32-byte vectors.
//
//go:noescape
func lastIndexPairAVX2(s []byte, a, b byte) int

// lastIndexPairSSE2 is lastIndexPairBlocks with 16-byte vectors.
//
//go:noescape
func lastIndexPairSSE2(s []byte, a, b byte) int
