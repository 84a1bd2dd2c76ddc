// Package verdict is the vocabulary shared by everything that decides about, predicts or reports on an
// NSS record: feeds, stages, drop reasons, malformed details, and the one verdict record each input gets
// (docs/PIPELINE.md, "Verdict record").
//
// The pipeline fills a Verdict; the generator's ground-truth labels carry an Expectation in the same
// vocabulary; corpora store verdicts as JSON lines; reports count them.
//
// It lives under generator/ because that is the bottom of the data flow: every event is born in the
// generator with its expected verdict, and everything downstream (scenarios, harness, corpus, reports)
// speaks of it in these words. Kept there, it imports nothing of the project and nothing imports up to
// reach it (docs/ARCHITECTURE.md, "Layers").
//
// # Feeds
//
// A feed (an NSS log type: web, firewall, DNS) is registered in one row of the Descriptor table in
// feed.go: its name, CEF product, default and Cloud NSS formats, and the field its CEF header name
// carries. Everything else iterates that table or indexes arrays of length NumFeeds, so no package
// switches on a feed. The feed's two other parts live where their layer allows: its formats are files
// in generator/feeds/data (each names the feed's CEF product, which is how generator/feeds files
// them), and the NSS fields the generator renders for it are its feedModel in generator/feed_NAME.go.
// Identity is here, at the bottom, because every layer needs it: the pipeline tells a record's feed by
// its product, reports and corpora print its name; rendering is above, where the field model is.
package verdict

import (
	"fmt"
	"strconv"
)

// Stage is where a record's fate was decided.
type Stage uint8

// Stages, in the order a record passes them.
const (
	StageNone Stage = iota
	StageCollector
	StagePlatform
	numStages
)

var stageNames = [numStages]string{"", "collector", "platform"}

// String returns "collector" or "platform".
func (s Stage) String() string {
	if s < numStages {
		return stageNames[s]
	}
	return "stage(" + strconv.Itoa(int(s)) + ")"
}

// ParseStage parses a stage name as String writes it.
func ParseStage(s string) (Stage, error) {
	for st := StageCollector; st < numStages; st++ {
		if s == stageNames[st] {
			return st, nil
		}
	}
	return StageNone, fmt.Errorf("unknown stage %q (want collector or platform)", s)
}

// Kind is the outcome of a record: it became an alert or it was dropped.
type Kind uint8

// Kinds.
const (
	KindNone Kind = iota
	KindAlert
	KindDropped
	numKinds
)

var kindNames = [numKinds]string{"", "alert", "dropped"}

// String returns "alert" or "dropped".
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind parses a verdict kind as String writes it.
func ParseKind(s string) (Kind, error) {
	for k := KindAlert; k < numKinds; k++ {
		if s == kindNames[k] {
			return k, nil
		}
	}
	return KindNone, fmt.Errorf("unknown verdict %q (want alert or dropped)", s)
}

// Reason names why a record was dropped. The names are PIPELINE.md's.
type Reason uint8

// Drop reasons. ReasonNone is the reason of an alert.
const (
	ReasonNone           Reason = iota
	ReasonMalformed             // C1: not well-formed NSS CEF
	ReasonAllowedTraffic        // C2: high-volume allowed traffic
	ReasonPolicyAccess          // P1: acceptable-use policy blocks
	ReasonDefaultAllow          // P2: default-allowed firewall/DNS connections
	ReasonSSLHandshake          // P3: SSL/TLS handshake noise
	numReasons
)

var reasonNames = [numReasons]string{"", "malformed", "allowed_traffic", "policy_access", "default_allow", "ssl_handshake"}

// Reasons lists every drop reason in pipeline order.
func Reasons() []Reason {
	return []Reason{ReasonMalformed, ReasonAllowedTraffic, ReasonPolicyAccess, ReasonDefaultAllow, ReasonSSLHandshake}
}

// String returns the reason's name, e.g. "default_allow".
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// Stage returns the stage whose rules drop for this reason.
func (r Reason) Stage() Stage {
	switch r {
	case ReasonMalformed, ReasonAllowedTraffic:
		return StageCollector
	case ReasonPolicyAccess, ReasonDefaultAllow, ReasonSSLHandshake:
		return StagePlatform
	}
	return StageNone
}

// ParseReason parses a drop reason as String writes it.
func ParseReason(s string) (Reason, error) {
	for r := ReasonMalformed; r < numReasons; r++ {
		if s == reasonNames[r] {
			return r, nil
		}
	}
	return ReasonNone, fmt.Errorf("unknown drop reason %q", s)
}

// Detail says how a malformed record is malformed.
type Detail uint8

// Malformed details (PIPELINE.md C1).
const (
	DetailNone         Detail = iota
	DetailBadHeader           // no "CEF:" signature, or a header that cannot be split
	DetailBadVersion          // a CEF version other than 0
	DetailTruncated           // fewer than seven header fields: the line ends inside the header
	DetailOversize            // longer than the collector's line limit
	DetailInvalidUTF8         // bytes that are not UTF-8
	DetailBadExtension        // an extension that cannot be split into key=value pairs
	DetailUnknownFeed         // a header product that is not an NSS feed
	numDetails
)

var detailNames = [numDetails]string{"", "bad_header", "bad_version", "truncated", "oversize", "invalid_utf8", "bad_extension", "unknown_feed"}

// Details lists every malformed detail.
func Details() []Detail {
	return []Detail{DetailBadHeader, DetailBadVersion, DetailTruncated, DetailOversize, DetailInvalidUTF8, DetailBadExtension, DetailUnknownFeed}
}

// String returns the detail's name, e.g. "bad_header".
func (d Detail) String() string {
	if d < numDetails {
		return detailNames[d]
	}
	return "detail(" + strconv.Itoa(int(d)) + ")"
}

// ParseDetail parses a malformed detail as String writes it.
func ParseDetail(s string) (Detail, error) {
	for d := DetailBadHeader; d < numDetails; d++ {
		if s == detailNames[d] {
			return d, nil
		}
	}
	return DetailNone, fmt.Errorf("unknown malformed detail %q", s)
}
