//go:build amd64 && !purego

package cef

// asciiBlocks returns the length of the leading whole 64-byte blocks of s that hold only ASCII bytes: a
// multiple of 64, at most len(s), the start of the first block with a byte >= 0x80 when there is one.
func asciiBlocks(s []byte) int {
	if hasAVX2 {
		return asciiBlocksAVX2(s)
	}
	return asciiBlocksSSE2(s)
}

// asciiBlocksAVX2 is asciiBlocks with 32-byte vectors.
//
//go:noescape
func asciiBlocksAVX2(s []byte) int

// asciiBlocksSSE2 is asciiBlocks with 16-byte vectors.
//
//go:noescape
func asciiBlocksSSE2(s []byte) int

// headerMasks returns, for the first 64 bytes of s, the bit mask of the '|' bytes and that of the
// backslashes (bit i for s[i]), and true; s must hold at least 64 bytes.
func headerMasks(s []byte) (bars, escapes uint64, ok bool) {
	if hasAVX2 {
		bars, escapes = headerMasksAVX2(s)
	} else {
		bars, escapes = headerMasksSSE2(s)
	}
	return bars, escapes, true
}

// headerMasksAVX2 is headerMasks with 32-byte vectors.
//
//go:noescape
func headerMasksAVX2(s []byte) (bars, escapes uint64)

// headerMasksSSE2 is headerMasks with 16-byte vectors.
//
//go:noescape
func headerMasksSSE2(s []byte) (bars, escapes uint64)
