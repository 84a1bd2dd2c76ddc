package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
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
	isReport := func(s string) bool { // a report file or a directory of replicates: not -md's FILE
		st, err := os.Stat(s)
		return strings.HasSuffix(s, ".json") || err == nil && st.IsDir()
	}
	args, code, ok := parseInterspersed(e, fs, output.JoinOptional(args, isReport, "md"))
	if !ok {
		return code
	}
	if len(args) != 2 {
		return usageError(e.stderr, "report compare", fmt.Errorf("want BASE NEW (report files or directories of replicates), got %d", len(args)))
	}
	var sides [2]*replicates.Side
	for i, path := range args {
		var err error
		if sides[i], err = replicates.ReadSide(path); err != nil {
			return failure(e.stderr, "report compare", err)
		}
	}
	lines, ok := replicates.Check(sides[0], sides[1], *force)
	for _, l := range lines {
		if !strings.HasPrefix(l, "  ") {
			l = "nssbench report compare: " + l
		}
		fmt.Fprintln(e.stderr, l)
	}
	if !ok {
		return exitUsage
	}
	if !replicates.Replicated(sides[0], sides[1]) && len(margin.Per) > 0 {
		return usageError(e.stderr, "report compare", errors.New("a per-metric -margin needs replicates: a directory of two or more reports on a side"))
	}
	res, err := replicates.Compare(sides[0], sides[1], margin)
	if um := (*abtest.UnknownMetricError)(nil); errors.As(err, &um) {
		return usageError(e.stderr, "report compare", fmt.Errorf("-margin %w", err))
	} else if err != nil {
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
	var reps []*reports.Report
	for _, path := range files {
		rep, err := reports.ReadFile(path)
		if err != nil {
			return failure(e.stderr, "report merge", err)
		}
		reps = append(reps, rep)
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
