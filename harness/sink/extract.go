package sink

import (
	"errors"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/nssbench/nssbench/harness/cef"
)

// Why a forwarded record cannot be attributed to a generated one. Extract returns these values
// themselves (no wrapping, no allocation): compare with ==.
var (
	// ErrUnreadable: the record is not CEF (or not a JSON object) at all, e.g. a malformed record the
	// collector forwarded anyway, or a fragment of a split line.
	ErrUnreadable = errors.New("sink: record is not readable in the sink's format")
	// ErrNoID: the record parses but has no record id field.
	ErrNoID = errors.New("sink: record has no record id field")
	// ErrBadID: the record id field is not a decimal number that fits 64 bits.
	ErrBadID = errors.New("sink: record id is not a decimal number")
)

// Fields are what a sink reads of one forwarded record. The slices point into the record or into the
// Extractor's parser and are valid until its next Extract.
type Fields struct {
	ID        uint64 // the record id (%d{recordid})
	AlertType []byte // CEF: the header name; JSON: the alert field, nil when absent
	Threat    []byte // the threat field's value, when HasThreat
	HasThreat bool   // the record carries the threat field (Options.ThreatField)
}

// Extractor reads Fields from forwarded records. It keeps its parsers between calls, so it does not
// allocate in steady state. Not safe for concurrent use: one per stream.
type Extractor struct {
	opts                          Options
	cef                           cef.Parser
	json                          fastjson.Parser
	idPath, alertPath, threatPath []string
}

// NewExtractor returns an Extractor for opts (defaults filled in).
func NewExtractor(opts Options) *Extractor {
	opts = opts.withDefaults()
	x := &Extractor{opts: opts, idPath: strings.Split(opts.IDField, "."), alertPath: strings.Split(opts.AlertField, ".")}
	if opts.ThreatField != "" {
		x.threatPath = strings.Split(opts.ThreatField, ".")
	}
	return x
}

// Extract reads one record in format f: a CEF line (an optional syslog prefix, the CEF header, the id in
// the extension key Options.IDField) or a JSON object (the id at the field path Options.IDField, a
// string or a number). The error is ErrUnreadable, ErrNoID or ErrBadID, and then Fields is zero.
func (x *Extractor) Extract(rec []byte, f Format) (Fields, error) {
	if f == FormatJSON {
		return x.extractJSON(rec)
	}
	return x.extractCEF(rec)
}

func (x *Extractor) extractCEF(line []byte) (Fields, error) {
	r, err := x.cef.Parse(line)
	if err != nil {
		// A malformed extension (the record is returned) has no pairs to read an id from.
		return Fields{}, ErrUnreadable
	}
	raw, ok := r.Get(x.opts.IDField)
	if !ok {
		return Fields{}, ErrNoID
	}
	id, ok := parseID(raw)
	if !ok {
		return Fields{}, ErrBadID
	}
	out := Fields{ID: id, AlertType: cef.TrimBlank(r.Name)} // trimmed, as the pipeline compares it
	if x.opts.ThreatField != "" {
		out.Threat, out.HasThreat = r.Get(x.opts.ThreatField)
	}
	return out, nil
}

func (x *Extractor) extractJSON(obj []byte) (Fields, error) {
	v, err := x.json.ParseBytes(obj)
	if err != nil || v.Type() != fastjson.TypeObject {
		return Fields{}, ErrUnreadable
	}
	idv := v.Get(x.idPath...)
	if idv == nil {
		return Fields{}, ErrNoID
	}
	var id uint64
	ok := false
	switch idv.Type() {
	case fastjson.TypeString:
		id, ok = parseID(idv.GetStringBytes())
	case fastjson.TypeNumber:
		id, err = idv.Uint64()
		ok = err == nil
	}
	if !ok {
		return Fields{}, ErrBadID
	}
	out := Fields{ID: id, AlertType: v.GetStringBytes(x.alertPath...)}
	if x.threatPath != nil {
		if tv := v.Get(x.threatPath...); tv != nil && tv.Type() != fastjson.TypeNull {
			out.HasThreat = true
			out.Threat = tv.GetStringBytes() // nil (as "") for a value that is not a string
		}
	}
	return out, nil
}

// parseID parses a decimal uint64 without allocating.
func parseID(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}
