package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/reports/output"
)

func cmdVerify(e *env, args []string) int {
	fs := newFlagSet("verify")
	var asJSON output.FileOrStdout
	var (
		via      = fs.String("via", corpus.ViaInproc, "deliver records in-process (inproc) or through a loopback collector (tcp; HTTP for Cloud NSS JSON corpora)")
		maxMis   = fs.Int("max-mismatches", corpus.DefaultMaxMismatches, "show at most this many mismatches per corpus (all are counted)")
		junit    = fs.String("junit", "", "also write JUnit XML to `FILE` ('-': stdout): a test case per corpus and per class")
		update   = fs.Bool("update", false, "rewrite each corpus's expected verdicts from the current pipeline (with -rules or -mappings: adopt those files), then verify")
		rulesArg = fs.String("rules", "", "decide with this rules file instead of the corpus's own")
		mapsArg  = fs.String("mappings", "", "decide with this mapping file instead of the corpus's own")
		navOut   = fs.String("navigator", "", "also write an ATT&CK Navigator layer of the alerts the pipeline decided in the corpora (scored by records) to `FILE` ('-': stdout)")
	)
	fs.Var(&asJSON, "json", "write the machine summary as JSON to `FILE` ('-' or a bare -json: stdout, instead of the text summary)")
	isDir := func(s string) bool { st, err := os.Stat(s); return err == nil && st.IsDir() }
	paths, code, ok := parseInterspersed(e, fs, output.JoinOptional(args, isDir, "json"))
	if !ok {
		return code
	}
	if len(paths) == 0 {
		return usageError(e.stderr, "verify", errors.New("no corpus given"))
	}
	if *via != corpus.ViaInproc && *via != corpus.ViaTCP {
		return usageError(e.stderr, "verify", fmt.Errorf("-via %q: want inproc or tcp", *via))
	}
	maxMismatches := *maxMis
	if maxMismatches <= 0 {
		maxMismatches = -1 // keep none
	}
	spec := corpus.PipelineSpec{Rules: *rulesArg, Mappings: *mapsArg}
	var tally *coverage.Tally // observed coverage, for -navigator
	if *navOut != "" {
		tally = &coverage.Tally{}
	}
	outs := corpus.VerifyAll(e.ctx, paths, *update, corpus.VerifyOptions{Spec: spec, Via: *via, MaxMismatches: maxMismatches, Tally: tally})
	type format = output.Format[[]corpus.Outcome]
	if err := output.Render(outputs(e, "verify"), outs, corpus.Text, "summary", format{Path: asJSON.Path, R: corpus.JSON},
		format{Path: *junit, R: corpus.JUnit}, format{Path: *navOut, R: corpus.Navigator(paths, tally)}); err != nil {
		return failure(e.stderr, "verify", err)
	}
	return verifyExitCode(outs)
}

// verifyExitCode maps the worst outcome to the exit code: a corpus that could not be read is a failure
// (exit 1), a bad corpus.json, rules or mappings file a usage error (2), an interrupt 130; otherwise
// mismatches are a conformance failure (3). A broken corpus never exits 0.
func verifyExitCode(outs []corpus.Outcome) int {
	return map[corpus.Severity]int{corpus.Verified: exitOK, corpus.Mismatched: exitConformance, corpus.BadInput: exitUsage,
		corpus.Failed: exitFailure, corpus.Interrupted: exitInterrupted}[corpus.Worst(outs)]
}
