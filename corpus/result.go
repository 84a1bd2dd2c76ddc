package corpus

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Result is the outcome of verifying one corpus: how many records matched their expected verdicts,
// per class, and the first mismatches in detail.
type Result struct {
	Corpus      string         // the corpus directory
	Description string         // corpus.json's description
	Via         string         // "inproc" or "tcp"
	Pipeline    string         // the pipeline verified against (pipeline.Pipeline.String)
	Warnings    []string       // mapping-file warnings of the corpus's own pipeline
	Records     uint64         // input records checked
	Matched     uint64         // records whose verdict equals the expected one in every field
	Mismatched  uint64         // records with at least one differing field
	Fields      []FieldCount   // how many records differ in each field, in verdict-record order; zero counts left out
	Classes     []ClassSummary // per expected class, sorted by name
	Changes     []Change       // the mismatched records by alert type and change, most records first
	Mismatches  []Mismatch     // the first mismatches, up to VerifyOptions.MaxMismatches
	Elapsed     time.Duration
}

// OK reports whether every record matched. A Result returned with an error is never OK.
func (r *Result) OK() bool { return r.Mismatched == 0 }

// FieldCount is the number of records whose verdict differs in one field.
type FieldCount struct {
	Field string `json:"field"`
	Count uint64 `json:"count"`
}

// ClassSummary counts the records of one class: the expected stage, verdict, reason (with the detail of
// a malformed record) and alert type.
type ClassSummary struct {
	Name       string `json:"name"` // e.g. "platform/alert/RDP Allow", "collector/dropped/malformed/oversize"
	Stage      string `json:"stage"`
	Verdict    string `json:"verdict"`
	Reason     string `json:"reason,omitempty"`
	Detail     string `json:"detail,omitempty"`
	AlertType  string `json:"alertType,omitempty"`
	Records    uint64 `json:"records"`
	Mismatches uint64 `json:"mismatches"`
}

// Mismatch is one record whose verdict differs from the expected one.
type Mismatch struct {
	Line     uint64      `json:"line"`               // 1-based position of the record in the input
	RecordID string      `json:"recordid,omitempty"` // the expected record id, if any
	Class    string      `json:"class"`              // the expected class
	Fields   []FieldDiff `json:"fields"`             // every differing field, in verdict-record order
	Input    string      `json:"input"`              // the input record, shortened to head…tail when long; a note for an oversize record
}

// FieldDiff is one field in which a verdict differs from the expected one.
type FieldDiff struct {
	Field string `json:"field"`
	Got   string `json:"got"`  // "" when the verdict has no such field
	Want  string `json:"want"` // "" when the expected record has no such field; "~/re/" for a pattern
}

// String renders the mismatch as "line N: field: got X, want Y" lines followed by "  input: …".
func (m *Mismatch) String() string {
	var b strings.Builder
	for _, d := range m.Fields {
		b.WriteString("line ")
		b.WriteString(strconv.FormatUint(m.Line, 10))
		b.WriteString(": ")
		b.WriteString(d.Field)
		b.WriteString(": got ")
		b.WriteString(showValue(d.Got))
		b.WriteString(", want ")
		b.WriteString(showValue(d.Want))
		b.WriteByte('\n')
	}
	b.WriteString("  input: ")
	b.WriteString(m.Input)
	b.WriteByte('\n')
	return b.String()
}

// showValue prints a field value: "(none)" for an absent one, quoted when it has leading or trailing
// blanks or characters that do not print.
func showValue(s string) string {
	if s == "" {
		return "(none)"
	}
	if strings.TrimSpace(s) != s || !printable(s) {
		return strconv.Quote(s)
	}
	return s
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// maxShownInput is how much of an input record a mismatch keeps: its head and tail, half each.
const maxShownInput = 600

// showInput renders an input record for a mismatch report: shortened to head…tail past
// maxShownInput bytes, Go-quoted when it has bytes that do not print.
func showInput(rec []byte) string {
	s := string(rec)
	if len(s) > maxShownInput {
		head, tail := maxShownInput/2, len(s)-maxShownInput/2
		for head > 0 && !utf8.RuneStart(s[head]) {
			head--
		}
		for tail < len(s) && !utf8.RuneStart(s[tail]) {
			tail++
		}
		s = s[:head] + "…" + s[tail:]
	}
	if !printable(strings.ReplaceAll(s, "\t", " ")) {
		return strconv.Quote(s)
	}
	return s
}
