//go:build !amd64 || purego

package cef

// vectorASCII says that asciiBlocks skips no block: utf8.Valid does it all.
const vectorASCII = false
