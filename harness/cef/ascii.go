package cef

import "unicode/utf8"

// validUTF8 is utf8.Valid: it skips the leading 64-byte blocks of s that are all ASCII many bytes at a
// time (asciiBlocks; NSS lines are almost always ASCII throughout), and when they all are, checks the
// last 64 bytes as one more block, overlapping them; it validates the rest with utf8.Valid, which
// starts at a rune boundary since every byte before it is ASCII.
func validUTF8(s []byte) bool {
	n := asciiBlocks(s)
	if n >= 64 && n == len(s)&^63 && asciiBlocks(s[len(s)-64:]) == 64 {
		return true
	}
	return utf8.Valid(s[n:])
}
