package main

import (
	"fmt"
	"os"

	"github.com/nssbench/nssbench/reports"
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
  compare BASE.json NEW.json   side-by-side table with deltas; exit 3 on a regression beyond -margin;
                               refused (exit 2) when the runs were different experiments, unless -force
  merge   A.json B.json...     merge sharded reports exactly (histograms, not averages) into one;
                               exit 3 when a shard is missing, unless -partial

Flags may come before or after the files.

Examples:
  nssbench report render report.json -html report.html
  nssbench report compare -margin 0.05 main.json branch.json
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
	fs := newFlagSet(e, "report compare", "report compare [flags] BASE.json NEW.json", "  nssbench report compare -margin 0.05 main.json branch.json\n")
	margin := fs.Float64("margin", 0.05, "relative noise margin: changes smaller than this are not regressions")
	md := fs.Bool("md", false, "print the comparison as Markdown")
	force := fs.Bool("force", false, "compare runs of different experiments (scenario and its hash, pacer, rate, target kind, connections, framing, rules, mappings) or reports that do not say")
	files, code, ok := parseInterspersed(e, fs, args)
	if !ok {
		return code
	}
	if len(files) != 2 {
		return usageError(e.stderr, "report compare", fmt.Errorf("want BASE.json NEW.json, got %d files", len(files)))
	}
	if *margin < 0 {
		return usageError(e.stderr, "report compare", fmt.Errorf("margin %g must be >= 0", *margin))
	}
	base, err := readReport(files[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report compare: %v\n", err)
		return exitFailure
	}
	cur, err := readReport(files[1])
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench report compare: %v\n", err)
		return exitFailure
	}
	if !checkComparable(e.stderr, files[0], files[1], base, cur, *force) {
		return exitUsage
	}
	c := reports.Compare(base, cur, *margin)
	r := reports.TextComparison
	if *md {
		r = reports.MarkdownComparison
	}
	if err := r.Render(e.stdout, c); err != nil {
		fmt.Fprintf(e.stderr, "nssbench report compare: %v\n", err)
		return exitFailure
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
