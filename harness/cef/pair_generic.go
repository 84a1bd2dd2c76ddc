//go:build !amd64 || purego

package cef

// pairBlocks returns how many trailing positions of an n-byte slice lastIndexPairBlocks examines:
// none, lastIndexPairGeneric does it all.
func pairBlocks(int) int { return 0 }

// lastIndexPairBlocks examines no position.
func lastIndexPairBlocks([]byte, byte, byte) int { return -1 }
