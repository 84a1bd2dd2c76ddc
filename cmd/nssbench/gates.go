package main

import (
	"fmt"
	"io"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// runVantage is what a run observes: an external target without a sink shows only the sender's side.
func runVantage(target, sink string) threshold.Vantage {
	return threshold.Vantage{External: target != "", Verdicts: target == "" || sink != "", Sender: true}
}

// sinkVantage is what a standalone sink observes: the collector's output, not what its shards sent.
var sinkVantage = threshold.Vantage{External: true, Verdicts: true}

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
