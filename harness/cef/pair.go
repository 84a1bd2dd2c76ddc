package cef

import "bytes"

// indexPair returns the smallest i with s[i] == a and s[i+1] == b, or -1. Record.Get looks for a key's
// last byte followed by '=' with it: in an NSS extension that pair is rare, while '=' alone is not (one
// per pair and more in URLs), so the search stops at few places besides the key itself, and where the
// CPU allows it compares 32 positions at a time (pair_amd64.s).
func indexPair(s []byte, a, b byte) int {
	if i := indexPairBlocks(s, a, b); i >= 0 {
		return i
	}
	n := pairBlocks(len(s))
	if i := indexPairGeneric(s[n:], a, b); i >= 0 {
		return n + i
	}
	return -1
}

// indexPairGeneric is indexPair stopping at each a that bytes.IndexByte finds.
func indexPairGeneric(s []byte, a, b byte) int {
	for from := 0; ; {
		i := bytes.IndexByte(s[from:], a)
		if i < 0 {
			return -1
		}
		from += i + 1
		if from < len(s) && s[from] == b {
			return from - 1
		}
	}
}
