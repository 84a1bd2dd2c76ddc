package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

// runVantage is what a run observes: an external target without a sink shows only the sender's side.
func runVantage(target, sink string) threshold.Vantage {
	return threshold.Vantage{External: target != "", Verdicts: target == "" || sink != "", Sender: true}
}

// sinkVantage is what a standalone sink observes: the collector's output, not what its shards sent.
var sinkVantage = threshold.Vantage{External: true, Verdicts: true}

// runGates returns the gates a run applies and the default gates it leaves out. A scenario's thresholds
// (built-in or a file's) are defaults, written for any setup: they apply only where the run observes
// their metrics, and the report lists the others. The command line's (user) are the gates asked of this
// very run: applied as given, so that one the run cannot observe fails as not observed. The scenario's
// come first, then the command line's.
func runGates(scn *scenarios.Scenario, user threshold.List, v threshold.Vantage) (threshold.List, []reports.LeftOutThreshold) {
	own, left := threshold.Observable(scn.Thresholds, v)
	return slices.Concat(own, user), left
}

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

// describeExperiment fills the fields of m that make a run the experiment it is, beside those the
// command and the run fill (see reports.Differences).
func describeExperiment(m *reports.Meta, scn *scenarios.Scenario, pl *pipeline.Pipeline) {
	describeScenario(m, scn)
	m.RulesHash, m.MappingsHash = pl.Hashes()
}

// describeScenario fills the experiment fields of m that come from the scenario: its hash and framing.
func describeScenario(m *reports.Meta, scn *scenarios.Scenario) {
	m.ScenarioHash = scn.Hash
	m.Framing = cmp.Or(scn.Framing, "lf")
}

// checkComparable refuses to compare reports of different experiments unless force: it writes why
// (reports.Incomparable), one line each, and returns false.
func checkComparable(w io.Writer, basePath, curPath string, base, cur *reports.Report, force bool) bool {
	lines := reports.Incomparable(basePath, curPath, base, cur)
	if force || len(lines) == 0 {
		return true
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "  ") {
			l = "nssbench report compare: " + l
		}
		fmt.Fprintln(w, l)
	}
	return false
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
