package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// runVantage is what a run observes: an external target without a sink shows only the sender's side.
func runVantage(target, sink string) threshold.Vantage {
	return threshold.Vantage{External: target != "", Verdicts: target == "" || sink != "", Sender: true}
}

// sinkVantage is what a standalone sink observes: the collector's output, not what its shards sent.
var sinkVantage = threshold.Vantage{External: true, Verdicts: true}

// warnNotObserved says on w, one line each, which of rep's gates failed as not observed, so that a CI
// log shows it first.
func warnNotObserved(w io.Writer, cmd string, rep *reports.Report) {
	for _, t := range rep.Thresholds {
		if !t.NotObserved {
			continue
		}
		why := t.Got
		if !strings.HasPrefix(why, "not observed") {
			why = "right-hand side " + t.Want
		}
		fmt.Fprintf(w, "nssbench %s: threshold %s failed, %s\n", cmd, t.Expr, why)
	}
}

// checkShardsComplete refuses a merge that misses shards of the run unless partial: it says which are
// missing and returns false; with partial it only warns.
func checkShardsComplete(w io.Writer, reps []*reports.Report, partial bool) bool {
	missing := reports.MissingShards(reps...)
	if len(missing) == 0 {
		return true
	}
	fmt.Fprintf(w, "nssbench report merge: %d of %d shards merged; missing %v: the merged report covers only part of the run",
		len(reps), reps[0].Meta.ShardCount, missing)
	if partial {
		fmt.Fprintln(w, " (-partial)")
		return true
	}
	fmt.Fprintln(w, "; -partial merges them anyway")
	return false
}
