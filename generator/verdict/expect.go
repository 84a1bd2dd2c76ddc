package verdict

// Expectation is the verdict a record should get, as its generator or corpus predicts it. It is the
// comparable, allocation-free core of a Verdict: identity (record id, line) is matched separately.
type Expectation struct {
	Feed      Feed
	Stage     Stage
	Kind      Kind
	Reason    Reason
	Detail    Detail
	AlertType string // expected alert type for alerts; empty for drops
	ThreatID  string // expected technique for mapped alerts; empty for unmapped alerts and drops
}

// Mismatch names the first field in which a verdict disagrees with an expectation.
type Mismatch struct {
	Field string // "stage", "verdict", "reason", "detail", "alertType", "threatId" or "feed"
	Got   string
	Want  string
}

// Check compares v with e and returns the first disagreement, or ok=true. Feed is compared only when
// both sides know it (a malformed record may not name one). It does not allocate when v matches e.
func (e *Expectation) Check(v *Verdict) (m Mismatch, ok bool) {
	if e.Kind != v.Kind {
		return Mismatch{"verdict", v.Kind.String(), e.Kind.String()}, false
	}
	if e.Stage != v.Stage {
		return Mismatch{"stage", v.Stage.String(), e.Stage.String()}, false
	}
	if e.Reason != v.Reason {
		return Mismatch{"reason", v.Reason.String(), e.Reason.String()}, false
	}
	if e.Detail != v.Detail {
		return Mismatch{"detail", v.Detail.String(), e.Detail.String()}, false
	}
	if e.Feed != FeedUnknown && v.Feed != FeedUnknown && e.Feed != v.Feed {
		return Mismatch{"feed", v.Feed.String(), e.Feed.String()}, false
	}
	if e.Kind == KindAlert {
		if e.AlertType != string(v.AlertType) {
			return Mismatch{"alertType", string(v.AlertType), e.AlertType}, false
		}
		got := ""
		if v.Threat != nil {
			got = v.Threat.ID
		}
		if e.ThreatID != got {
			return Mismatch{"threatId", got, e.ThreatID}, false
		}
	}
	return Mismatch{}, true
}

// AppendJSON appends the expectation's fields to dst as JSON members (without braces), in the order and
// names of a verdict record: "feed", "stage", "verdict", "reason", "detail", "alertType", "mapped",
// "threatId". Callers put identity members before it.
func (e *Expectation) AppendJSON(dst []byte) []byte {
	if e.Feed != FeedUnknown {
		dst = append(dst, `"feed":"`...)
		dst = append(dst, e.Feed.String()...)
		dst = append(dst, `",`...)
	}
	dst = append(dst, `"stage":"`...)
	dst = append(dst, e.Stage.String()...)
	dst = append(dst, `","verdict":"`...)
	dst = append(dst, e.Kind.String()...)
	dst = append(dst, '"')
	if e.Reason != ReasonNone {
		dst = append(dst, `,"reason":"`...)
		dst = append(dst, e.Reason.String()...)
		dst = append(dst, '"')
	}
	if e.Detail != DetailNone {
		dst = append(dst, `,"detail":"`...)
		dst = append(dst, e.Detail.String()...)
		dst = append(dst, '"')
	}
	if e.Kind == KindAlert {
		dst = append(dst, `,"alertType":`...)
		dst = AppendJSONString(dst, []byte(e.AlertType))
		if e.ThreatID != "" {
			dst = append(dst, `,"mapped":true,"threatId":`...)
			dst = AppendJSONString(dst, []byte(e.ThreatID))
		} else {
			dst = append(dst, `,"mapped":false`...)
		}
	}
	return dst
}
