//go:build race

package run

// raceEnabled: the race detector instruments memory accesses, which slows runs tenfold and changes
// what allocates; the allocation tests skip under it.
const raceEnabled = true
