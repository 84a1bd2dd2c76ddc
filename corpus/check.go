package corpus

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// DefaultMaxMismatches is how many mismatches a Result keeps in detail when VerifyOptions.MaxMismatches
// is 0.
const DefaultMaxMismatches = 10

// checker decides input records one by one and compares each verdict with the next expected line.
//
// The hot path does not allocate: the verdict and its JSON rendering reuse their buffers, and a verdict
// whose rendering equals the expected line byte for byte (the form Update writes) matches without
// parsing it. Any other line is parsed (fastjson, reused) and compared field by field, with patterns.
type checker struct {
	c      *Corpus
	format Format
	dec    *pipeline.Decider
	exp    *expectedReader
	wp     wantParser
	w      want
	v      verdict.Verdict
	got    []byte
	key    []byte
	keep   int // mismatches still to keep in detail

	classes map[string]*ClassSummary
	changes map[changeKey]*changeAcc
	fields  [numFields]uint64
	res     *Result
	pos     uint64          // records decided so far
	tally   *coverage.Tally // nil: observed coverage not asked for
}

func newChecker(c *Corpus, p *pipeline.Pipeline, exp *expectedReader, res *Result, maxMismatches int) *checker {
	keep := maxMismatches
	switch {
	case keep == 0:
		keep = DefaultMaxMismatches
	case keep < 0:
		keep = 0
	}
	return &checker{c: c, format: c.Format(), dec: p.NewDecider(), exp: exp, res: res, keep: keep,
		got: make([]byte, 0, 512), classes: map[string]*ClassSummary{}, changes: map[changeKey]*changeAcc{}}
}

// check decides one input record and compares its verdict with the next expected line.
func (k *checker) check(r *inputRecord) error {
	k.pos++
	k.v.Line = k.pos
	switch {
	case r.oversize:
		k.dec.DecideOversize(&k.v)
	case k.format == FormatJSON:
		k.dec.DecideJSON(r.data, &k.v)
	default:
		k.dec.Decide(r.data, &k.v)
	}
	if k.tally != nil {
		k.tally.Add(&k.v)
	}
	line, err := k.exp.next()
	if err == io.EOF {
		return &Error{Kind: ErrCount, File: k.c.Input, Line: k.pos, Msg: fmt.Sprintf(
			"record %d has no expected verdict: %s ends after %d lines", k.pos, base(k.exp.file), k.exp.line)}
	}
	if err != nil {
		return err
	}
	k.res.Records++
	k.got = k.v.AppendJSON(k.got[:0])
	if bytes.Equal(k.got, line) && !k.c.patterns.touches(k.v.RecordID, k.pos) {
		k.res.Matched++
		k.class(k.v.Stage, k.v.Kind, k.v.Reason, k.v.Detail, k.v.AlertType).Records++
		return nil
	}
	return k.compare(line, r)
}

// compare parses an expected line that is not byte-identical to the verdict and compares them field
// by field.
func (k *checker) compare(line []byte, r *inputRecord) error {
	w := &k.w
	if err := k.wp.parse(k.exp.file, k.exp.line, line, w); err != nil {
		return err
	}
	id := w.recordID
	if !w.hasRecordID {
		id = k.v.RecordID
	}
	var m *Mismatch
	diffs := 0
	var diff [numFields]bool
	for f := range numFields {
		ok := false
		p := k.c.patterns.lookup(f, id, k.pos)
		if p != nil {
			ok = p.match(&k.v, k.pos, f)
		} else {
			ok = w.equal(&k.v, k.pos, f)
		}
		if ok {
			continue
		}
		k.fields[f]++
		diffs++
		diff[f] = true
		if m == nil && k.keep > 0 {
			m = &Mismatch{Line: k.pos, RecordID: string(w.recordID), Input: inputText(r)}
		}
		if m != nil {
			d := FieldDiff{Field: f.String(), Got: gotText(&k.v, k.pos, f), Want: w.text(f)}
			if p != nil {
				d.Want = "~/" + p.src + "/"
			}
			m.Fields = append(m.Fields, d)
		}
	}
	cls := k.class(w.stage, w.kind, w.reason, w.detail, w.alertType)
	cls.Records++
	if diffs == 0 {
		k.res.Matched++
		return nil
	}
	k.res.Mismatched++
	cls.Mismatches++
	k.change(w, cls, &diff)
	if m != nil {
		m.Class = cls.Name
		k.res.Mismatches = append(k.res.Mismatches, *m)
		k.keep--
	}
	return nil
}

// inputText renders an input record for a mismatch report.
func inputText(r *inputRecord) string {
	switch {
	case r.oversize && r.size > 0:
		return "(oversize record of " + strconv.FormatInt(r.size, 10) + " bytes, not kept by the framer)"
	case r.oversize:
		return "(oversize record, not kept by the framer)"
	}
	return showInput(r.data)
}

// class returns the summary of the class with these expected values, creating it on first use. The
// lookup does not allocate.
func (k *checker) class(stage verdict.Stage, kind verdict.Kind, reason verdict.Reason, detail verdict.Detail, alertType []byte) *ClassSummary {
	k.key = append(k.key[:0], byte(stage), byte(kind), byte(reason), byte(detail))
	if kind == verdict.KindAlert {
		k.key = append(k.key, alertType...)
	} else {
		alertType = nil
	}
	if cs, ok := k.classes[string(k.key)]; ok {
		return cs
	}
	cs := &ClassSummary{Stage: stage.String(), Verdict: kind.String(), Reason: reason.String(), Detail: detail.String(),
		AlertType: string(alertType)}
	cs.Name = className(cs)
	k.classes[string(k.key)] = cs
	return cs
}

// className joins a class's non-empty parts with '/': "platform/alert/RDP Allow",
// "collector/dropped/malformed/bad_header".
func className(cs *ClassSummary) string {
	name := cs.Stage + "/" + cs.Verdict
	for _, p := range []string{cs.Reason, cs.Detail, cs.AlertType} {
		if p != "" {
			name += "/" + p
		}
	}
	return name
}

// finish checks that the expected file ends with the input and completes the result.
func (k *checker) finish() error {
	if _, err := k.exp.next(); err != io.EOF {
		if err != nil {
			return err
		}
		return &Error{Kind: ErrCount, File: k.exp.file, Line: k.exp.line, Msg: fmt.Sprintf(
			"verdict for a record the input does not have: %s holds %d records", base(k.c.Input), k.pos)}
	}
	k.res.Classes = k.res.Classes[:0]
	for _, cs := range k.classes {
		k.res.Classes = append(k.res.Classes, *cs)
	}
	sort.Slice(k.res.Classes, func(i, j int) bool { return k.res.Classes[i].Name < k.res.Classes[j].Name })
	k.finishChanges()
	k.res.Fields = k.res.Fields[:0]
	for f := range numFields {
		if k.fields[f] > 0 {
			k.res.Fields = append(k.res.Fields, FieldCount{Field: f.String(), Count: k.fields[f]})
		}
	}
	return nil
}
