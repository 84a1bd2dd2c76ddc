package main

import (
	"fmt"
	"io"

	"github.com/nssbench/nssbench/reports"
)

// checkShardsComplete refuses a merge that misses shards of the run unless partial: it says which are
// missing (reports.PartialMerge) and returns false; with partial it only warns.
func checkShardsComplete(w io.Writer, reps []*reports.Report, partial bool) bool {
	switch msg := reports.PartialMerge(reps...); {
	case msg == "":
		return true
	case partial:
		fmt.Fprintf(w, "nssbench report merge: %s (-partial)\n", msg)
		return true
	default:
		fmt.Fprintf(w, "nssbench report merge: %s; -partial merges them anyway\n", msg)
		return false
	}
}
