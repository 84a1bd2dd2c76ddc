package main

import (
	"fmt"
	"io"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/harness/pipeline"
)

const coverageExamples = `  nssbench coverage                                          # the built-in mapping's ATT&CK techniques
  nssbench coverage -mappings proposed.json -base builtin    # techniques gained and lost by a mapping change
  nssbench coverage -mappings proposed.json -base main-mappings.json -o layer.json -md coverage.md

The text goes to stdout. -o writes an ATT&CK Navigator layer (layer format ` + coverage.LayerFormat + `, domain ` + coverage.Domain + `):
one entry per technique, scored by the number of alert types mapped to it, with a comment naming them.
'verify -navigator FILE' writes the layer of the verdicts a corpus run actually decided instead.
Exit codes: 0 ok, 2 bad flags or mapping file.
`

// cmdCoverage prints the ATT&CK coverage of a mapping table and, against a base table, what changed.
func cmdCoverage(e *env, args []string) int {
	fs := newFlagSet(e, "coverage", "coverage [flags]", coverageExamples)
	var (
		mapsArg = fs.String("mappings", corpus.Builtin, "the alert-type → ATT&CK mapping file (builtin: the built-in mapping)")
		baseArg = fs.String("base", "", "also show what changed from this mapping file (builtin: the built-in mapping): techniques gained and lost, alert types that changed technique")
		layer   = fs.String("o", "", "also write the coverage as an ATT&CK Navigator layer (JSON) to this file (- : on stdout instead of the text)")
		mdOut   = fs.String("md", "", "also write the coverage as Markdown, for a pull-request comment, to this file (- : on stdout instead of the text)")
	)
	fs.StringVar(layer, "navigator", "", "the same as -o")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, "coverage", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
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
		output{*layer, func(w io.Writer) error { return cur.Layer().WriteJSON(w) }},
		output{*mdOut, func(w io.Writer) error { return coverage.WriteMarkdown(w, cur, diff) }})
}

// mappingCoverage loads a mapping file ("builtin": the built-in table), prints its warnings and returns
// its coverage.
func mappingCoverage(e *env, path string) (*coverage.Coverage, error) {
	if path == corpus.Builtin {
		return coverage.FromMappings(corpus.Builtin, pipeline.DefaultMappings()), nil
	}
	m, warnings, err := pipeline.LoadMappings(path)
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "nssbench coverage: warning: %s:%d: %s\n", w.File, w.Line, w.Msg)
	}
	if err != nil {
		return nil, err
	}
	return coverage.FromMappings(path, m), nil
}
