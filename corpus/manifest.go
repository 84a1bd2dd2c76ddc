package corpus

import (
	"github.com/nssbench/nssbench/scenarios/jsonpos"

	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/valyala/fastjson"
)

// Format names the grammar of a corpus's input records.
type Format string

// Input formats.
const (
	FormatCEF  Format = "cef"  // syslog/CEF lines, decided with pipeline.Decider.Decide
	FormatJSON Format = "json" // Cloud NSS JSON objects, decided with pipeline.Decider.DecideJSON
)

// Builtin names the pipeline's built-in rules or mappings in corpus.json.
const Builtin = "builtin"

// Manifest is the content of corpus.json (the package doc gives the schema).
type Manifest struct {
	Description string     `json:"description"`
	Format      Format     `json:"format"`
	Framing     string     `json:"framing,omitempty"` // cef: "lf" or "octet"; empty means "lf"
	Rules       string     `json:"rules"`             // "builtin" or a path relative to the corpus
	Mappings    string     `json:"mappings"`          // "builtin" or a path relative to the corpus
	Provenance  Provenance `json:"provenance"`
	Patterns    []Pattern  `json:"patterns,omitempty"`
}

// Provenance says where a corpus's records came from: a generator run (Scenario, Seed, Count) or a
// Source described in words, optionally with a Sources file in the corpus naming the origin of each
// record.
type Provenance struct {
	Scenario string  `json:"scenario,omitempty"` // built-in scenario name
	Seed     *uint64 `json:"seed,omitempty"`     // generator seed, with Scenario
	Count    uint64  `json:"count,omitempty"`    // records generated, with Scenario
	// Clock is "wall" when the records are stamped from a wall-clock start (nssbench corpus new -clock
	// wall), with Start; "" (or "virtual") is the generator's virtual clock.
	Clock string `json:"clock,omitempty"`
	// Start is the wall-clock time of record 0 with Clock "wall", in RFC 3339 with nanoseconds: record
	// seq is stamped at Start + seq/generator.DefaultEventsPerSecond, so that the records can be made again.
	Start   string `json:"start,omitempty"`
	Source  string `json:"source,omitempty"`  // free text: a capture, a hand-written corpus, a web page
	Sources string `json:"sources,omitempty"` // a file in the corpus: where each record came from
}

// Pattern lets one field of a verdict vary legitimately: instead of equalling the expected value, the
// field's actual value must match the regular expression Match (RE2 syntax, anchored at both ends).
// It applies to the records named by RecordIDs or Lines, or to every record when both are empty.
type Pattern struct {
	Field     string   `json:"field"`
	Match     string   `json:"match"`
	RecordIDs []string `json:"recordids,omitempty"`
	Lines     []uint64 `json:"lines,omitempty"`
}

var (
	manifestKeys   = []string{"description", "format", "framing", "rules", "mappings", "provenance", "patterns"}
	provenanceKeys = []string{"scenario", "seed", "count", "clock", "start", "source", "sources"}
	patternKeys    = []string{"field", "match", "recordids", "lines"}
)

// AppendJSON appends m as indented JSON with a final newline, as New and Record write corpus.json.
func (m *Manifest) AppendJSON(dst []byte) []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic("BUG: marshal manifest: " + err.Error())
	}
	return append(append(dst, b...), '\n')
}

// setManifestString returns corpus.json's text data with its "rules" or "mappings" member (key) set to
// value, the rest of the text as it was: the member's value is replaced where it is, or the member is
// added first, indented like the member that follows. The result is parsed again, and it is an error
// when it does not read back as value.
func setManifestString(file string, data []byte, key, value string) ([]byte, error) {
	quoted, err := json.Marshal(value)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %s: %w", file, key, err)
	}
	var out []byte
	if off := jsonpos.ValueOffset(data, key); off >= 0 && off < len(data) && data[off] == '"' {
		end := off + 1
		for end < len(data) && data[end] != '"' {
			if data[end] == '\\' {
				end++
			}
			end++
		}
		out = append(append(append(out, data[:off]...), quoted...), data[min(end+1, len(data)):]...)
	} else {
		open := jsonpos.SkipSpace(data, 0)
		first := jsonpos.SkipSpace(data, open+1)
		member := append([]byte(`"`+key+`": `), quoted...)
		if first < len(data) && data[first] != '}' {
			member = append(append(member, ','), data[open+1:first]...)
		}
		out = append(append(append(out, data[:first]...), member...), data[first:]...)
	}
	m, err := parseManifest(file, out)
	if err != nil {
		return nil, err
	}
	if got := map[string]string{"rules": m.Rules, "mappings": m.Mappings}[key]; got != value {
		return nil, &Error{Kind: ErrManifest, File: file, Field: key, Msg: fmt.Sprintf("set to %q, reads back as %q", value, got)}
	}
	return out, nil
}

// clock checks a provenance's clock and start: a wall clock needs a start time of a generator run, and
// only a wall clock has one.
func (d *manifestDecoder) clock(pr *Provenance, path []any) {
	switch pr.Clock {
	case "", "virtual":
		if pr.Start != "" {
			d.fail(append(path, "start"), `a start time needs "clock": "wall"`)
		}
	case "wall":
		if _, err := pr.wallStart(); err != nil {
			d.fail(append(path, "start"), "%v", err)
		}
		if pr.Scenario == "" {
			d.fail(append(path, "clock"), "a clock describes a generator run and needs a scenario")
		}
	default:
		d.fail(append(path, "clock"), "%q: want wall or virtual", pr.Clock)
	}
}

// manifestDecoder collects every problem of one corpus.json.
type manifestDecoder struct {
	file string
	data []byte
	errs []error
}

func (d *manifestDecoder) fail(path []any, format string, args ...any) {
	off := jsonpos.ValueOffset(d.data, path...)
	if off < 0 {
		off = jsonpos.ValueOffset(d.data, path[:len(path)-1]...)
	}
	d.errs = append(d.errs, &Error{Kind: ErrManifest, File: d.file, Line: lineAt(d.data, off), Field: pathName(path),
		Msg: fmt.Sprintf(format, args...)})
}

// pathName renders a JSON path as "patterns[1].match".
func pathName(path []any) string {
	s := ""
	for _, p := range path {
		switch p := p.(type) {
		case string:
			if s != "" {
				s += "."
			}
			s += p
		case int:
			s += "[" + strconv.Itoa(p) + "]"
		}
	}
	return s
}

// object returns v as an object, checking its keys against known.
func (d *manifestDecoder) object(v *fastjson.Value, path []any, known []string) *fastjson.Object {
	o, err := v.Object()
	if err != nil {
		d.fail(path, "want an object, got %s", v.Type())
		return nil
	}
	o.Visit(func(k []byte, _ *fastjson.Value) {
		for _, name := range known {
			if string(k) == name {
				return
			}
		}
		d.fail(append(path, string(k)), "unknown field (want one of %v)", known)
	})
	return o
}

// str returns the string at key of o, "" when absent.
func (d *manifestDecoder) str(o *fastjson.Object, path []any, key string) string {
	v := o.Get(key)
	if v == nil {
		return ""
	}
	s, err := v.StringBytes()
	if err != nil {
		d.fail(append(path, key), "want a string, got %s", v.Type())
		return ""
	}
	return string(s)
}

// uint returns the non-negative integer at key of o, and whether it is present.
func (d *manifestDecoder) uint(o *fastjson.Object, path []any, key string) (uint64, bool) {
	v := o.Get(key)
	if v == nil {
		return 0, false
	}
	n, err := v.Uint64()
	if err != nil {
		d.fail(append(path, key), "want a non-negative integer, got %s", v)
		return 0, false
	}
	return n, true
}

// parseManifest parses corpus.json. Every problem is an *Error of kind ErrManifest with file, line and
// field; several are joined.
func parseManifest(file string, data []byte) (*Manifest, error) {
	d := &manifestDecoder{file: file, data: data}
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	if err != nil {
		return nil, &Error{Kind: ErrManifest, File: file, Msg: "invalid JSON", Err: err}
	}
	top := d.object(v, nil, manifestKeys)
	if top == nil {
		return nil, errors.Join(d.errs...)
	}
	m := &Manifest{
		Description: d.str(top, nil, "description"),
		Format:      Format(d.str(top, nil, "format")),
		Framing:     d.str(top, nil, "framing"),
		Rules:       d.str(top, nil, "rules"),
		Mappings:    d.str(top, nil, "mappings"),
	}
	switch m.Format {
	case "", FormatCEF, FormatJSON:
	default:
		d.fail([]any{"format"}, "unknown format %q (want cef or json)", m.Format)
	}
	switch {
	case m.Framing != "" && m.Framing != "lf" && m.Framing != "octet":
		d.fail([]any{"framing"}, "unknown framing %q (want lf or octet)", m.Framing)
	case m.Framing != "" && m.Format == FormatJSON:
		d.fail([]any{"framing"}, "framing applies to cef input only")
	}
	for _, k := range []string{"rules", "mappings"} {
		p := top.Get(k)
		s := d.str(top, nil, k)
		switch {
		case p == nil:
		case s == "":
			d.fail([]any{k}, `want "builtin" or a path relative to the corpus`)
		case filepath.IsAbs(s):
			d.fail([]any{k}, "%q: want a path relative to the corpus, so that it travels with it", s)
		}
	}
	if pv := top.Get("provenance"); pv != nil {
		path := []any{"provenance"}
		if o := d.object(pv, path, provenanceKeys); o != nil {
			pr := &m.Provenance
			pr.Scenario = d.str(o, path, "scenario")
			if seed, ok := d.uint(o, path, "seed"); ok {
				pr.Seed = &seed
			}
			pr.Count, _ = d.uint(o, path, "count")
			pr.Clock = d.str(o, path, "clock")
			pr.Start = d.str(o, path, "start")
			d.clock(pr, path)
			pr.Source = d.str(o, path, "source")
			pr.Sources = d.str(o, path, "sources")
			if pr.Scenario == "" && (pr.Seed != nil || pr.Count != 0) {
				d.fail(append(path, "scenario"), "seed and count describe a generator run and need a scenario")
			}
		}
	}
	if pv := top.Get("patterns"); pv != nil {
		arr, err := pv.Array()
		if err != nil {
			d.fail([]any{"patterns"}, "want a list of patterns, got %s", pv.Type())
		}
		for i, e := range arr {
			m.Patterns = append(m.Patterns, d.pattern(e, []any{"patterns", i}))
		}
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return m, nil
}

// pattern decodes and checks one pattern.
func (d *manifestDecoder) pattern(v *fastjson.Value, path []any) Pattern {
	var p Pattern
	o := d.object(v, path, patternKeys)
	if o == nil {
		return p
	}
	p.Field = d.str(o, path, "field")
	p.Match = d.str(o, path, "match")
	if _, ok := parseField(p.Field); !ok {
		d.fail(append(path, "field"), "unknown verdict field %q (want one of %v)", p.Field, fieldNames)
	}
	if o.Get("match") == nil {
		d.fail(append(path, "match"), "missing: a regular expression the field's value must match")
	} else if _, err := regexp.Compile(anchor(p.Match)); err != nil {
		d.fail(append(path, "match"), "%v", err)
	}
	if ids := o.Get("recordids"); ids != nil {
		arr, err := ids.Array()
		if err != nil {
			d.fail(append(path, "recordids"), "want a list of record id strings")
		}
		for i, e := range arr {
			s, err := e.StringBytes()
			if err != nil {
				d.fail(append(path, "recordids", i), "want a string, got %s", e.Type())
			}
			p.RecordIDs = append(p.RecordIDs, string(s))
		}
	}
	if lines := o.Get("lines"); lines != nil {
		arr, err := lines.Array()
		if err != nil {
			d.fail(append(path, "lines"), "want a list of record line numbers")
		}
		for i, e := range arr {
			n, err := e.Uint64()
			if err != nil || n == 0 {
				d.fail(append(path, "lines", i), "want a positive integer, got %s", e)
			}
			p.Lines = append(p.Lines, n)
		}
	}
	return p
}

// anchor makes a pattern match whole values.
func anchor(re string) string { return `^(?:` + re + `)$` }
