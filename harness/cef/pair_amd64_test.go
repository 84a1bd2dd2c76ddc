//go:build amd64 && !purego

package cef

import "testing"

// vectorASCII says that asciiBlocks skips ASCII blocks itself (vector_amd64.s).
const vectorASCII = true

// TestLastIndexPairSSE2 runs the lastIndexPair tests on the SSE2 loop, which the test machine's CPU would not
// use when it has AVX2.
func TestLastIndexPairSSE2(t *testing.T) {
	defer func(v bool) { hasAVX2 = v }(hasAVX2)
	hasAVX2 = false
	checkLastIndexPair(t)
	checkLastIndexPairBounds(t)
}

// TestASCIIBlocksSSE2 runs the asciiBlocks tests on the SSE2 loop.
func TestASCIIBlocksSSE2(t *testing.T) {
	defer func(v bool) { hasAVX2 = v }(hasAVX2)
	hasAVX2 = false
	checkASCIIBlocks(t)
	checkASCIIBlocksBounds(t)
}

// TestHeaderMasksSSE2 runs the headerMasks tests on the SSE2 loop.
func TestHeaderMasksSSE2(t *testing.T) {
	defer func(v bool) { hasAVX2 = v }(hasAVX2)
	hasAVX2 = false
	checkHeaderMasks(t)
}
