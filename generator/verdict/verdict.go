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
package verdict

import (
	"fmt"
	"strconv"
)

// Feed is the NSS log type named by the CEF header's product.
type Feed uint8

// Feeds. FeedUnknown is the zero value: a record whose feed could not be told.
const (
	FeedUnknown Feed = iota
	FeedWeb
	FeedFirewall
	FeedDNS
	numFeeds
)

var feedNames = [numFeeds]string{"", "web", "firewall", "dns"}

// Products maps each feed to the CEF header product NSS writes for it.
var products = [numFeeds]string{"", "NSSWeblog", "NSSFWlog", "NSSDNSlog"}

// Feeds lists the known feeds in a stable order.
func Feeds() []Feed { return []Feed{FeedWeb, FeedFirewall, FeedDNS} }

// String returns the feed's name as it appears in verdict records ("web", "firewall", "dns").
func (f Feed) String() string {
	if f < numFeeds {
		return feedNames[f]
	}
	return "feed(" + strconv.Itoa(int(f)) + ")"
}

// Product returns the CEF header product of the feed, e.g. "NSSFWlog".
func (f Feed) Product() string {
	if f < numFeeds {
		return products[f]
	}
	return ""
}

// FeedOfProduct returns the feed whose CEF product is p, or FeedUnknown. It does not allocate.
func FeedOfProduct(p []byte) Feed {
	for f := FeedWeb; f < numFeeds; f++ {
		if string(p) == products[f] {
			return f
		}
	}
	return FeedUnknown
}

// ParseFeed parses a feed name as String writes it.
func ParseFeed(s string) (Feed, error) {
	for f := FeedWeb; f < numFeeds; f++ {
		if s == feedNames[f] {
			return f, nil
		}
	}
	return FeedUnknown, fmt.Errorf("unknown feed %q (want web, firewall or dns)", s)
}

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
