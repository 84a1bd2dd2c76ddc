//go:build !amd64 || purego

package cef

// asciiBlocks skips no byte: utf8.Valid does it all.
func asciiBlocks([]byte) int { return 0 }
