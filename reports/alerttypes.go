package reports

import (
	"slices"
	"strconv"
	"strings"
)

// Outcome is what the pipeline decided for a record, as the change views show it: an alert, mapped to
// a technique or unmapped, or a drop.
type Outcome struct {
	Verdict    string `json:"verdict"`              // "alert" or "dropped"; "" for no verdict
	ThreatID   string `json:"threatId,omitempty"`   // a mapped alert's technique
	ThreatName string `json:"threatName,omitempty"` // its name
	Drop       string `json:"drop,omitempty"`       // a drop's stage/reason[/detail]
}

// String returns e.g. "alert T1021.001", "alert unmapped" or "dropped platform/policy_access".
func (o Outcome) String() string {
	switch {
	case o.Verdict == "alert" && o.ThreatID != "":
		return "alert " + o.ThreatID
	case o.Verdict == "alert":
		return "alert unmapped"
	case o.Verdict == "dropped":
		return "dropped " + o.Drop
	case o.Verdict == "":
		return "no verdict"
	}
	return o.Verdict
}

// mapped reports whether o is an alert mapped to a technique.
func (o Outcome) mapped() bool { return o.Verdict == "alert" && o.ThreatID != "" }

// technique returns a mapped alert's "ID Name".
func (o Outcome) technique() string { return strings.TrimSpace(o.ThreatID + " " + o.ThreatName) }

// ChangeText describes a change from old to new: the techniques when both are mapped alerts
// ("T1566 Phishing → T1566.002 Spearphishing Link"), else the decisions ("alert T1021.001 → alert
// unmapped").
func ChangeText(old, new Outcome) string {
	if old.mapped() && new.mapped() {
		return old.technique() + " → " + new.technique()
	}
	return old.String() + " → " + new.String()
}

// OutcomeCount is how many alerts of one alert type a run decided one way.
type OutcomeCount struct {
	Outcome
	Count uint64 `json:"count"`
}

// AlertChange is an alert type whose outcomes differ between two runs: not the counts, the decisions
// and techniques. A side without alerts of the type has no outcomes.
type AlertChange struct {
	AlertType string         `json:"alertType"`
	Base      []OutcomeCount `json:"base"`    // most first
	Current   []OutcomeCount `json:"current"` // most first
}

// String returns e.g. "RDP Allow: alert T1021.001 (510) → alert unmapped (498)".
func (a *AlertChange) String() string {
	side := func(os []OutcomeCount) string {
		if len(os) == 0 {
			return "no alerts"
		}
		parts := make([]string, len(os))
		for i, o := range os {
			parts[i] = o.Outcome.String() + " (" + strconv.FormatUint(o.Count, 10) + ")"
		}
		return strings.Join(parts, ", ")
	}
	if len(a.Base) == 1 && len(a.Current) == 1 {
		b, c := a.Base[0], a.Current[0]
		return a.AlertType + ": " + ChangeText(b.Outcome, c.Outcome) + ", " + countChange(b.Count, c.Count)
	}
	return a.AlertType + ": " + side(a.Base) + " → " + side(a.Current)
}

// countChange returns "306 records" or "306 → 298 records".
func countChange(b, c uint64) string {
	if b == c {
		return strconv.FormatUint(b, 10) + " records"
	}
	return strconv.FormatUint(b, 10) + " → " + strconv.FormatUint(c, 10) + " records"
}

// AlertChanges compares the alerts by alert type of two runs: the alert types whose set of outcomes
// (mapped to which technique, or unmapped) differs, sorted by name. Counts alone changing is not a
// change: runs of different lengths differ in them.
func AlertChanges(base, cur []AlertCount) []AlertChange {
	group := func(as []AlertCount) map[string][]OutcomeCount {
		m := map[string][]OutcomeCount{}
		for _, a := range as {
			o := Outcome{Verdict: "alert"}
			if a.Mapped {
				o.ThreatID, o.ThreatName = a.ThreatID, a.ThreatName
			}
			m[a.AlertType] = append(m[a.AlertType], OutcomeCount{o, a.Count})
		}
		for _, os := range m {
			slices.SortFunc(os, func(x, y OutcomeCount) int {
				if x.Count != y.Count {
					return cmpDesc(x.Count, y.Count)
				}
				return strings.Compare(x.ThreatID, y.ThreatID)
			})
		}
		return m
	}
	b, c := group(base), group(cur)
	var types []string
	for t := range b {
		types = append(types, t)
	}
	for t := range c {
		if _, ok := b[t]; !ok {
			types = append(types, t)
		}
	}
	slices.Sort(types)
	var out []AlertChange
	for _, t := range types {
		if !sameOutcomes(b[t], c[t]) {
			out = append(out, AlertChange{AlertType: t, Base: b[t], Current: c[t]})
		}
	}
	return out
}

// sameOutcomes reports whether x and y hold the same outcomes, whatever their counts.
func sameOutcomes(x, y []OutcomeCount) bool {
	key := func(os []OutcomeCount) []string {
		ks := make([]string, len(os))
		for i, o := range os {
			ks[i] = o.ThreatID + "\x00" + o.ThreatName
		}
		slices.Sort(ks)
		return ks
	}
	return slices.Equal(key(x), key(y))
}
