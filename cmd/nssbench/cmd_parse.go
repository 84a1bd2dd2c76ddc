package main

import (
	"fmt"

	"github.com/nssbench/nssbench/harness/pipeline"
)

func cmdParse(e *env, args []string) int {
	fs := newFlagSet("parse")
	var (
		asJSON    = fs.Bool("json", false, "one JSON object per line: {\"ok\":…,\"header\":{…},\"extensions\":{…}} or {\"ok\":false,\"error\":…,\"column\":N}")
		withVerd  = fs.Bool("verdict", false, "also show the reference pipeline's verdict")
		strict    = fs.Bool("strict", false, "parse extensions to the letter of the CEF specification (a raw '=' in a value, or a tab before a key, is an error)")
		rulesFile = fs.String("rules", "", "rules file for -verdict (default: built-in)")
		mapsFile  = fs.String("mappings", "", "mapping file for -verdict (default: built-in)")
		check     = fs.Bool("check", false, "exit 3 if any line is malformed (PIPELINE.md C1), counting them by detail on stderr")
	)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	pl, err := openPipeline(e, "parse", *rulesFile, *mapsFile, *strict)
	if err != nil {
		return usageError(e.stderr, "parse", err)
	}
	x := pl.NewExplainer(e.stdout, pipeline.ExplainOptions{JSON: *asJSON, Verdict: *withVerd})
	errs := x.ReadFiles(fs.Args(), e.stdin)
	for _, err := range errs {
		fmt.Fprintf(e.stderr, "nssbench parse: %v\n", err)
	}
	if err := x.Flush(); err != nil {
		return failure(e.stderr, "parse", err)
	}
	switch {
	case len(errs) > 0:
		return exitFailure
	case !*check:
		return exitOK
	}
	fmt.Fprintf(e.stderr, "nssbench parse: %s\n", x.Summary())
	if x.Malformed() > 0 {
		return exitConformance
	}
	return exitOK
}
