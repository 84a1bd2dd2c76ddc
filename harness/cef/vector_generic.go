//go:build !amd64 || purego

package cef

// asciiBlocks skips no byte: utf8.Valid does it all.
func asciiBlocks([]byte) int { return 0 }

// headerMasks computes no mask: headerFieldEnd scans every field itself.
func headerMasks([]byte) (bars, escapes uint64, ok bool) { return 0, 0, false }
