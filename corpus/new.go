package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/framing"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// CompressFrom is the record count from which corpus new compresses a corpus when -zstd is not given.
const CompressFrom = 10000

// NewOptions configures New.
type NewOptions struct {
	// Scenario is a built-in scenario's name: its class mix, feeds and framing. Only built-in scenarios
	// can be regenerated from the provenance, which CheckGroundTruth needs.
	Scenario string
	Seed     uint64 // the generator seed (the scenario's own seed is not used)
	Count    uint64 // records to generate, > 0
	// Rules and Mappings are files to decide the expected verdicts with, copied into the corpus and
	// named by its corpus.json; "" means the built-in ones.
	Rules, Mappings string
	// Compress writes input.log.zst and expected.jsonl.zst instead of plain files.
	Compress    bool
	Description string // corpus.json's description; a default names the scenario, seed and count
	// Clock stamps the records: generator.ClockVirtual (the zero value) with the generator's virtual
	// time, byte-identical from run to run; generator.ClockWall from a wall-clock start (Start, or the
	// time New is called), record seq seq/generator.DefaultEventsPerSecond after it. The start is
	// recorded in the provenance, so that CheckGroundTruth renders the same records.
	Clock generator.Clock
	Start time.Time // record 0's time with ClockWall; zero: now
}

// NewStats says what New wrote.
type NewStats struct {
	Records uint64
	// Disagreements counts records whose pipeline verdict differs from the generator's ground truth
	// (expected with the built-in rules and mappings; custom ones legitimately disagree). Examples holds
	// the first few, as "line N: field: got X, want Y".
	Disagreements uint64
	Examples      []string
	Warnings      []pipeline.Warning // mapping-file warnings
}

// maxExamples is how many ground-truth disagreements NewStats keeps.
const maxExamples = 5

// New makes a generated corpus in dir (created; it must not exist or be empty): Count records of a
// built-in scenario from Seed, with record tracking (externalId on every feed), in the scenario's
// framing, and their verdicts from the pipeline of Rules and Mappings. corpus.json records the
// provenance, so that CheckGroundTruth can regenerate the records. Records and verdicts are written in
// one pass; nothing is kept in memory.
func New(ctx context.Context, dir string, opts NewOptions) (NewStats, error) {
	var st NewStats
	if opts.Count == 0 {
		return st, errors.New("corpus: New needs a count > 0")
	}
	seed := opts.Seed
	m := &Manifest{
		Description: opts.Description,
		Format:      FormatCEF,
		Rules:       Builtin,
		Mappings:    Builtin,
		Provenance:  Provenance{Scenario: opts.Scenario, Seed: &seed, Count: opts.Count},
	}
	switch opts.Clock {
	case generator.ClockVirtual:
	case generator.ClockWall:
		start := opts.Start
		if start.IsZero() {
			start = time.Now()
		}
		m.Provenance.Clock, m.Provenance.Start = opts.Clock.String(), start.UTC().Format(time.RFC3339Nano)
	default:
		return st, fmt.Errorf("corpus: New: unknown clock %v", opts.Clock)
	}
	g, scn, err := generatorFor(&m.Provenance)
	if err != nil {
		return st, err
	}
	if m.Description == "" {
		m.Description = fmt.Sprintf("%d records of scenario %s, seed %d (nssbench corpus new)", opts.Count, scn.Name, seed)
	}
	fr := framing.FramingLF
	if scn.Framing == "octet" {
		fr, m.Framing = framing.FramingOctet, "octet"
	}
	created, err := prepareDir(dir)
	if err != nil {
		return st, err
	}
	ok := false
	defer func() {
		if !ok && created {
			os.RemoveAll(dir)
		}
	}()
	if opts.Rules != "" && opts.Mappings != "" && filepath.Base(opts.Rules) == filepath.Base(opts.Mappings) {
		return st, fmt.Errorf("corpus: the rules and mappings files are both named %s", filepath.Base(opts.Rules))
	}
	if m.Rules, err = copyInto(dir, opts.Rules, "rules"); err != nil {
		return st, err
	}
	if m.Mappings, err = copyInto(dir, opts.Mappings, "mappings"); err != nil {
		return st, err
	}
	c := &Corpus{Dir: dir, Manifest: *m}
	p, warnings, err := c.Pipeline(PipelineSpec{})
	if err != nil {
		return st, err
	}
	st.Warnings = warnings
	if err := writeManifest(dir, m); err != nil {
		return st, err
	}
	suffix := ""
	if opts.Compress {
		suffix = zstdSuffix
	}
	in, err := createWrite(filepath.Join(dir, "input.log"+suffix))
	if err != nil {
		return st, err
	}
	defer in.Abort()
	exp, err := createWrite(filepath.Join(dir, ExpectedFile+suffix))
	if err != nil {
		return st, err
	}
	defer exp.Abort()

	res := &Result{}
	t := newTruthCheck(g.Generator, res, maxExamples)
	dec := p.NewDecider()
	var (
		v          verdict.Verdict
		line, fram []byte
	)
	for seq := uint64(0); seq < opts.Count; seq++ {
		if seq&4095 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		l, label := g.render(line[:0], seq)
		line = l
		fram = fr.Append(fram[:0], line)
		if _, err := in.Write(fram); err != nil {
			return st, err
		}
		v.Line = seq + 1
		dec.Decide(line, &v)
		fram = append(v.AppendJSON(fram[:0]), '\n')
		if _, err := exp.Write(fram); err != nil {
			return st, err
		}
		t.check(seq+1, label, &v, line)
	}
	if err := in.Commit(); err != nil {
		return st, err
	}
	if err := exp.Commit(); err != nil {
		return st, err
	}
	ok = true
	st.Records, st.Disagreements = res.Records, res.Mismatched
	for i := range res.Mismatches {
		st.Examples = append(st.Examples, res.Mismatches[i].String())
	}
	return st, nil
}

// prepareDir makes dir, or accepts an existing empty one. It reports whether it created it.
func prepareDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, os.MkdirAll(dir, 0o755)
	case err != nil:
		return false, err
	case len(entries) > 0:
		return false, fmt.Errorf("corpus: %s exists and is not empty", dir)
	}
	return false, nil
}

// copyInto copies a rules or mappings file into the corpus dir, keeping its base name, and returns the
// name corpus.json uses for it ("builtin" for "").
func copyInto(dir, src, what string) (string, error) {
	if src == "" || src == Builtin {
		return Builtin, nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return "", fmt.Errorf("corpus: %s file: %w", what, err)
	}
	name := filepath.Base(src)
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return "", err
	}
	return name, nil
}

// writeManifest writes corpus.json.
func writeManifest(dir string, m *Manifest) error {
	return os.WriteFile(filepath.Join(dir, ManifestFile), m.AppendJSON(nil), 0o644)
}
