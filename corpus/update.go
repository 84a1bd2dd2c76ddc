package corpus

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// UpdateStats says what Update did.
type UpdateStats struct {
	File    string `json:"file"`    // the expected file written
	Records uint64 `json:"records"` // records in the input, hence verdicts written
	Changed uint64 `json:"changed"` // records whose verdict differs from the old expected one (all, when there was none)
	Removed uint64 `json:"removed"` // old expected lines beyond the input's records, dropped
	// Rules and Mappings are what corpus.json names now, when UpdateWith adopted a file (or the built-in
	// ones) for them; "" when they stayed as they were.
	Rules    string `json:"rules,omitempty"`
	Mappings string `json:"mappings,omitempty"`
}

// Update rewrites the expected verdicts of corpus c from pipeline p (nil: the corpus's own rules and
// mappings), one verdict.Verdict.AppendJSON line per input record, and counts the records whose verdict
// changed. corpus.json is left as it is: when p is not the corpus's own pipeline, UpdateWith is the one
// to use, as it makes the new rules and mappings the corpus's own. Load c again to verify the new file.
// The old file may be missing, shorter, longer or partly unreadable: it is what Update repairs, and
// records it cannot compare count as changed. The new file replaces the old one only once it is
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

// UpdateWith rewrites the expected verdicts of c with the pipeline of spec (c's own rules and mappings
// with spec's overrides, as Verify decides with them) and makes that pipeline the corpus's own, so that
// a later Verify without overrides passes: an override file is copied into the corpus under its base
// name and corpus.json names it there; an override of "builtin" makes corpus.json say "builtin".
// corpus.json is edited in place, its layout kept, and only where a name changes; files the corpus
// named before stay in its directory. A copy that would take the name of another corpus file (corpus.json,
// an input or expected file, the sources file, the other of rules and mappings, or any file other than
// the one it replaces) is refused with an *Error of kind ErrManifest before anything is written. The
// expected file is written first, then the copies, then corpus.json. Load c again to verify the result.
func UpdateWith(ctx context.Context, c *Corpus, spec PipelineSpec) (UpdateStats, error) {
	p, _, err := c.Pipeline(spec)
	if err != nil {
		return UpdateStats{}, err
	}
	plan, err := c.adoption(spec)
	if err != nil {
		return UpdateStats{}, err
	}
	st, err := Update(ctx, c, p)
	if err != nil || len(plan) == 0 {
		return st, err
	}
	mpath := filepath.Join(c.Dir, ManifestFile)
	data, err := os.ReadFile(mpath)
	if err != nil {
		return st, &Error{Kind: ErrMissing, File: mpath, Msg: "cannot read", Err: err}
	}
	for _, a := range plan {
		if a.src != "" {
			if _, err := copyInto(c.Dir, a.src, a.key); err != nil {
				return st, err
			}
		}
		if data, err = setManifestString(mpath, data, a.key, a.name); err != nil {
			return st, err
		}
		if a.key == "rules" {
			st.Rules = a.name
		} else {
			st.Mappings = a.name
		}
	}
	out, err := createWrite(mpath)
	if err != nil {
		return st, &Error{Kind: ErrMissing, File: mpath, Msg: "cannot write", Err: err}
	}
	if _, err := out.Write(data); err != nil {
		out.Abort()
		return st, &Error{Kind: ErrMissing, File: mpath, Msg: "cannot write", Err: err}
	}
	if err := out.Commit(); err != nil {
		return st, &Error{Kind: ErrMissing, File: mpath, Msg: "cannot write", Err: err}
	}
	return st, nil
}

// adopt is one change UpdateWith makes to corpus.json: its member key ("rules" or "mappings") names
// name, after src (when not "") is copied into the corpus as name.
type adopt struct {
	key, name, src string
}

// adoption works out the changes that make spec's rules and mappings the corpus's own, checking that
// no copy takes the name of another corpus file.
func (c *Corpus) adoption(spec PipelineSpec) ([]adopt, error) {
	mpath := filepath.Join(c.Dir, ManifestFile)
	own := func(s string) string {
		if s == "" {
			return Builtin
		}
		return s
	}
	roles := []struct {
		key, override, own string
	}{
		{"rules", spec.Rules, own(c.Manifest.Rules)},
		{"mappings", spec.Mappings, own(c.Manifest.Mappings)},
	}
	reserved := map[string]string{ManifestFile: "the manifest", ExpectedFile: "the expected file",
		ExpectedFile + zstdSuffix: "the expected file", Builtin: "how corpus.json names the built-in ones"}
	for _, in := range inputNames {
		reserved[in.name] = "an input file"
	}
	if s := c.Manifest.Provenance.Sources; s != "" {
		reserved[s] = "the sources file"
	}
	var plan []adopt
	final := map[string]string{} // key -> the name corpus.json will hold
	for _, r := range roles {
		final[r.key] = r.own
		switch {
		case r.override == "" || r.override == Builtin && r.own == Builtin:
			continue
		case r.override == Builtin:
			plan = append(plan, adopt{key: r.key, name: Builtin})
			final[r.key] = Builtin
			continue
		case r.own != Builtin && sameFile(r.override, filepath.Join(c.Dir, r.own)):
			continue // already the corpus's own file
		}
		a := adopt{key: r.key, name: filepath.Base(r.override), src: r.override}
		dest := filepath.Join(c.Dir, a.name)
		if what, ok := reserved[a.name]; ok {
			return nil, &Error{Kind: ErrManifest, File: mpath, Field: r.key, Msg: fmt.Sprintf(
				"cannot copy %s into the corpus as %q, which is %s; rename it", r.override, a.name, what)}
		}
		switch _, err := os.Stat(dest); {
		case sameFile(r.override, dest):
			a.src = "" // the file is in the corpus already
		case err == nil && a.name != r.own:
			return nil, &Error{Kind: ErrManifest, File: mpath, Field: r.key, Msg: fmt.Sprintf(
				"cannot copy %s into the corpus as %q: another file has that name; rename one of them", r.override, a.name)}
		}
		plan = append(plan, a)
		final[r.key] = a.name
	}
	if final["rules"] != Builtin && final["rules"] == final["mappings"] && len(plan) > 0 {
		return nil, &Error{Kind: ErrManifest, File: mpath, Field: "mappings", Msg: fmt.Sprintf(
			"rules and mappings would both be %q; rename one of them", final["rules"])}
	}
	return plan, nil
}

// sameFile reports whether paths a and b name one existing file.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
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
