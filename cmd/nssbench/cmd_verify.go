package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/harness/pipeline"
)

func cmdVerify(e *env, args []string) int {
	fs := newFlagSet(e, "verify", "verify [flags] CORPUS...", `  nssbench verify corpus/golden                          # every shipped corpus under the directory
  nssbench verify -via tcp corpus/golden/filters         # through a real loopback listener and sender
  nssbench verify -mappings proposed.json corpus/golden  # does a mapping change alter any verdict?
  nssbench verify -json -junit verify.xml corpus/golden > verify.json
  nssbench verify -update corpus/golden/filters          # rewrite expected from the current pipeline
  nssbench verify -update -mappings proposed.json corpus/golden/filters  # adopt a mapping change

-update with -rules or -mappings copies those files into each corpus and names them in its corpus.json
("builtin" names the built-in ones), so that a plain verify passes afterwards.

A CORPUS is a corpus directory (with corpus.json) or a directory holding corpora.
Exit codes: 0 every record matched, 3 mismatches, 1 a corpus could not be read to its end (missing,
truncated or corrupt file, record counts that differ), 2 bad flags, corpus.json, rules or mappings.
`)
	var (
		via      = fs.String("via", corpus.ViaInproc, "deliver records in-process (inproc) or through a loopback collector (tcp; HTTP for Cloud NSS JSON corpora)")
		maxMis   = fs.Int("max-mismatches", corpus.DefaultMaxMismatches, "show at most this many mismatches per corpus (all are counted)")
		junit    = fs.String("junit", "", "also write JUnit XML to this file: a test case per corpus and per class")
		asJSON   = fs.Bool("json", false, "write a machine summary as JSON on stdout instead of the text summary")
		update   = fs.Bool("update", false, "rewrite each corpus's expected verdicts from the current pipeline (with -rules or -mappings: adopt those files), then verify")
		rulesArg = fs.String("rules", "", "decide with this rules file instead of the corpus's own")
		mapsArg  = fs.String("mappings", "", "decide with this mapping file instead of the corpus's own")
		navOut   = fs.String("navigator", "", "also write an ATT&CK Navigator layer of the alerts the pipeline decided in the corpora (scored by records) to this file")
	)
	paths, code, ok := parseInterspersed(e, fs, args)
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
	var outs []corpus.Outcome
	for _, p := range paths {
		dirs, err := corpus.Find(p)
		if err != nil {
			outs = append(outs, corpus.Outcome{Dir: p, Err: err})
			continue
		}
		for _, dir := range dirs {
			outs = append(outs, verifyOne(e.ctx, dir, spec, *update, corpus.VerifyOptions{Spec: spec, Via: *via, MaxMismatches: maxMismatches, Tally: tally}))
		}
	}
	rd := corpus.Text
	if *asJSON {
		rd = corpus.JSON
	}
	if err := rd.Render(e.stdout, outs); err != nil {
		fmt.Fprintf(e.stderr, "nssbench verify: %v\n", err)
		return exitFailure
	}
	if *junit != "" {
		if err := writeFile(*junit, func(f *os.File) error { return corpus.JUnit.Render(f, outs) }); err != nil {
			fmt.Fprintf(e.stderr, "nssbench verify: %v\n", err)
			return exitFailure
		}
	}
	if *navOut != "" {
		c := coverage.FromTally(fmt.Sprintf("%s (%d corpora)", strings.Join(paths, " "), len(outs)), tally)
		if err := writeFile(*navOut, func(f *os.File) error { return c.Layer().WriteJSON(f) }); err != nil {
			fmt.Fprintf(e.stderr, "nssbench verify: %v\n", err)
			return exitFailure
		}
	}
	return verifyExitCode(outs)
}

// verifyOne updates (if asked) and verifies one corpus. An update makes spec's rules and mappings the
// corpus's own (corpus.UpdateWith), and the corpus is then verified as it stands, without overrides.
func verifyOne(ctx context.Context, dir string, spec corpus.PipelineSpec, update bool, opts corpus.VerifyOptions) corpus.Outcome {
	o := corpus.Outcome{Dir: dir}
	c, err := corpus.Load(dir)
	if err != nil {
		o.Err = err
		return o
	}
	if update {
		st, err := corpus.UpdateWith(ctx, c, spec)
		if err != nil {
			o.Err = err
			return o
		}
		o.Update = &st
		if c, err = corpus.Load(dir); err != nil {
			o.Err = err
			return o
		}
		opts.Spec = corpus.PipelineSpec{} // the corpus's own pipeline is spec's now: check that it stands alone
	}
	o.Result, o.Err = corpus.Verify(ctx, c, opts)
	return o
}

// verifyExitCode maps outcomes to the exit code: a corpus that could not be read is a failure (exit 1),
// a bad corpus.json, rules or mappings file a usage error (2), an interrupt 130; otherwise mismatches
// are a conformance failure (3). A broken corpus never exits 0.
func verifyExitCode(outs []corpus.Outcome) int {
	code := exitOK
	rank := map[int]int{exitOK: 0, exitConformance: 1, exitUsage: 2, exitFailure: 3, exitInterrupted: 4}
	for i := range outs {
		c := exitOK
		var fe *pipeline.FileError
		switch err := outs[i].Err; {
		case err == nil && outs[i].Result.OK():
		case err == nil:
			c = exitConformance
		case errors.Is(err, context.Canceled):
			c = exitInterrupted
		case errors.Is(err, corpus.ErrManifest) || errors.As(err, &fe):
			c = exitUsage
		default:
			c = exitFailure
		}
		if rank[c] > rank[code] {
			code = c
		}
	}
	return code
}
