package corpus

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

// Change counts the mismatched records of one alert type that went from one decision and technique to
// another: Old is the corpus's expected verdict, New what the pipeline under test decided.
type Change struct {
	// AlertType is the expected alert type; for a record expected dropped, the alert type (CEF name) the
	// pipeline read, else its expected class.
	AlertType string          `json:"alertType"`
	Old       reports.Outcome `json:"old"`
	New       reports.Outcome `json:"new"`
	Fields    []string        `json:"fields"` // the fields that differ among these records, in verdict-record order
	Records   uint64          `json:"records"`
}

// String returns e.g. "RDP Allow: alert T1021.001 → alert unmapped, 306 records", or, when decision and
// technique are the same and other fields differ, "RDP Allow: alert T1021.001, feed differs, 3 records".
func (c *Change) String() string {
	what := reports.ChangeText(c.Old, c.New)
	if c.Old == c.New {
		what = c.Old.String() + ", " + strings.Join(c.Fields, " and ") + " differ"
		if len(c.Fields) == 1 {
			what = c.Old.String() + ", " + c.Fields[0] + " differs"
		}
	}
	return c.AlertType + ": " + what + ", " + groupDigits(c.Records) + " " + plural(c.Records, "record", "records")
}

// changeKey identifies a Change while verifying.
type changeKey struct {
	alertType string
	old, new  reports.Outcome
}

// changeAcc accumulates one Change: its records and the fields that differ.
type changeAcc struct {
	records uint64
	fields  [numFields]bool
}

// outcome describes an expected or decided verdict as a change shows it.
func outcome(kind verdict.Kind, stage verdict.Stage, reason verdict.Reason, detail verdict.Detail, threatID, threatName string) reports.Outcome {
	o := reports.Outcome{Verdict: kind.String()}
	switch kind {
	case verdict.KindAlert:
		o.ThreatID, o.ThreatName = threatID, threatName
	case verdict.KindDropped:
		o.Drop = stage.String() + "/" + reason.String()
		if detail != verdict.DetailNone {
			o.Drop += "/" + detail.String()
		}
	}
	return o
}

// change counts one mismatched record: expected w, decided k.v, differing in the fields marked in diff;
// cls is its expected class. It allocates only for a change not seen before.
func (k *checker) change(w *want, cls *ClassSummary, diff *[numFields]bool) {
	label := string(w.alertType)
	if label == "" {
		label = string(k.v.AlertType)
	}
	if label == "" {
		label = cls.Name
	}
	id, name := gotThreat(&k.v)
	key := changeKey{
		alertType: label,
		old:       outcome(w.kind, w.stage, w.reason, w.detail, string(w.threatID), string(w.threatName)),
		new:       outcome(k.v.Kind, k.v.Stage, k.v.Reason, k.v.Detail, id, name),
	}
	acc := k.changes[key]
	if acc == nil {
		acc = &changeAcc{}
		k.changes[key] = acc
	}
	acc.records++
	for f := range numFields {
		acc.fields[f] = acc.fields[f] || diff[f]
	}
}

// finishChanges sorts the changes into the result: most records first, then by alert type.
func (k *checker) finishChanges() {
	k.res.Changes = k.res.Changes[:0]
	for key, acc := range k.changes {
		c := Change{AlertType: key.alertType, Old: key.old, New: key.new, Records: acc.records}
		for f := range numFields {
			if acc.fields[f] {
				c.Fields = append(c.Fields, f.String())
			}
		}
		k.res.Changes = append(k.res.Changes, c)
	}
	slices.SortFunc(k.res.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(b.Records, a.Records), strings.Compare(a.AlertType, b.AlertType),
			strings.Compare(a.Old.String(), b.Old.String()), strings.Compare(a.New.String(), b.New.String()))
	})
}

// Totals sums outcomes across corpora for the grand total line: corpora given, records verified,
// records changed and the distinct alert types among the changes, and corpora that could not be
// verified.
type Totals struct {
	Corpora    int    `json:"corpora"`
	Records    uint64 `json:"records"`
	Changed    uint64 `json:"changed"`
	AlertTypes int    `json:"alertTypes"`
	Errors     int    `json:"errors"`
}

// Total sums outs.
func Total(outs []Outcome) Totals {
	t := Totals{Corpora: len(outs)}
	types := map[string]bool{}
	for i := range outs {
		if outs[i].Err != nil || outs[i].Result == nil {
			t.Errors++
		}
		if r := outs[i].Result; r != nil {
			t.Records += r.Records
			t.Changed += r.Mismatched
			for _, c := range r.Changes {
				types[c.AlertType] = true
			}
		}
	}
	t.AlertTypes = len(types)
	return t
}

// String returns e.g. "9 corpora, 100,210 records: 601 changed in 2 alert types" or "…: 0 changed",
// adding how many corpora could not be verified.
func (t Totals) String() string {
	s := groupDigits(uint64(t.Corpora)) + " " + plural(uint64(t.Corpora), "corpus", "corpora") + ", " +
		groupDigits(t.Records) + " " + plural(t.Records, "record", "records") + ": " + groupDigits(t.Changed) + " changed"
	if t.Changed > 0 {
		s += " in " + strconv.Itoa(t.AlertTypes) + " " + plural(uint64(t.AlertTypes), "alert type", "alert types")
	}
	if t.Errors > 0 {
		s += "; " + strconv.Itoa(t.Errors) + " " + plural(uint64(t.Errors), "corpus", "corpora") + " could not be verified"
	}
	return s
}

// groupDigits writes n with thousands separators: "100,210".
func groupDigits(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func plural(n uint64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
