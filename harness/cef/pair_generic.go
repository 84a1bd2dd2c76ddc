//go:build !amd64 || purego

package cef

// pairBlocks returns how many leading positions of an n-byte slice indexPairBlocks examines: none,
// indexPairGeneric does it all.
func pairBlocks(int) int { return 0 }

// indexPairBlocks examines no position.
func indexPairBlocks([]byte, byte, byte) int { return -1 }
