//go:build amd64 && !purego

package cef

import "testing"

// TestIndexPairSSE2 runs the indexPair tests on the SSE2 loop, which the test machine's CPU would not
// use when it has AVX2.
func TestIndexPairSSE2(t *testing.T) {
	defer func(v bool) { hasAVX2 = v }(hasAVX2)
	hasAVX2 = false
	checkIndexPair(t)
	checkIndexPairBounds(t)
}
