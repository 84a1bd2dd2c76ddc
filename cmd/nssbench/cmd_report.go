package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/nssbench/nssbench/reports"
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
// -md, -html and -summary.
func addReportFlags(fs *flag.FlagSet) (jsonOut, md, htmlOut *string, summary *bool) {
	jsonOut = fs.String("json", "", "also write the complete report as JSON to `FILE` ('-': stdout, instead of the text report)")
	md = fs.String("md", "", "also write the report as Markdown to `FILE` ('-': stdout)")
	htmlOut = fs.String("html", "", "also write a self-contained HTML report with charts to `FILE` ('-': stdout)")
	summary = fs.Bool("summary", false, "print the report's first screen only: verdict, rates, latency, loss, balance and gates")
	alias(fs, "out", "json")
	return jsonOut, md, htmlOut, summary
}

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
	jsonOut, mdOut, htmlOut, summary := addReportFlags(fs)
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
	if *jsonOut == "" && *mdOut == "" && *htmlOut == "" {
		text = textFor(*summary)
	}
	if err := writeReports(e, "report render", rep, text, *jsonOut, *mdOut, *htmlOut); err != nil {
		return failure(e.stderr, "report render", err)
	}
	return exitOK
}

func reportCompare(e *env, args []string) int {
	fs := newFlagSet("report compare")
	margin := fs.Float64("margin", 0.05, "relative noise margin: changes smaller than this are not regressions")
	var md fileOrStdout
	fs.Var(&md, "md", "write the comparison as Markdown to `FILE` ('-' or a bare -md: stdout, instead of the text table)")
	force := fs.Bool("force", false, "compare runs of different experiments (scenario and its hash, pacer, rate, target kind, connections, framing, rules, mappings) or reports that do not say")
	isReport := func(s string) bool { return strings.HasSuffix(s, ".json") }
	files, code, ok := parseInterspersed(e, fs, cli.JoinOptional(args, isReport, "md"))
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
		return failure(e.stderr, "report compare", err)
	}
	cur, err := readReport(files[1])
	if err != nil {
		return failure(e.stderr, "report compare", err)
	}
	if !checkComparable(e.stderr, files[0], files[1], base, cur, *force) {
		return exitUsage
	}
	c := reports.Compare(base, cur, *margin)
	r, path := reports.TextComparison, "-"
	if md.Path != "" {
		r, path = reports.MarkdownComparison, md.Path
	}
	if err := writeOutput(e, "report compare", path, func(w io.Writer) error { return r.Render(w, c) }); err != nil {
		return failure(e.stderr, "report compare", err)
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
	if *jsonOut == "" && *mdOut == "" && *htmlOut == "" {
		*jsonOut = "-" // the merged report is the output
	}
	if err := writeReports(e, "report merge", merged, nil, *jsonOut, *mdOut, *htmlOut); err != nil {
		return failure(e.stderr, "report merge", err)
	}
	return exitOK
}

// readReport reads a saved report (reports.ReadFile).
func readReport(path string) (*reports.Report, error) { return reports.ReadFile(path) }

// writeReports prints rep on stdout with text (none when nil), then renders it to each non-empty path
// in its format ('-': stdout), confirming each file on stderr.
func writeReports(e *env, cmd string, rep *reports.Report, text reports.Renderer, jsonPath, mdPath, htmlPath string) error {
	if text != nil {
		if err := text.Render(e.stdout, rep); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	for _, o := range []struct {
		path string
		r    reports.Renderer
	}{{jsonPath, reports.JSON}, {mdPath, reports.Markdown}, {htmlPath, html.HTML}} {
		if o.path == "" {
			continue
		}
		if err := writeOutput(e, cmd, o.path, func(w io.Writer) error { return o.r.Render(w, rep) }); err != nil {
			return err
		}
	}
	return nil
}
