package corpus

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/verdict"
)

// UpdateStats says what Update did.
type UpdateStats struct {
	File    string `json:"file"`    // the expected file written
	Records uint64 `json:"records"` // records in the input, hence verdicts written
	Changed uint64 `json:"changed"` // records whose verdict differs from the old expected one (all, when there was none)
	Removed uint64 `json:"removed"` // old expected lines beyond the input's records, dropped
}

// Update rewrites the expected verdicts of corpus c from pipeline p (nil: the corpus's own rules and
// mappings), one verdict.Verdict.AppendJSON line per input record, and counts the records whose verdict
// changed. Load c again to verify the new file. The old file may be missing, shorter, longer or partly unreadable: it is what Update repairs,
// and records it cannot compare count as changed. The new file replaces the old one only once it is
// complete; it is compressed when the old one was, or (without an old one) when the input is.
func Update(ctx context.Context, c *Corpus, p *pipeline.Pipeline) (UpdateStats, error) {
	var err error
	if p == nil {
		if p, _, err = c.Pipeline(PipelineSpec{}); err != nil {
			return UpdateStats{}, err
		}
	}
	path := c.Expected
	if path == "" {
		path = filepath.Join(c.Dir, ExpectedFile)
		if strings.HasSuffix(c.Input, zstdSuffix) {
			path += zstdSuffix
		}
	}
	st := UpdateStats{File: path}
	var old *expectedReader
	if c.Expected != "" {
		if old, err = openExpected(c.Expected); err != nil {
			return st, err
		}
		defer old.close()
	}
	src, err := openSource(c, p.MaxLine())
	if err != nil {
		return st, err
	}
	defer src.close()
	out, err := createWrite(path)
	if err != nil {
		return st, &Error{Kind: ErrMissing, File: path, Msg: "cannot write", Err: err}
	}
	dec := p.NewDecider()
	var (
		v    verdict.Verdict
		r    inputRecord
		line []byte
		wp   wantParser
		w    want
	)
	for {
		if st.Records&4095 == 0 && ctx.Err() != nil {
			out.Abort()
			return st, ctx.Err()
		}
		err := src.next(&r)
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Abort()
			return st, err
		}
		st.Records++
		v.Line = st.Records
		switch {
		case r.oversize:
			dec.DecideOversize(&v)
		case c.Format() == FormatJSON:
			dec.DecideJSON(r.data, &v)
		default:
			dec.Decide(r.data, &v)
		}
		line = append(v.AppendJSON(line[:0]), '\n')
		if _, err := out.Write(line); err != nil {
			out.Abort()
			return st, &Error{Kind: ErrMissing, File: path, Msg: "cannot write", Err: err}
		}
		if !sameAsOld(old, &wp, &w, line[:len(line)-1], &v) {
			st.Changed++
		}
	}
	for old != nil {
		if _, err := old.next(); err != nil {
			break
		}
		st.Removed++
	}
	if err := out.Commit(); err != nil {
		return st, &Error{Kind: ErrMissing, File: path, Msg: "cannot write", Err: err}
	}
	return st, nil
}

// sameAsOld reads the next old expected line and reports whether it states verdict v (rendered as
// line): byte for byte, or field by field. A missing or unreadable old line is a change.
func sameAsOld(old *expectedReader, wp *wantParser, w *want, line []byte, v *verdict.Verdict) bool {
	if old == nil {
		return false
	}
	prev, err := old.next()
	if err != nil {
		return false
	}
	if string(prev) == string(line) {
		return true
	}
	if wp.parse(old.file, old.line, prev, w) != nil {
		return false
	}
	for f := range numFields {
		if !w.equal(v, v.Line, f) {
			return false
		}
	}
	return true
}
