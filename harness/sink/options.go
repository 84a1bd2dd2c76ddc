package sink

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Format is the grammar of the records a collector forwards to a stream (TCP, UDP) sink. An HTTP sink
// always reads JSON (the objects of each POSTed batch).
type Format uint8

// Formats.
const (
	FormatCEF  Format = iota // a syslog/CEF line, the record id in a CEF extension key
	FormatJSON               // a JSON object per line, the record id at a field path
)

// String returns "cef" or "json".
func (f Format) String() string {
	switch f {
	case FormatCEF:
		return "cef"
	case FormatJSON:
		return "json"
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat parses "cef" or "json".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "cef":
		return FormatCEF, nil
	case "json":
		return FormatJSON, nil
	}
	return 0, fmt.Errorf("sink format %q: want cef or json", s)
}

// Expect says which records a run expects the collector to forward.
type Expect uint8

// Expectations.
const (
	// ExpectVerdicts: the collector applies the pipeline's decisions. A record whose class expects an
	// alert must arrive (with the right technique, when the sink reads a threat field); a record whose
	// class expects a drop must not.
	ExpectVerdicts Expect = iota
	// ExpectAll: the collector only relays. Every well-formed record must arrive; malformed ones may or
	// may not.
	ExpectAll
)

// String returns "verdicts" or "all".
func (e Expect) String() string {
	switch e {
	case ExpectVerdicts:
		return "verdicts"
	case ExpectAll:
		return "all"
	}
	return "expect(" + strconv.Itoa(int(e)) + ")"
}

// ParseExpect parses "verdicts" or "all".
func ParseExpect(s string) (Expect, error) {
	switch s {
	case "verdicts":
		return ExpectVerdicts, nil
	case "all":
		return ExpectAll, nil
	}
	return 0, fmt.Errorf("expect-forward %q: want verdicts or all", s)
}

// Options say how a sink reads the records a collector forwards and what it expects of them. The zero
// value reads CEF lines, finds the record id in externalId and expects the pipeline's verdicts.
type Options struct {
	// Format is the grammar of stream records (TCP, UDP); HTTP batches are always JSON.
	Format Format
	// IDField names the record id: a CEF extension key, or a JSON field path with dots between the keys
	// of nested objects ("event.externalId"). The value is the decimal record id, as a JSON string or
	// number. Default DefaultIDField.
	IDField string
	// AlertField is the JSON field path of the alert type. Default DefaultAlertField. CEF records always
	// take the alert type from the header name.
	AlertField string
	// ThreatField, when set, names the field (CEF extension key or JSON path) where the collector puts the
	// technique it mapped the alert to; arrivals are then checked against the expected technique, an
	// absent field meaning "unmapped". Empty: techniques are not checked.
	ThreatField string
	// Expect says which records must arrive.
	Expect Expect
	// MaxLine is the longest record read, in bytes; longer ones count as unattributed. Default 1 MiB, so
	// that a relay forwarding the generator's oversize lines has them attributed.
	MaxLine int
}

// Flags are a command line's sink options as written: -sink-format, -sink-id-field, -sink-alert-field,
// -sink-threat-field and -expect-forward.
type Flags struct {
	Format, IDField, AlertField, ThreatField, Expect string
}

// Options returns the options f gives, or every problem found. The zero Flags give the zero Options.
func (f Flags) Options() (Options, error) {
	if f == (Flags{}) {
		return Options{}, nil
	}
	format, ferr := ParseFormat(f.Format)
	expect, eerr := ParseExpect(f.Expect)
	return Options{Format: format, IDField: f.IDField, AlertField: f.AlertField, ThreatField: f.ThreatField, Expect: expect}, errors.Join(ferr, eerr)
}

// Defaults of Options.
const (
	DefaultIDField    = "externalId"
	DefaultAlertField = "name"
	DefaultMaxLine    = 1 << 20
)

func (o Options) withDefaults() Options {
	if o.IDField == "" {
		o.IDField = DefaultIDField
	}
	if o.AlertField == "" {
		o.AlertField = DefaultAlertField
	}
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	return o
}

// String shows what a sink will do, defaults filled in.
func (o Options) String() string {
	d := o.withDefaults()
	threat := "unchecked"
	if d.ThreatField != "" {
		threat = d.ThreatField
	}
	return fmt.Sprintf("Options{Format: %s, IDField: %s, AlertField: %s, ThreatField: %s, Expect: %s, MaxLine: %d}",
		d.Format, d.IDField, d.AlertField, threat, d.Expect, d.MaxLine)
}

// validate reports every problem with o.
func (o Options) validate() error {
	var probs []string
	if o.Format > FormatJSON {
		probs = append(probs, "unknown format "+o.Format.String())
	}
	if o.Expect > ExpectAll {
		probs = append(probs, "unknown expectation "+o.Expect.String())
	}
	for _, f := range []struct{ name, path string }{{"id field", o.IDField}, {"alert field", o.AlertField}, {"threat field", o.ThreatField}} {
		if f.path != "" && slices.Contains(strings.Split(f.path, "."), "") {
			probs = append(probs, fmt.Sprintf("%s %q: empty key in the path", f.name, f.path))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("sink options: %s", strings.Join(probs, "; "))
	}
	return nil
}
