package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/output"
	"github.com/nssbench/nssbench/reports/replicates"

	"github.com/nssbench/nssbench/cmd/nssbench/internal/cli"
)

func cmdReport(e *env, args []string) int {
	return dispatch(e, "report", args, map[string]func(*env, []string) int{"render": reportRender, "compare": reportCompare, "merge": reportMerge})
}

// reportFlags are the output flags of the commands that write a report: the files, and -summary.
type reportFlags struct {
	output.ReportPaths
	summary bool
}

// addReportFlags defines the output flags of the commands that write a report: -json (old name -out),
// -md, -html, -junit and -summary.
func addReportFlags(fs *flag.FlagSet) *reportFlags {
	f := &reportFlags{}
	fs.StringVar(&f.JSON, "json", "", "also write the complete report as JSON to `FILE` ('-': stdout, instead of the text report)")
	fs.StringVar(&f.Markdown, "md", "", "also write the report as Markdown to `FILE` ('-': stdout)")
	fs.StringVar(&f.HTML, "html", "", "also write a self-contained HTML report with charts to `FILE` ('-': stdout)")
	fs.StringVar(&f.JUnit, "junit", "", junitUsage)
	fs.BoolVar(&f.summary, "summary", false, "print the report's first screen only: verdict, rates, bytes, latency, loss, balance and gates")
	cli.Alias(fs, "out", "json")
	return f
}

// junitUsage is the usage of a report's -junit flag.
const junitUsage = "also write the gates as JUnit XML to `FILE` ('-': stdout): a test case per threshold, conformance and the balance"

func reportRender(e *env, args []string) int {
	fs := newFlagSet("report render")
	rf := addReportFlags(fs)
	files, code, ok := parseInterspersed(e, fs, args)
	if !ok {
		return code
	}
	if len(files) != 1 {
		return usageError(e.stderr, "report render", fmt.Errorf("want one report file, got %d", len(files)))
	}
	rep, err := reports.ReadFile(files[0])
	if err != nil {
		return failure(e.stderr, "report render", err)
	}
	var text reports.Renderer
	if !rf.Any() {
		text = rf.Text(rf.summary)
	}
	if err := outputs(e, "report render").Report(rep, text, rf.ReportPaths); err != nil {
		return failure(e.stderr, "report render", err)
	}
	return exitOK
}

func reportCompare(e *env, args []string) int {
	fs := newFlagSet("report compare")
	margin := abtest.Margins{All: abtest.DefaultMargin}
	fs.Var(&margin, "margin", "minimum effect size: changes smaller than this are not regressions, as 5% or 0.05; METRIC=10% sets one metric's (replicates only, e.g. e2e.p99=10%); repeatable")
	var md output.FileOrStdout
	fs.Var(&md, "md", "also write the comparison as Markdown, sized for a pull-request comment, to `FILE` ('-' or a bare -md: stdout, instead of the text table)")
	jsonOut := fs.String("json", "", "also write the comparison as JSON to `FILE`, with replicates the regression signal ('-': stdout, instead of the text table)")
	force := fs.Bool("force", false, "compare runs of different experiments (scenario and its hash, pacer, rate, target kind, connections, framing, rules, mappings) or reports that do not say")
	args, code, ok := parseInterspersed(e, fs, output.JoinOptional(args, replicates.IsSide, "md"))
	if !ok {
		return code
	}
	if len(args) != 2 {
		return usageError(e.stderr, "report compare", fmt.Errorf("want BASE NEW (report files or directories of replicates), got %d", len(args)))
	}
	base, cur, err := replicates.ReadSides(args[0], args[1])
	if err != nil {
		return failure(e.stderr, "report compare", err)
	}
	lines, ok := replicates.Check(base, cur, *force)
	for _, l := range lines {
		if !strings.HasPrefix(l, "  ") {
			l = "nssbench report compare: " + l
		}
		fmt.Fprintln(e.stderr, l)
	}
	if !ok {
		return exitUsage
	}
	res, err := replicates.Compare(base, cur, margin)
	switch um := (*abtest.UnknownMetricError)(nil); {
	case errors.Is(err, replicates.ErrPerMetricMargin):
		return usageError(e.stderr, "report compare", err)
	case errors.As(err, &um):
		return usageError(e.stderr, "report compare", fmt.Errorf("-margin %w", err))
	case err != nil:
		return failure(e.stderr, "report compare", err)
	}
	if code := writeOutputs(e, "report compare", res.Text, output.Output{Path: *jsonOut, Write: res.JSON},
		output.Output{Path: md.Path, Write: res.Markdown}); code != exitOK {
		return code
	}
	if res.Regressed {
		return exitConformance
	}
	return exitOK
}

func reportMerge(e *env, args []string) int {
	fs := newFlagSet("report merge")
	jsonOut := fs.String("json", "", "write the merged report as JSON to `FILE` only (default: stdout)")
	mdOut := fs.String("md", "", "also write the merged report as Markdown to `FILE` ('-': stdout)")
	htmlOut := fs.String("html", "", "also write a self-contained HTML report with charts to `FILE` ('-': stdout)")
	junitOut := fs.String("junit", "", junitUsage)
	cli.Alias(fs, "o", "json")
	partial := fs.Bool("partial", false, "merge even when shards of the run are missing (exit 0; the report covers only part of the run)")
	files, code, ok := parseInterspersed(e, fs, args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return usageError(e.stderr, "report merge", fmt.Errorf("no report files"))
	}
	reps, err := reports.ReadFiles(files...)
	if err != nil {
		return failure(e.stderr, "report merge", err)
	}
	merged, err := reports.Merge(reps...)
	if err != nil {
		return failure(e.stderr, "report merge", err)
	}
	if !checkShardsComplete(e.stderr, reps, *partial) {
		return exitConformance
	}
	if *jsonOut == "" && *mdOut == "" && *htmlOut == "" && *junitOut == "" {
		*jsonOut = "-" // the merged report is the output
	}
	if err := outputs(e, "report merge").Report(merged, nil, output.ReportPaths{JSON: *jsonOut, Markdown: *mdOut, HTML: *htmlOut, JUnit: *junitOut}); err != nil {
		return failure(e.stderr, "report merge", err)
	}
	return exitOK
}
