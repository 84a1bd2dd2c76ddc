package pipeline

import (
	"fmt"

	"github.com/nssbench/nssbench/harness/cef"
)

// DefaultMaxLine is the collector's default line limit, 64 KiB (PIPELINE.md C1).
const DefaultMaxLine = 64 << 10

// Options configures a Pipeline.
type Options struct {
	MaxLine int  // longest accepted record in bytes, without its terminator; 0 means DefaultMaxLine
	Strict  bool // parse CEF in strict mode (see package cef); NSS's own unescaped values then fail C1
}

// Pipeline is the reference collector and platform: the built-in C1 check, the drop rules and the
// mapping table. It is immutable and may be shared by any number of goroutines, each deciding with its
// own Decider.
type Pipeline struct {
	rules *Rules
	maps  *Mappings
	opts  Options
}

// New returns a pipeline deciding with rules and maps (nil means none). Options' zero values take their
// defaults.
func New(rules *Rules, maps *Mappings, opts Options) *Pipeline {
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	return &Pipeline{rules: rules, maps: maps, opts: opts}
}

// Hashes identify the rules and mapping files the pipeline decides with (see Rules.Hash, Mappings.Hash).
func (p *Pipeline) Hashes() (rules, mappings string) { return p.rules.Hash(), p.maps.Hash() }

// MaxLine returns the line limit in bytes: the framer cuts longer records and reports them with
// Decider.DecideOversize.
func (p *Pipeline) MaxLine() int { return p.opts.MaxLine }

// String describes the pipeline, e.g. "Pipeline{maxLine=65536 strict=false rules(defaults: …) mappings=10}".
func (p *Pipeline) String() string {
	return fmt.Sprintf("Pipeline{maxLine=%d strict=%v %v mappings=%d}", p.opts.MaxLine, p.opts.Strict, p.rules, p.maps.Len())
}

// NewDecider returns a Decider for one goroutine.
func (p *Pipeline) NewDecider() *Decider {
	return &Decider{p: p, parser: cef.Parser{Strict: p.opts.Strict}, fields: make([]fieldValue, p.rules.fieldKeys())}
}
