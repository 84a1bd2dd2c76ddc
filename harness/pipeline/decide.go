package pipeline

import (
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/valyala/fastjson"
)

// Decider decides about records one at a time. It owns a CEF parser, a JSON parser and scratch space,
// so it is not safe for concurrent use: make one per goroutine with Pipeline.NewDecider.
//
// A verdict's RecordID and AlertType are copied into the verdict's own buffers (their backing arrays are
// reused from decision to decision, as verdict.Verdict.Reset does), so a verdict stays valid when the
// input buffer is reused. Do not point them into memory you own before passing the verdict in.
type Decider struct {
	p      *Pipeline
	parser cef.Parser
	rec    *cef.Record
	fields []fieldValue // subject.fields, one per key the rules test
	gen    uint64       // subject.gen: counts the records that reached the rules

	json    fastjson.Parser
	jsonHdr [numHeaderKeys]*fastjson.Value
	line    []byte // CEF line rendered from a JSON object
	ext     []byte // its extension, built before the header is known
	tmp     []byte
}

// Decide decides about one CEF line (LF and CR already stripped). It fills every field of v except Line,
// which the caller sets. It does not allocate once v's buffers have grown.
func (d *Decider) Decide(line []byte, v *verdict.Verdict) {
	if len(line) > d.p.opts.MaxLine {
		d.DecideOversize(v)
		return
	}
	r, err := d.parser.Parse(line)
	d.decide(r, err, v)
}

// DecideOversize records the verdict for a record the framer cut for exceeding MaxLine:
// collector/dropped/malformed/oversize. It fills every field of v except Line.
func (d *Decider) DecideOversize(v *verdict.Verdict) {
	d.rec = nil
	reset(v)
	malformed(v, verdict.DetailOversize)
}

// Record returns the CEF record of the last decision, or nil when it had none (oversize, or a record
// whose header could not be read). A record of a CEF version other than 0 has one when its header is
// complete, although its verdict is malformed/bad_version. For DecideJSON it is the record rendered from the JSON object. It is
// valid until the next decision.
func (d *Decider) Record() *cef.Record { return d.rec }

// decide turns a parse result into a verdict.
func (d *Decider) decide(r *cef.Record, err error, v *verdict.Verdict) {
	d.rec = r
	reset(v)
	if badVersion(r, err) {
		// A record of another CEF version is not read as NSS at all: no feed, alert type or record id,
		// whatever else is wrong with it (C1 checks the version before the rest of the header).
		malformed(v, verdict.DetailBadVersion)
		return
	}
	if r != nil {
		v.Feed = verdict.FeedOfProduct(r.Product)
		v.AlertType = append(v.AlertType, cef.TrimBlank(r.Name)...)
	}
	if err != nil {
		detail := verdict.DetailBadHeader
		if e, ok := err.(*cef.Error); ok {
			detail = malformedDetail(e.Kind)
		}
		malformed(v, detail)
		return
	}
	if id, ok := r.GetKey(keyExternalID); ok {
		v.RecordID = append(v.RecordID, id...)
	}
	if v.Feed == verdict.FeedUnknown {
		malformed(v, verdict.DetailUnknownFeed)
		return
	}
	v.Stage = verdict.StagePlatform
	v.Kind = verdict.KindAlert
	if t := d.p.maps.Lookup(v.AlertType); t != nil { // the mapping table is the allow-list of alerts
		v.Threat = t
		return
	}
	d.gen++
	s := subject{feed: v.Feed, action: r.SignatureID, name: v.AlertType, rec: r, fields: d.fields, gen: d.gen}
	if len(s.action) == 0 {
		s.action, _ = r.GetKey(keyAct)
	}
	if rule := d.p.rules.firstMatch(&s); rule != nil {
		v.Stage, v.Kind, v.Reason = rule.stage, verdict.KindDropped, rule.reason
	}
}

// The extension keys every decision may look up: the record id, and the action when the header has none.
var keyExternalID, keyAct = cef.NewKey("externalId"), cef.NewKey("act")

// badVersion reports whether the parse read a CEF version other than "0" (PIPELINE.md C1): the parser
// reads every numbered version, so that tools can show such a record; the pipeline drops it.
func badVersion(r *cef.Record, err error) bool {
	version := []byte("0")
	if r != nil {
		version = r.Version
	} else if e, ok := err.(*cef.Error); ok && e.Version != nil {
		version = e.Version
	}
	return string(version) != "0"
}

// malformed marks v as dropped by C1 with detail.
func malformed(v *verdict.Verdict, detail verdict.Detail) {
	v.Stage, v.Kind, v.Reason, v.Detail = verdict.StageCollector, verdict.KindDropped, verdict.ReasonMalformed, detail
}

// reset clears every field of v but Line, keeping its buffers.
func reset(v *verdict.Verdict) {
	*v = verdict.Verdict{Line: v.Line, RecordID: v.RecordID[:0], AlertType: v.AlertType[:0]}
}

// malformedDetail names the malformed-record detail a verdict carries for a CEF parse error
// (PIPELINE.md C1). The names agree: a kind's String is its detail's.
func malformedDetail(k cef.ErrorKind) verdict.Detail {
	switch k {
	case cef.ErrBadHeader:
		return verdict.DetailBadHeader
	case cef.ErrBadVersion:
		return verdict.DetailBadVersion
	case cef.ErrTruncated:
		return verdict.DetailTruncated
	case cef.ErrBadExtension:
		return verdict.DetailBadExtension
	case cef.ErrInvalidUTF8:
		return verdict.DetailInvalidUTF8
	}
	return verdict.DetailNone
}
