package corpus

import (
	"fmt"
	"strconv"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/valyala/fastjson"
)

// field is a member of a verdict record, in the order verdict.Verdict.AppendJSON writes them.
type field uint8

const (
	fieldRecordID field = iota
	fieldLine
	fieldFeed
	fieldStage
	fieldVerdict
	fieldReason
	fieldDetail
	fieldAlertType
	fieldMapped
	fieldThreatID
	fieldThreatName
	numFields
)

var fieldNames = [numFields]string{"recordid", "line", "feed", "stage", "verdict", "reason", "detail", "alertType",
	"mapped", "threatId", "threatName"}

// String returns the field's JSON name.
func (f field) String() string { return fieldNames[f] }

// parseField returns the field with JSON name s.
func parseField(s string) (field, bool) {
	for f := range numFields {
		if fieldNames[f] == s {
			return f, true
		}
	}
	return 0, false
}

// names maps the verdict vocabulary's names to values, so that parsing a name does not allocate (the
// verdict package's parsers format an error, which makes their argument escape).
var names = struct {
	feeds   map[string]verdict.Feed
	stages  map[string]verdict.Stage
	kinds   map[string]verdict.Kind
	reasons map[string]verdict.Reason
	details map[string]verdict.Detail
}{
	feeds:   map[string]verdict.Feed{},
	stages:  map[string]verdict.Stage{verdict.StageCollector.String(): verdict.StageCollector, verdict.StagePlatform.String(): verdict.StagePlatform},
	kinds:   map[string]verdict.Kind{verdict.KindAlert.String(): verdict.KindAlert, verdict.KindDropped.String(): verdict.KindDropped},
	reasons: map[string]verdict.Reason{},
	details: map[string]verdict.Detail{},
}

func init() {
	for _, f := range verdict.Feeds() {
		names.feeds[f.String()] = f
	}
	for _, r := range verdict.Reasons() {
		names.reasons[r.String()] = r
	}
	for _, d := range verdict.Details() {
		names.details[d.String()] = d
	}
}

// Tri-state of the "mapped" member.
const (
	mappedAbsent uint8 = iota
	mappedFalse
	mappedTrue
)

// want is one expected verdict record, parsed. Its byte slices point into the parser that read it and
// are valid until the next parse.
type want struct {
	recordID    []byte
	hasRecordID bool
	line        uint64
	hasLine     bool
	feed        verdict.Feed
	stage       verdict.Stage
	kind        verdict.Kind
	reason      verdict.Reason
	detail      verdict.Detail
	alertType   []byte
	mapped      uint8
	threatID    []byte
	threatName  []byte
}

// wantParser parses expected verdict records. It is not safe for concurrent use.
type wantParser struct {
	jp fastjson.Parser
}

// parse parses one line of an expected file into w. A problem is an *Error of kind ErrExpected naming
// file, line and field.
func (p *wantParser) parse(file string, lineNo uint64, line []byte, w *want) error {
	*w = want{}
	fail := func(f, format string, args ...any) error {
		return &Error{Kind: ErrExpected, File: file, Line: lineNo, Field: f, Msg: fmt.Sprintf(format, args...)}
	}
	v, err := p.jp.ParseBytes(line)
	if err != nil {
		return &Error{Kind: ErrExpected, File: file, Line: lineNo, Msg: "invalid JSON", Err: err}
	}
	o, err := v.Object()
	if err != nil {
		return fail("", "want a verdict object, got %s", v.Type())
	}
	var ferr error
	seen := [numFields]bool{}
	o.Visit(func(k []byte, jv *fastjson.Value) {
		if ferr != nil {
			return
		}
		f, ok := parseField(string(k))
		if !ok {
			ferr = fail(string(k), "unknown field (want one of recordid, line, feed, stage, verdict, reason, detail, alertType, mapped, threatId, threatName)")
			return
		}
		if seen[f] {
			ferr = fail(f.String(), "repeated field")
			return
		}
		seen[f] = true
		ferr = w.set(f, jv, func(format string, args ...any) error { return fail(f.String(), format, args...) })
	})
	if ferr != nil {
		return ferr
	}
	switch {
	case !w.hasRecordID && !w.hasLine:
		return fail("", `a verdict record needs "recordid" or "line"`)
	case w.stage == verdict.StageNone:
		return fail("", `missing "stage"`)
	case w.kind == verdict.KindNone:
		return fail("", `missing "verdict"`)
	}
	return nil
}

// set stores the value of field f.
func (w *want) set(f field, jv *fastjson.Value, fail func(format string, args ...any) error) error {
	if f == fieldLine {
		n, err := jv.Uint64()
		if err != nil || n == 0 {
			return fail("want a positive integer, got %s", jv)
		}
		w.line, w.hasLine = n, true
		return nil
	}
	if f == fieldMapped {
		b, err := jv.Bool()
		if err != nil {
			return fail("want true or false, got %s", jv)
		}
		w.mapped = mappedFalse
		if b {
			w.mapped = mappedTrue
		}
		return nil
	}
	s, err := jv.StringBytes()
	if err != nil {
		return fail("want a string, got %s", jv.Type())
	}
	switch f {
	case fieldRecordID:
		if len(s) == 0 {
			return fail(`empty; a record without an id is identified by "line"`)
		}
		w.recordID, w.hasRecordID = s, true
	case fieldFeed:
		if w.feed = names.feeds[string(s)]; w.feed == verdict.FeedUnknown {
			_, err = verdict.ParseFeed(string(s))
		}
	case fieldStage:
		if w.stage = names.stages[string(s)]; w.stage == verdict.StageNone {
			_, err = verdict.ParseStage(string(s))
		}
	case fieldVerdict:
		if w.kind = names.kinds[string(s)]; w.kind == verdict.KindNone {
			_, err = verdict.ParseKind(string(s))
		}
	case fieldReason:
		if w.reason = names.reasons[string(s)]; w.reason == verdict.ReasonNone {
			_, err = verdict.ParseReason(string(s))
		}
	case fieldDetail:
		if w.detail = names.details[string(s)]; w.detail == verdict.DetailNone {
			_, err = verdict.ParseDetail(string(s))
		}
	case fieldAlertType:
		w.alertType = s
	case fieldThreatID:
		w.threatID = s
	case fieldThreatName:
		w.threatName = s
	}
	if err != nil {
		return fail("%v", err)
	}
	return nil
}

// text returns field f of the expected record as a verdict record shows it ("" when absent). It
// allocates; it serves mismatch reports.
func (w *want) text(f field) string {
	switch f {
	case fieldRecordID:
		return string(w.recordID)
	case fieldLine:
		if !w.hasLine {
			return ""
		}
		return strconv.FormatUint(w.line, 10)
	case fieldFeed:
		return w.feed.String()
	case fieldStage:
		return w.stage.String()
	case fieldVerdict:
		return w.kind.String()
	case fieldReason:
		return w.reason.String()
	case fieldDetail:
		return w.detail.String()
	case fieldAlertType:
		return string(w.alertType)
	case fieldMapped:
		return mappedText(w.mapped)
	case fieldThreatID:
		return string(w.threatID)
	case fieldThreatName:
		return string(w.threatName)
	}
	return ""
}

// mappedText renders the tri-state "mapped" member.
func mappedText(m uint8) string {
	switch m {
	case mappedTrue:
		return "true"
	case mappedFalse:
		return "false"
	}
	return ""
}

// gotMapped is the "mapped" member of v as AppendJSON writes it.
func gotMapped(v *verdict.Verdict) uint8 {
	if v.Kind != verdict.KindAlert {
		return mappedAbsent
	}
	if v.Threat != nil {
		return mappedTrue
	}
	return mappedFalse
}

// gotAlertType is the "alertType" member of v as AppendJSON writes it: alerts only.
func gotAlertType(v *verdict.Verdict) []byte {
	if v.Kind != verdict.KindAlert {
		return nil
	}
	return v.AlertType
}

// gotThreat returns the threat id and name of v ("" when unmapped).
func gotThreat(v *verdict.Verdict) (id, name string) {
	if v.Kind != verdict.KindAlert || v.Threat == nil {
		return "", ""
	}
	return v.Threat.ID, v.Threat.Name
}

// gotText returns field f of verdict v, decided as record number pos, as a verdict record shows it. It
// allocates; it serves mismatch reports and pattern matching.
func gotText(v *verdict.Verdict, pos uint64, f field) string {
	switch f {
	case fieldRecordID:
		return string(v.RecordID)
	case fieldLine:
		return strconv.FormatUint(pos, 10)
	case fieldFeed:
		return v.Feed.String()
	case fieldStage:
		return v.Stage.String()
	case fieldVerdict:
		return v.Kind.String()
	case fieldReason:
		return v.Reason.String()
	case fieldDetail:
		return v.Detail.String()
	case fieldAlertType:
		return string(gotAlertType(v))
	case fieldMapped:
		return mappedText(gotMapped(v))
	case fieldThreatID:
		id, _ := gotThreat(v)
		return id
	case fieldThreatName:
		_, name := gotThreat(v)
		return name
	}
	return ""
}

// equal reports whether field f of v (record number pos) equals the expected record's. It does not
// allocate.
func (w *want) equal(v *verdict.Verdict, pos uint64, f field) bool {
	switch f {
	case fieldRecordID:
		return string(w.recordID) == string(v.RecordID)
	case fieldLine:
		return !w.hasLine || w.line == pos
	case fieldFeed:
		return w.feed == v.Feed
	case fieldStage:
		return w.stage == v.Stage
	case fieldVerdict:
		return w.kind == v.Kind
	case fieldReason:
		return w.reason == v.Reason
	case fieldDetail:
		return w.detail == v.Detail
	case fieldAlertType:
		return string(w.alertType) == string(gotAlertType(v))
	case fieldMapped:
		return w.mapped == gotMapped(v)
	case fieldThreatID:
		id, _ := gotThreat(v)
		return string(w.threatID) == id
	case fieldThreatName:
		_, name := gotThreat(v)
		return string(w.threatName) == name
	}
	return true
}

// expectation returns the expected record as a verdict.Expectation, for ground-truth checks.
func (w *want) expectation() verdict.Expectation {
	return verdict.Expectation{Feed: w.feed, Stage: w.stage, Kind: w.kind, Reason: w.reason, Detail: w.detail,
		AlertType: string(w.alertType), ThreatID: string(w.threatID)}
}
