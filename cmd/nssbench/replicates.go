package main

// Replicates: 'run -repeat N' and 'sweep -replicates DIR' (sweep.Result.WriteStepReports) write one
// report per run into a directory (package reports/replicates), which 'report compare' reads on either
// side.

import (
	"fmt"

	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports/output"
	"github.com/nssbench/nssbench/reports/replicates"
	"github.com/nssbench/nssbench/scenarios"
)

// runReplicates runs cfg -repeat times, one after another, each run the whole experiment with the same
// scenario, seed and schedule, so that the replicates differ only by what the machine and the collector
// do; the -json directory is ready (see replicates.PrepareDir). Each replicate's report is gated, printed
// and written to DIR/run-i.json. The exit code is the worst of the replicates': an interrupt or a
// failure stops the series (the replicates written stay).
func runReplicates(e *env, f *runFlags, cfg run.Config, scn *scenarios.Scenario) int {
	n, dir := *f.repeat, f.report.JSON
	code := exitOK
	for i := 1; i <= n; i++ {
		if !*f.quiet {
			fmt.Fprintf(e.stderr, "nssbench run: replicate %d of %d\n", i, n)
		}
		rep, err := run.Run(e.ctx, cfg)
		if cfg.Progress != nil {
			progressOf(e).End("") // end the refreshing progress line
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "nssbench run: replicate %d of %d: %v\n", i, n, err)
			return exitFailure
		}
		passed := scn.Gate(rep, f.thresholds)
		path := replicates.File(dir, "run", i)
		fmt.Fprintf(e.stdout, "== replicate %d of %d: %s\n", i, n, path)
		switch c := finishReport(e, "run", rep, passed, reportFlags{output.ReportPaths{JSON: path}, f.report.summary}); c {
		case exitOK:
		case exitConformance:
			code = c
		default:
			return c
		}
	}
	return code
}
