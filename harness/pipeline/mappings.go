package pipeline

import (
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/scenarios/jsonpos"

	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/valyala/fastjson"
)

// Mappings is the alert-type → MITRE ATT&CK table of PIPELINE.md stage 3. It is immutable and safe for
// concurrent use; a nil *Mappings is an empty table.
type Mappings struct {
	byType map[string]*verdict.Threat
	rows   []MappingRow
	hash   string // of the file's content: see Hash
}

// MappingRow is one row of a mapping table.
type MappingRow struct {
	AlertType string
	Feed      verdict.Feed // the feed the alert type belongs to; FeedUnknown when the file does not say
	Threat    *verdict.Threat
}

// Warning is a problem in a mapping file that does not stop it from loading, such as an identical
// duplicate row.
type Warning struct {
	File string
	Line int
	Msg  string
}

// String is the warning as a compiler would put it: "file:line: msg".
func (w Warning) String() string { return w.File + ":" + strconv.Itoa(w.Line) + ": " + w.Msg }

// Lookup returns the threat alertType maps to, or nil. Matching is exact and case-sensitive after
// trimming surrounding spaces and tabs. It does not allocate. The *Threat is shared: do not modify it.
func (m *Mappings) Lookup(alertType []byte) *verdict.Threat {
	if m == nil {
		return nil
	}
	return m.byType[string(cef.TrimBlank(alertType))]
}

// Len returns the number of distinct alert types.
func (m *Mappings) Len() int {
	if m == nil {
		return 0
	}
	return len(m.rows)
}

// Hash identifies the file the table was parsed from: the first 16 hex digits of the SHA-256 of its
// content ("" for a nil table). Reports carry it so that runs with different mappings are not compared.
func (m *Mappings) Hash() string {
	if m == nil {
		return ""
	}
	return m.hash
}

// Rows returns the table's rows in file order, without duplicates, for reports. The caller must not
// modify them.
func (m *Mappings) Rows() []MappingRow {
	if m == nil {
		return nil
	}
	return m.rows
}

// LoadMappings reads and parses a mapping file (see ParseMappings).
func LoadMappings(path string) (*Mappings, []Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return ParseMappings(path, data)
}

// ParseMappings parses a mapping file in either format of the package doc: the JSON document
// {"mappings": [...]} or the integration page's listing, one {"alertType": …} object per line. name is
// used in errors and warnings. It returns a complete table or an error (*FileError values, joined when
// there are several), never a partial table. An identical duplicate row is a Warning; two rows with the
// same alert type and different threats are an error naming both lines.
func ParseMappings(name string, data []byte) (*Mappings, []Warning, error) {
	l := &mapLoader{name: name, m: &Mappings{byType: map[string]*verdict.Threat{}}, lines: map[string]int{}}
	if isListing(data) {
		l.listing(data)
	} else {
		l.document(data)
	}
	if len(l.errs) > 0 {
		return nil, nil, errors.Join(l.errs...)
	}
	l.m.hash = contentHash(data)
	return l.m, l.warnings, nil
}

// mapLoader collects the rows, warnings and problems of one mapping file.
type mapLoader struct {
	name     string
	m        *Mappings
	lines    map[string]int // alert type → line of its first row
	warnings []Warning
	errs     []error
}

func (l *mapLoader) fail(e *FileError) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, e)
	}
}

// isListing reports whether data is in the integration page's one-object-per-line form: its first line
// that is neither blank nor a '#' comment is an object naming an alertType and no "mappings".
func isListing(data []byte) bool {
	for line := range bytes.Lines(data) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		return t[0] == '{' && bytes.Contains(t, []byte(`"alertType"`)) && !bytes.Contains(t, []byte(`"mappings"`))
	}
	return false
}

// listing loads the one-object-per-line form. Blank lines and '#' comment lines are skipped; a comma
// before the closing brace and one after it are accepted, as the integration page writes them.
func (l *mapLoader) listing(data []byte) {
	var jp fastjson.Parser
	n := 0
	for line := range bytes.Lines(data) {
		n++
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		text := bytes.TrimRight(bytes.Clone(line), "\r\n")
		dropTrailingCommas(text)
		v, err := jp.ParseBytes(text)
		if err != nil {
			l.fail(syntaxError(l.name, text, n, err))
			continue
		}
		l.row(v, n, "", func(key string) int {
			if key == "" {
				return jsonpos.SkipSpace(text, 0)
			}
			return jsonpos.ValueOffset(text, key)
		}, text, n)
	}
}

// dropTrailingCommas blanks a comma after the last '}' of line and a comma just before it, keeping
// every other byte in its column.
func dropTrailingCommas(line []byte) {
	end := len(bytes.TrimRight(line, " \t"))
	if end > 0 && line[end-1] == ',' {
		line[end-1] = ' '
		end = len(bytes.TrimRight(line[:end-1], " \t"))
	}
	if end == 0 || line[end-1] != '}' {
		return
	}
	if j := len(bytes.TrimRight(line[:end-1], " \t")); j > 0 && line[j-1] == ',' {
		line[j-1] = ' '
	}
}

// document loads the {"mappings": [...]} form.
func (l *mapLoader) document(data []byte) {
	var jp fastjson.Parser
	doc, err := jp.ParseBytes(data)
	if err != nil {
		l.fail(syntaxError(l.name, data, 1, err))
		return
	}
	top, err := doc.Object()
	if err != nil {
		l.fail(fileErrorAt(l.name, data, 1, jsonpos.ValueOffset(data), "", `want {"mappings": [...]} or one {"alertType": …} object per line`))
		return
	}
	top.Visit(func(k []byte, _ *fastjson.Value) {
		if string(k) != "mappings" {
			l.fail(fileErrorAt(l.name, data, 1, jsonpos.ValueOffset(data, string(k)), string(k), `unknown field (want "mappings")`))
		}
	})
	mv := doc.Get("mappings")
	if mv == nil || mv.Type() != fastjson.TypeArray {
		off := jsonpos.ValueOffset(data, "mappings")
		if off < 0 {
			off = jsonpos.ValueOffset(data)
		}
		l.fail(fileErrorAt(l.name, data, 1, off, "mappings", "want a list of mapping objects"))
		return
	}
	arr, _ := mv.Array()
	for i, v := range arr {
		field := "mappings[" + strconv.Itoa(i) + "]"
		line := fileErrorAt(l.name, data, 1, jsonpos.ValueOffset(data, "mappings", i), "", "").Line
		l.row(v, line, field, func(key string) int {
			if key == "" {
				return jsonpos.ValueOffset(data, "mappings", i)
			}
			return jsonpos.ValueOffset(data, "mappings", i, key)
		}, data, 1)
	}
}

// threatID is the shape of a MITRE ATT&CK technique or sub-technique id.
var threatID = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)

// row loads one mapping object found at line. at returns the offset in text (whose first line is
// firstLine) of the value of a key, or of the object for "".
func (l *mapLoader) row(v *fastjson.Value, line int, field string, at func(key string) int, text []byte, firstLine int) {
	errAt := func(key, msg string) {
		f := key
		if field != "" {
			f = field + "." + key
		}
		if key == "" {
			f = field
		}
		l.fail(fileErrorAt(l.name, text, firstLine, at(key), f, msg))
	}
	o, err := v.Object()
	if err != nil {
		errAt("", `want an object {"alertType": …, "threatId": …, "threatName": …}`)
		return
	}
	before := len(l.errs)
	o.Visit(func(k []byte, _ *fastjson.Value) {
		switch string(k) {
		case "alertType", "feed", "threatId", "threatName":
		default:
			errAt(string(k), "unknown field (want alertType, feed, threatId, threatName)")
		}
	})
	get := func(key string) string {
		fv := o.Get(key)
		if fv == nil {
			if key != "feed" {
				errAt("", fmt.Sprintf("missing %q", key))
			}
			return ""
		}
		b, err := fv.StringBytes()
		if err != nil {
			errAt(key, "want a string, got "+fv.Type().String())
			return ""
		}
		return string(b)
	}
	alertType := string(cef.TrimBlank([]byte(get("alertType"))))
	id, tname, feedName := get("threatId"), get("threatName"), get("feed")
	if len(l.errs) != before {
		return
	}
	var feed verdict.Feed
	switch {
	case alertType == "":
		errAt("alertType", "empty alert type")
	case !threatID.MatchString(id):
		errAt("threatId", fmt.Sprintf("%q is not a MITRE ATT&CK technique id like T1566 or T1204.002", id))
	case tname == "":
		errAt("threatName", "empty threat name")
	case feedName != "":
		f, err := verdict.ParseFeed(feedName)
		if err != nil {
			errAt("feed", err.Error())
		}
		feed = f
	}
	if len(l.errs) != before {
		return
	}
	if prev, dup := l.m.byType[alertType]; dup {
		first := l.lines[alertType]
		if prev.ID == id && prev.Name == tname {
			l.warnings = append(l.warnings, Warning{File: l.name, Line: line,
				Msg: fmt.Sprintf("alertType %q repeats line %d identically (%s %s); the duplicate is ignored", alertType, first, id, tname)})
			return
		}
		errAt("alertType", fmt.Sprintf("alertType %q maps to %s %q here but to %s %q at line %d", alertType, id, tname, prev.ID, prev.Name, first))
		return
	}
	t := &verdict.Threat{ID: id, Name: tname}
	l.m.byType[alertType] = t
	l.lines[alertType] = line
	l.m.rows = append(l.m.rows, MappingRow{AlertType: alertType, Feed: feed, Threat: t})
}
