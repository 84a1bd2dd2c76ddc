package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/scenarios"
)

// truthCheck compares verdicts with the generator's ground truth: the label's class expectation, and
// the record id the label says the line carries.
type truthCheck struct {
	classes []generator.Class
	counts  map[uint16]*ClassSummary
	res     *Result
	keep    int
}

func newTruthCheck(g *generator.Generator, res *Result, maxMismatches int) *truthCheck {
	keep := maxMismatches
	switch {
	case keep == 0:
		keep = DefaultMaxMismatches
	case keep < 0:
		keep = 0
	}
	return &truthCheck{classes: g.Classes(), counts: map[uint16]*ClassSummary{}, res: res, keep: keep}
}

// check compares verdict v of record pos (rendered from line, or an oversize record) with label l.
func (t *truthCheck) check(pos uint64, l generator.Label, v *verdict.Verdict, line []byte) {
	cls := &t.classes[l.Class]
	cs := t.counts[l.Class]
	if cs == nil {
		e := &cls.Expect
		cs = &ClassSummary{Name: cls.Name, Stage: e.Stage.String(), Verdict: e.Kind.String(), Reason: e.Reason.String(),
			Detail: e.Detail.String(), AlertType: e.AlertType}
		t.counts[l.Class] = cs
	}
	cs.Records++
	t.res.Records++
	mm, ok := cls.Expect.Check(v)
	if ok && len(v.RecordID) > 0 && !recordIDIs(v.RecordID, l.RecordID) {
		mm, ok = verdict.Mismatch{Field: "recordid", Got: string(v.RecordID), Want: strconv.FormatUint(l.RecordID, 10)}, false
	}
	if ok {
		t.res.Matched++
		return
	}
	t.res.Mismatched++
	cs.Mismatches++
	if t.keep > 0 {
		t.keep--
		t.res.Mismatches = append(t.res.Mismatches, Mismatch{Line: pos, RecordID: string(v.RecordID), Class: cls.Name,
			Fields: []FieldDiff{{Field: mm.Field, Got: mm.Got, Want: mm.Want}}, Input: showInput(line)})
	}
}

// recordIDIs reports whether id is the decimal rendering of n, without allocating.
func recordIDIs(id []byte, n uint64) bool {
	var buf [20]byte
	return string(strconv.AppendUint(buf[:0], n, 10)) == string(id)
}

// finish sorts the class summaries into the result.
func (t *truthCheck) finish() {
	for _, cs := range t.counts {
		t.res.Classes = append(t.res.Classes, *cs)
	}
	sort.Slice(t.res.Classes, func(i, j int) bool { return t.res.Classes[i].Name < t.res.Classes[j].Name })
}

// firstDifference describes where record got first differs from want, e.g. `at byte 120: "…" vs "…"`.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	excerpt := func(b []byte) string {
		return strconv.Quote(string(b[i:min(len(b), i+40)]))
	}
	return fmt.Sprintf("at byte %d: %s in the corpus, %s from the generator", i+1, excerpt(got), excerpt(want))
}

// generatorFor builds the generator a provenance describes: a built-in scenario, with record tracking
// (externalId on every feed), as New makes corpora, stamped by the provenance's clock.
func generatorFor(pr *Provenance) (*stamped, *scenarios.Scenario, error) {
	scn, err := scenarios.Builtin(pr.Scenario)
	if err != nil {
		return nil, nil, err
	}
	if pr.Seed != nil {
		scn.Seed = *pr.Seed
	}
	g, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		return nil, nil, err
	}
	s := &stamped{Generator: g}
	if pr.Clock == generator.ClockWall.String() {
		start, err := pr.wallStart()
		if err != nil {
			return nil, nil, err
		}
		s.wall, s.start = true, start.UnixNano()
	}
	return s, scn, nil
}

// stamped is a corpus's generator with its clock: the virtual one, or a wall-clock start from which
// record seq is stamped seq/generator.DefaultEventsPerSecond later.
type stamped struct {
	*generator.Generator
	wall  bool
	start int64 // Unix nanoseconds of record 0, with wall
}

// render appends record seq as the corpus holds it.
func (s *stamped) render(dst []byte, seq uint64) ([]byte, generator.Label) {
	if !s.wall {
		return s.Append(dst, seq)
	}
	return s.AppendAt(dst, seq, s.start+int64(seq)*int64(time.Second)/generator.DefaultEventsPerSecond)
}

// wallStart parses Start, which a wall clock needs.
func (pr *Provenance) wallStart() (time.Time, error) {
	if pr.Start == "" {
		return time.Time{}, errors.New(`a wall clock needs a start time ("start": "2026-12-02T16:06:26.5Z")`)
	}
	t, err := time.Parse(time.RFC3339Nano, pr.Start)
	if err != nil {
		return time.Time{}, fmt.Errorf("start %q: want an RFC 3339 time", pr.Start)
	}
	return t, nil
}

// CheckGroundTruth checks a generated corpus (one whose provenance names a built-in scenario, seed and
// count, as New writes it) against its generator: every input record must be byte for byte what the
// generator renders for its sequence number (else an *Error of kind ErrGroundTruth: the generator has
// changed and the corpus must be made again), and every expected verdict must equal the ground truth of
// the record's label (the class's verdict.Expectation, and the label's record id). Disagreements are
// mismatches on the Result, classed by generator class. This is the live-conformance check of a run,
// done offline on the corpus's expected file; it does not run the pipeline.
func CheckGroundTruth(ctx context.Context, c *Corpus, maxMismatches int) (*Result, error) {
	start := time.Now()
	pr := &c.Manifest.Provenance
	if pr.Scenario == "" || pr.Seed == nil {
		return nil, &Error{Kind: ErrManifest, File: c.Dir + "/" + ManifestFile, Field: "provenance",
			Msg: "not a generated corpus: the provenance names no scenario and seed"}
	}
	g, scn, err := generatorFor(pr)
	if err != nil {
		return nil, &Error{Kind: ErrManifest, File: c.Dir + "/" + ManifestFile, Field: "provenance.scenario", Msg: "cannot regenerate", Err: err}
	}
	res := &Result{Corpus: c.Dir, Description: c.Manifest.Description, Via: "ground-truth",
		Pipeline: fmt.Sprintf("generator{scenario=%s seed=%d}", scn.Name, scn.Seed)}
	src, err := openSource(c, generator.DefaultMaxLine)
	if err != nil {
		return nil, err
	}
	defer src.close()
	expPath, err := c.expectedPath()
	if err != nil {
		return nil, err
	}
	exp, err := openExpected(expPath)
	if err != nil {
		return nil, err
	}
	defer exp.close()
	t := newTruthCheck(g.Generator, res, maxMismatches)
	var (
		r    inputRecord
		buf  []byte
		wp   wantParser
		w    want
		v    verdict.Verdict
		th   verdict.Threat
		seq  uint64
		line []byte
	)
	for ; ; seq++ {
		if seq&4095 == 0 && ctx.Err() != nil {
			return res, ctx.Err()
		}
		err := src.next(&r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, err
		}
		var lbl generator.Label
		buf, lbl = g.render(buf[:0], seq)
		if (r.oversize && r.size != int64(len(buf))) || (!r.oversize && string(r.data) != string(buf)) {
			return res, &Error{Kind: ErrGroundTruth, File: c.Input, Line: seq + 1, Msg: fmt.Sprintf(
				"differs from what the generator renders for seq %d (scenario %s, seed %d) %s: the generator has changed; make the corpus again",
				seq, scn.Name, scn.Seed, firstDifference(r.data, buf))}
		}
		if line, err = exp.next(); err != nil {
			if err == io.EOF {
				return res, &Error{Kind: ErrCount, File: c.Input, Line: seq + 1, Msg: fmt.Sprintf(
					"record %d has no expected verdict: %s ends after %d lines", seq+1, base(exp.file), exp.line)}
			}
			return res, err
		}
		if err := wp.parse(exp.file, exp.line, line, &w); err != nil {
			return res, err
		}
		v = verdict.Verdict{RecordID: w.recordID, Line: seq + 1, Feed: w.feed, Stage: w.stage, Kind: w.kind, Reason: w.reason,
			Detail: w.detail, AlertType: w.alertType}
		if w.mapped == mappedTrue || len(w.threatID) > 0 {
			th = verdict.Threat{ID: string(w.threatID), Name: string(w.threatName)}
			v.Threat = &th
		}
		t.check(seq+1, lbl, &v, buf)
	}
	if _, err := exp.next(); err != io.EOF {
		if err != nil {
			return res, err
		}
		return res, &Error{Kind: ErrCount, File: exp.file, Line: exp.line, Msg: fmt.Sprintf(
			"verdict for a record the input does not have: %s holds %d records", base(c.Input), seq)}
	}
	if pr.Count != 0 && pr.Count != seq {
		return res, &Error{Kind: ErrCount, File: c.Input, Msg: fmt.Sprintf("holds %d records, but corpus.json's provenance says %d", seq, pr.Count)}
	}
	t.finish()
	res.Elapsed = time.Since(start)
	return res, nil
}
