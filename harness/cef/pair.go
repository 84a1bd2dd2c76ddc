package cef

import "bytes"

// lastIndexPair returns the largest i with s[i] == a and s[i+1] == b, or -1. Record.GetKey looks for a
// pair of adjacent bytes of key= with it (the last occurrence of a key wins, so it searches from the
// end): in an NSS extension that pair is rare, while '=' alone is not (one per pair and more in URLs),
// so the search stops at few places besides the key itself, and where the CPU allows it compares 32
// positions at a time (pair_amd64.s).
func lastIndexPair(s []byte, a, b byte) int {
	if i := lastIndexPairBlocks(s, a, b); i >= 0 {
		return i
	}
	// The positions the blocks did not examine: those before the last pairBlocks(len(s)) with a next
	// byte, the pairs of s[:len(s)-pairBlocks(len(s))], fewer than 64. Where the blocks examined any,
	// one more block over the first 64 positions covers them (and again some that held no pair).
	if pairBlocks(len(s)) == 0 {
		return lastIndexPairGeneric(s, a, b)
	}
	return lastIndexPairBlocks(s[:65], a, b)
}

// lastIndexPairGeneric is lastIndexPair stopping at each b that bytes.LastIndexByte finds.
func lastIndexPairGeneric(s []byte, a, b byte) int {
	for end := len(s); ; {
		i := bytes.LastIndexByte(s[:end], b)
		if i <= 0 {
			return -1
		}
		if s[i-1] == a {
			return i - 1
		}
		end = i
	}
}
