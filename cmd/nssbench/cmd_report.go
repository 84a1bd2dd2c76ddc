package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/html"

	"github.com/nssbench/nssbench/cmd/nssbench/internal/cli"
)

func cmdReport(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, helpText("report"))
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "-help":
		fmt.Fprint(e.stdout, helpText("report"))
		return exitOK
	case "render":
		return reportRender(e, args[1:])
	case "compare":
		return reportCompare(e, args[1:])
	case "merge":
		return reportMerge(e, args[1:])
	}
	return unknownSubcommand(e, "report", args[0], []string{"compare", "merge", "render"})
}

// addReportFlags defines the output flags of the commands that write a report: -json (old name -out),
// -md, -html, -junit and -summary.
func addReportFlags(fs *flag.FlagSet) (jsonOut, md, htmlOut, junit *string, summary *bool) {
	jsonOut = fs.String("json", "", "also write the complete report as JSON to `FILE` ('-': stdout, instead of the text report)")
	md = fs.String("md", "", "also write the report as Markdown to `FILE` ('-': stdout)")
	htmlOut = fs.String("html", "", "also write a self-contained HTML report with charts to `FILE` ('-': stdout)")
	junit = fs.String("junit", "", junitUsage)
	summary = fs.Bool("summary", false, "print the report's first screen only: verdict, rates, bytes, latency, loss, balance and gates")
	alias(fs, "out", "json")
	return jsonOut, md, htmlOut, junit, summary
}

// junitUsage is the usage of a report's -junit flag.
const junitUsage = "also write the gates as JUnit XML to `FILE` ('-': stdout): a test case per threshold, conformance and the balance"

// textFor is the text renderer of a report on stdout (its summary when summary), or nil when an output
// file is '-', stdout.
func textFor(summary bool, paths ...string) reports.Renderer {
	switch {
	case slices.Contains(paths, "-"):
		return nil
	case summary:
		return reports.Summary
	}
	return reports.Text
}

func reportRender(e *env, args []string) int {
	fs := newFlagSet("report render")
	jsonOut, mdOut, htmlOut, junitOut, summary := addReportFlags(fs)
	files, code, ok := parseInterspersed(e, fs, args)
	if !ok {
		return code
	}
	if len(files) != 1 {
		return usageError(e.stderr, "report render", fmt.Errorf("want one report file, got %d", len(files)))
	}
	rep, err := readReport(files[0])
	if err != nil {
		return failure(e.stderr, "report render", err)
	}
	var text reports.Renderer
	if *jsonOut == "" && *mdOut == "" && *htmlOut == "" && *junitOut == "" {
		text = textFor(*summary)
	}
	if err := writeReports(e, "report render", rep, text, *jsonOut, *mdOut, *htmlOut, *junitOut); err != nil {
		return failure(e.stderr, "report render", err)
	}
	return exitOK
}

func reportCompare(e *env, args []string) int {
	fs := newFlagSet("report compare")
	margin := marginValue{all: abtest.DefaultMargin}
	fs.Var(&margin, "margin", "minimum effect size: changes smaller than this are not regressions, as 5% or 0.05; METRIC=10% sets one metric's (replicates only, e.g. e2e.p99=10%); repeatable")
	var md fileOrStdout
	fs.Var(&md, "md", "also write the comparison as Markdown, sized for a pull-request comment, to `FILE` ('-' or a bare -md: stdout, instead of the text table)")
	jsonOut := fs.String("json", "", "also write the comparison as JSON to `FILE`, with replicates the regression signal ('-': stdout, instead of the text table)")
	force := fs.Bool("force", false, "compare runs of different experiments (scenario and its hash, pacer, rate, target kind, connections, framing, rules, mappings) or reports that do not say")
	isReport := func(s string) bool { // a report file or a directory of replicates: not -md's FILE
		st, err := os.Stat(s)
		return strings.HasSuffix(s, ".json") || err == nil && st.IsDir()
	}
	files, code, ok := parseInterspersed(e, fs, cli.JoinOptional(args, isReport, "md"))
	if !ok {
		return code
	}
	if len(files) != 2 {
		return usageError(e.stderr, "report compare", fmt.Errorf("want BASE NEW (report files or directories of replicates), got %d", len(files)))
	}
	base, basePaths, err := readSide(files[0])
	if err != nil {
		return failure(e.stderr, "report compare", err)
	}
	cur, curPaths, err := readSide(files[1])
	if err != nil {
		return failure(e.stderr, "report compare", err)
	}
	if !checkSidesComparable(e, basePaths, curPaths, base, cur, *force) {
		return exitUsage
	}
	if len(base) > 1 || len(cur) > 1 {
		return compareReplicates(e, files[0], files[1], basePaths, curPaths, base, cur, margin, *jsonOut, md.Path)
	}
	if len(margin.per) > 0 {
		return usageError(e.stderr, "report compare", errors.New("a per-metric -margin needs replicates: a directory of two or more reports on a side"))
	}
	c := reports.Compare(base[0], cur[0], margin.all)
	rd := func(r reports.ComparisonRenderer) func(io.Writer) error {
		return func(w io.Writer) error { return r.Render(w, c) }
	}
	if code := writeOutputs(e, "report compare", rd(reports.TextComparison), output{*jsonOut, rd(reports.JSONComparison)},
		output{md.Path, rd(reports.MarkdownComparison)}); code != exitOK {
		return code
	}
	if c.Regressed() {
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
	alias(fs, "o", "json")
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
		rep, err := readReport(path)
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
	if err := writeReports(e, "report merge", merged, nil, *jsonOut, *mdOut, *htmlOut, *junitOut); err != nil {
		return failure(e.stderr, "report merge", err)
	}
	return exitOK
}

// readReport reads a saved report (reports.ReadFile).
func readReport(path string) (*reports.Report, error) { return reports.ReadFile(path) }

// writeReports prints rep on stdout with text (none when nil), then renders it to each non-empty path
// in its format ('-': stdout), confirming each file on stderr.
func writeReports(e *env, cmd string, rep *reports.Report, text reports.Renderer, jsonPath, mdPath, htmlPath, junitPath string) error {
	if text != nil {
		if err := text.Render(e.stdout, rep); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	for _, o := range []struct {
		path string
		r    reports.Renderer
	}{{jsonPath, reports.JSON}, {mdPath, reports.Markdown}, {htmlPath, html.HTML}, {junitPath, reports.JUnit}} {
		if o.path == "" {
			continue
		}
		if err := writeOutput(e, cmd, o.path, func(w io.Writer) error { return o.r.Render(w, rep) }); err != nil {
			return err
		}
	}
	return nil
}
