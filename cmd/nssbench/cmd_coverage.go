package main

import (
	"fmt"
	"io"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/reports/output"

	"github.com/nssbench/nssbench/cmd/nssbench/internal/cli"
)

// cmdCoverage prints the ATT&CK coverage of a mapping table and, against a base table, what changed.
func cmdCoverage(e *env, args []string) int {
	fs := newFlagSet("coverage")
	var (
		mapsArg = fs.String("mappings", corpus.Builtin, "the alert-type → ATT&CK mapping file (builtin: the built-in mapping)")
		baseArg = fs.String("base", "", "also show what changed from this mapping file (builtin: the built-in mapping): techniques gained and lost, alert types that changed technique")
		layer   = fs.String("navigator", "", "also write the coverage as an ATT&CK Navigator layer (JSON) to `FILE` ('-': stdout, instead of the text)")
		mdOut   = fs.String("md", "", "also write the coverage as Markdown, for a pull-request comment, to `FILE` ('-': stdout, instead of the text)")
	)
	cli.Alias(fs, "o", "navigator")
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	cur, err := mappingCoverage(e, *mapsArg)
	if err != nil {
		return usageError(e.stderr, "coverage", err)
	}
	var diff *coverage.Diff
	if *baseArg != "" {
		base, err := mappingCoverage(e, *baseArg)
		if err != nil {
			return usageError(e.stderr, "coverage", fmt.Errorf("-base: %w", err))
		}
		diff = coverage.Compare(base, cur)
	}
	return writeOutputs(e, "coverage", func(w io.Writer) error { return coverage.WriteText(w, cur, diff) },
		output.Output{Path: *layer, Write: func(w io.Writer) error { return cur.Layer().WriteJSON(w) }},
		output.Output{Path: *mdOut, Write: func(w io.Writer) error { return coverage.WriteMarkdown(w, cur, diff) }})
}

// mappingCoverage loads a mapping file ("builtin": the built-in table), prints its warnings and returns
// its coverage.
func mappingCoverage(e *env, path string) (*coverage.Coverage, error) {
	m, warnings, err := corpus.LoadMappings(path)
	printWarnings(e, "coverage", warnings)
	if err != nil {
		return nil, err
	}
	return coverage.FromMappings(path, m), nil
}
