package main

import (
	"errors"
	"fmt"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/scenarios"
)

func cmdCorpus(e *env, args []string) int {
	return dispatch(e, "corpus", args, map[string]func(*env, []string) int{"new": corpusNew, "record": corpusRecord})
}

func corpusNew(e *env, args []string) int {
	fs := newFlagSet("corpus new")
	var (
		scenario = fs.String("scenario", "default", "built-in scenario (see 'nssbench scenarios'): the class mix, feeds and framing")
		seed     = fs.Uint64("seed", 0, "generator seed (default: the scenario's)")
		count    = fs.Uint64("count", 0, "records to generate (required)")
		out      = fs.String("out", "", "corpus directory to create; must not exist or be empty (required)")
		rulesArg = fs.String("rules", "", "decide the expected verdicts with this rules file (copied into the corpus)")
		mapsArg  = fs.String("mappings", "", "decide the expected verdicts with this mapping file (copied into the corpus)")
		zst      = fs.Bool("zstd", false, "compress input and expected with zstd (default: when -count is 10000 or more)")
		desc     = fs.String("description", "", "corpus.json's description")
		clock    = addClockFlag(fs, "virtual; wall stamps record 0 with the current time and each next one 1ms later, the start recorded in corpus.json so that the corpus can be made again")
	)
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	switch {
	case *count == 0:
		return usageError(e.stderr, "corpus new", errors.New("-count is required"))
	case *out == "":
		return usageError(e.stderr, "corpus new", errors.New("-out is required"))
	}
	scn, err := scenarios.Builtin(*scenario)
	if err != nil {
		return usageError(e.stderr, "corpus new", fmt.Errorf("%w (a generated corpus names a built-in scenario, so that it can be made again)", err))
	}
	set := flagsGiven(fs)
	opts := corpus.NewOptions{Scenario: scn.Name, Seed: scn.Seed, Count: *count, Rules: *rulesArg, Mappings: *mapsArg,
		Compress: *zst || (!set["zstd"] && *count >= corpus.CompressFrom), Description: *desc, Clock: clock.Resolve(false)}
	if set["seed"] {
		opts.Seed = *seed
	}
	st, err := corpus.New(e.ctx, *out, opts)
	printWarnings(e, "corpus new", st.Warnings)
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench corpus new: %v\n", err)
		return pipelineErrorCode(err)
	}
	if err := st.WriteSummary(e.stdout, *out, opts); err != nil {
		return failure(e.stderr, "corpus new", err)
	}
	if st.Disagreements > 0 && *rulesArg == "" && *mapsArg == "" {
		return exitConformance // the built-in pipeline must agree with the ground truth
	}
	return exitOK
}

// pipelineErrorCode is the exit code of a failed corpus new or record: a rules or mapping file that does
// not load is a usage error, anything else (cannot listen, cannot write) a failure.
func pipelineErrorCode(err error) int {
	var fe *pipeline.FileError
	if errors.As(err, &fe) {
		return exitUsage
	}
	return exitFailure
}

func corpusRecord(e *env, args []string) int {
	fs := newFlagSet("corpus record")
	var (
		listen   = fs.String("listen", "tcp://127.0.0.1:5514", "address to receive the feed on: tcp://, udp:// or http:// (Cloud NSS); port 0 picks one")
		out      = fs.String("out", "", "corpus directory to create; must not exist or be empty (required)")
		count    = fs.Uint64("count", 0, "stop after this many records, oversize ones included")
		duration = fs.Duration("duration", 0, "stop after this long")
		rulesArg = fs.String("rules", "", "decide the expected verdicts with this rules file (copied into the corpus)")
		mapsArg  = fs.String("mappings", "", "decide the expected verdicts with this mapping file (copied into the corpus)")
		desc     = fs.String("description", "", "corpus.json's description")
	)
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	switch {
	case *out == "":
		return usageError(e.stderr, "corpus record", errors.New("-out is required"))
	case *duration < 0:
		return usageError(e.stderr, "corpus record", errors.New("-duration must be positive"))
	}
	st, err := corpus.Record(e.ctx, *listen, *out, corpus.RecordOptions{
		Rules: *rulesArg, Mappings: *mapsArg, Count: *count, Duration: *duration, Description: *desc,
		Listening: func(url string) {
			fmt.Fprintf(e.stderr, "nssbench corpus record: listening on %s (stop with Ctrl-C)\n", url)
		},
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench corpus record: %v\n", err)
		return pipelineErrorCode(err)
	}
	if err := st.WriteSummary(e.stdout, *out); err != nil {
		return failure(e.stderr, "corpus record", err)
	}
	return exitOK
}
