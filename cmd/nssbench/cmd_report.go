package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/html"
)

func cmdReport(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		w := e.stderr
		code := exitUsage
		if len(args) > 0 {
			w, code = e.stdout, exitOK
		}
		fmt.Fprint(w, `Usage: nssbench report <render|compare|merge> [flags] FILE...

  render  REPORT.json          print a saved report as text, or write it as -html/-md
  compare BASE NEW             side-by-side table with deltas; exit 3 on a regression beyond -margin;
                               a directory of replicates on a side: bootstrap intervals and verdicts,
                               exit 3 only on a confident regression; refused (exit 2) when the runs
                               were different experiments, unless -force
  merge   A.json B.json...     merge sharded reports exactly (histograms, not averages) into one;
                               exit 3 when a shard is missing, unless -partial

Flags may come before or after the files.

Examples:
  nssbench report render report.json -html report.html
  nssbench report compare -margin 0.05 main.json branch.json
  nssbench report compare -md comment.md -json signal.json base-replicates/ new-replicates/
  nssbench report merge -o merged.json shard-*.json
`)
		return code
	}
	switch args[0] {
	case "render":
		return reportRender(e, args[1:])
	case "compare":
		return reportCompare(e, args[1:])
	case "merge":
		return reportMerge(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "nssbench report: unknown subcommand %q (render, compare or merge)\n", args[0])
	return exitUsage
}

func reportRender(e *env, args []string) int {
	fs := newFlagSet(e, "report render", "report render [flags] REPORT.json", "  nssbench report render report.json\n  nssbench report render -md pr-comment.md report.json\n")
	htmlOut := fs.String("html", "", "write a self-contained HTML report with charts to this file")
	mdOut := fs.String("md", "", "write the report as Markdown to this file")
	files, code, ok := parseInterspersed(e, fs, args)
	if !ok {
		return code
	}
	if len(files) != 1 {
		return usageError(e.stderr, "report render", fmt.Errorf("want one report file, got %d", len(files)))
	}
	rep, err := readReport(files[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report render: %v\n", err)
		return exitFailure
	}
	if err := writeReports(e, rep, "", *mdOut, *htmlOut); err != nil {
		fmt.Fprintf(e.stderr, "nssbench report render: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func reportCompare(e *env, args []string) int {
	fs := newFlagSet(e, "report compare", "report compare [flags] BASE NEW", `  nssbench report compare -margin 5% main.json branch.json
  nssbench report compare -margin e2e.p99=10% -json signal.json -md comment.md base/ new/   # directories of replicates

BASE and NEW are each a report file or a directory of replicate reports (every *.json in it: 'run -repeat N
-out DIR'). Two single reports get the point comparison: side-by-side deltas, exit 3 on a change beyond
-margin. With two or more reports on a side the comparison is statistical: per metric both means, the
difference with a 95% percentile-bootstrap interval and a Mann-Whitney p-value, and a verdict (regressed,
improved, no change, erratic, insufficient replicates) against -margin; exit 3 only on a confident
regression. -json then writes the regression signal (schema `+abtest.Schema+`).
Every report must be a run of the same experiment as the first base report (exit 2 naming each
difference), unless -force.
`)
	margin := marginValue{all: abtest.DefaultMargin}
	fs.Var(&margin, "margin", "minimum effect size: changes smaller than this are not regressions, as 5% or 0.05; METRIC=10% sets one metric's (replicates only, e.g. e2e.p99=10%); repeatable")
	mdOut := fs.String("md", "", "also write the comparison as Markdown, sized for a pull-request comment, to this file (- : on stdout instead of the text)")
	jsonOut := fs.String("json", "", "also write the comparison as JSON to this file, with replicates the regression signal (- : on stdout instead of the text)")
	force := fs.Bool("force", false, "compare runs of different experiments (scenario and its hash, pacer, rate, target kind, connections, framing, rules, mappings) or reports that do not say")
	files, code, ok := parseInterspersed(e, fs, args)
	if !ok {
		return code
	}
	if len(files) != 2 {
		return usageError(e.stderr, "report compare", fmt.Errorf("want BASE NEW (report files or directories of replicates), got %d", len(files)))
	}
	base, basePaths, err := readSide(files[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report compare: %v\n", err)
		return exitFailure
	}
	cur, curPaths, err := readSide(files[1])
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report compare: %v\n", err)
		return exitFailure
	}
	if !checkSidesComparable(e, basePaths, curPaths, base, cur, *force) {
		return exitUsage
	}
	if len(base) > 1 || len(cur) > 1 {
		return compareReplicates(e, files[0], files[1], basePaths, curPaths, base, cur, margin, *jsonOut, *mdOut)
	}
	if len(margin.per) > 0 {
		return usageError(e.stderr, "report compare", errors.New("a per-metric -margin needs replicates: a directory of two or more reports on a side"))
	}
	c := reports.Compare(base[0], cur[0], margin.all)
	rd := func(r reports.ComparisonRenderer) func(io.Writer) error {
		return func(w io.Writer) error { return r.Render(w, c) }
	}
	if code := writeOutputs(e, "report compare", rd(reports.TextComparison), output{*jsonOut, rd(reports.JSONComparison)},
		output{*mdOut, rd(reports.MarkdownComparison)}); code != exitOK {
		return code
	}
	if c.Regressed() {
		return exitConformance
	}
	return exitOK
}

func reportMerge(e *env, args []string) int {
	fs := newFlagSet(e, "report merge", "report merge [flags] A.json B.json...", "  nssbench report merge -o merged.json shard-*.json\n")
	out := fs.String("o", "", "write the merged report as JSON to this file (default: stdout)")
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
			fmt.Fprintf(e.stderr, "nssbench report merge: %v\n", err)
			return exitFailure
		}
		reps = append(reps, rep)
	}
	merged, err := reports.Merge(reps...)
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report merge: %v\n", err)
		return exitFailure
	}
	if !checkShardsComplete(e.stderr, reps, *partial) {
		return exitConformance
	}
	if *out == "" {
		if err := reports.JSON.Render(e.stdout, merged); err != nil {
			fmt.Fprintf(e.stderr, "nssbench report merge: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := writeFile(*out, func(f *os.File) error { return reports.JSON.Render(f, merged) }); err != nil {
		fmt.Fprintf(e.stderr, "nssbench report merge: %v\n", err)
		return exitFailure
	}
	if err := reports.Text.Render(e.stdout, merged); err != nil {
		fmt.Fprintf(e.stderr, "nssbench report merge: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func readReport(path string) (*reports.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := reports.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// writeReports renders rep to each non-empty path in its format.
func writeReports(e *env, rep *reports.Report, jsonPath, mdPath, htmlPath string) error {
	for _, w := range []struct {
		path string
		r    reports.Renderer
	}{{jsonPath, reports.JSON}, {mdPath, reports.Markdown}, {htmlPath, htmlRenderer}} {
		if w.path == "" {
			continue
		}
		if err := writeFile(w.path, func(f *os.File) error { return w.r.Render(f, rep) }); err != nil {
			return err
		}
	}
	if jsonPath == "" && mdPath == "" && htmlPath == "" {
		return reports.Text.Render(e.stdout, rep)
	}
	return nil
}

// htmlRenderer writes the self-contained HTML report.
var htmlRenderer = html.HTML
