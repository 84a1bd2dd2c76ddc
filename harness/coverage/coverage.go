// Package coverage computes the MITRE ATT&CK coverage of a mapping table, or of the alerts actually
// observed in a run or corpus: which techniques are reached, by which alert types and feeds, and, against
// a base, which techniques were gained and lost and which alert types changed technique. It writes the
// coverage as an ATT&CK Navigator layer (layer format 4.5) and as text and Markdown.
package coverage

import (
	"cmp"
	"slices"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// Score says what a technique's score counts.
type Score string

// Scores.
const (
	ScoreAlertTypes Score = "alert types" // a mapping table's: the alert types mapped to the technique
	ScoreRecords    Score = "records"     // observed verdicts': the alert records that reached it
)

// Row is one alert type with its technique: a mapping row, or observed alerts of one alert type, feed
// and technique.
type Row struct {
	AlertType     string
	Feed          verdict.Feed // FeedUnknown when the mapping file does not say
	TechniqueID   string       // empty for an unmapped alert type (observed coverage only)
	TechniqueName string
	Records       uint64 // observed coverage only
}

// Technique is one technique reached, with what reaches it.
type Technique struct {
	ID         string
	Name       string   // the name the (first) mapping row gives it
	AlertTypes []string // sorted
	Feeds      []string // the known feeds of those alert types, in verdict.Feeds order
	Records    uint64   // observed coverage only
	Score      uint64   // len(AlertTypes) or Records, by the coverage's Score
}

// Coverage is the techniques a mapping table or a set of observed alerts reaches.
type Coverage struct {
	Source     string      // what the coverage is of, e.g. the mapping file's name
	Score      Score       // what the techniques' scores count
	Rows       []Row       // by alert type, then technique
	Techniques []Technique // by technique id; a sub-technique is its own entry after its parent
}

// FromMappings returns the coverage of a mapping table; source names it in the renderers.
func FromMappings(source string, m *pipeline.Mappings) *Coverage {
	rows := make([]Row, 0, m.Len())
	for _, r := range m.Rows() {
		rows = append(rows, Row{AlertType: r.AlertType, Feed: r.Feed, TechniqueID: r.Threat.ID, TechniqueName: r.Threat.Name})
	}
	return build(source, ScoreAlertTypes, rows)
}

// Tally counts observed alerts by alert type, feed and technique, for FromTally. The zero value is
// empty and ready; it is not safe for concurrent use.
type Tally struct {
	counts map[Row]uint64 // Row with Records 0 → records
}

// Add counts v if it is an alert, mapped or not; drops are not counted.
func (t *Tally) Add(v *verdict.Verdict) {
	if v.Kind != verdict.KindAlert {
		return
	}
	t.AddCount(string(v.AlertType), v.Feed, v.Threat, 1)
}

// AddCount counts n alerts of an alert type and feed mapped to threat (nil: unmapped), e.g. from a
// report's alert counts.
func (t *Tally) AddCount(alertType string, feed verdict.Feed, threat *verdict.Threat, n uint64) {
	if t.counts == nil {
		t.counts = map[Row]uint64{}
	}
	k := Row{AlertType: alertType, Feed: feed}
	if threat != nil {
		k.TechniqueID, k.TechniqueName = threat.ID, threat.Name
	}
	t.counts[k] += n
}

// FromTally returns the coverage of the alerts t counted, scored by records; source names it in the
// renderers. Unmapped alert types are kept as rows (see Coverage.Unmapped) but reach no technique.
func FromTally(source string, t *Tally) *Coverage {
	rows := make([]Row, 0, len(t.counts))
	for k, n := range t.counts {
		k.Records = n
		rows = append(rows, k)
	}
	return build(source, ScoreRecords, rows)
}

// build sorts rows and derives the techniques.
func build(source string, score Score, rows []Row) *Coverage {
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(strings.Compare(a.AlertType, b.AlertType), strings.Compare(a.TechniqueID, b.TechniqueID), cmp.Compare(a.Feed, b.Feed))
	})
	c := &Coverage{Source: source, Score: score, Rows: rows}
	byID := map[string]*Technique{}
	feeds := map[string]map[verdict.Feed]bool{}
	var ids []string
	for _, r := range rows {
		if r.TechniqueID == "" {
			continue
		}
		t := byID[r.TechniqueID]
		if t == nil {
			t = &Technique{ID: r.TechniqueID, Name: r.TechniqueName}
			byID[r.TechniqueID] = t
			feeds[r.TechniqueID] = map[verdict.Feed]bool{}
			ids = append(ids, r.TechniqueID)
		}
		if !slices.Contains(t.AlertTypes, r.AlertType) {
			t.AlertTypes = append(t.AlertTypes, r.AlertType)
		}
		feeds[r.TechniqueID][r.Feed] = true
		t.Records += r.Records
	}
	slices.Sort(ids)
	for _, id := range ids {
		t := byID[id]
		for _, f := range verdict.Feeds() {
			if feeds[id][f] {
				t.Feeds = append(t.Feeds, f.String())
			}
		}
		t.Score = uint64(len(t.AlertTypes))
		if score == ScoreRecords {
			t.Score = t.Records
		}
		c.Techniques = append(c.Techniques, *t)
	}
	return c
}

// Unmapped returns the rows of alert types that reach no technique (observed coverage only).
func (c *Coverage) Unmapped() []Row {
	var out []Row
	for _, r := range c.Rows {
		if r.TechniqueID == "" {
			out = append(out, r)
		}
	}
	return out
}

// AlertTypes returns the number of distinct alert types that reach a technique.
func (c *Coverage) AlertTypes() int {
	seen := map[string]bool{}
	for _, r := range c.Rows {
		if r.TechniqueID != "" {
			seen[r.AlertType] = true
		}
	}
	return len(seen)
}

// Technique returns the technique with id, or nil.
func (c *Coverage) Technique(id string) *Technique {
	i, ok := slices.BinarySearchFunc(c.Techniques, id, func(t Technique, id string) int { return strings.Compare(t.ID, id) })
	if !ok {
		return nil
	}
	return &c.Techniques[i]
}

// Ref names a technique; the zero Ref is "unmapped".
type Ref struct {
	ID   string
	Name string
}

// String writes "T1021.001 Remote Desktop Protocol", or "unmapped".
func (r Ref) String() string {
	if r.ID == "" {
		return "unmapped"
	}
	return r.ID + " " + r.Name
}

// Change is an alert type whose technique differs between a base and a current coverage. An alert type
// absent from one side is unmapped there.
type Change struct {
	AlertType string
	Feed      verdict.Feed
	Old, New  Ref
	Records   uint64 // observed coverage: the current side's records, or the base's when it is gone
}

// Diff is what changed from a base coverage to a current one.
type Diff struct {
	Base    string      // the base coverage's Source
	Gained  []Technique // reached now, not in the base (as now)
	Lost    []Technique // reached in the base (as there), not now
	Changed []Change    // by alert type
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool { return len(d.Gained) == 0 && len(d.Lost) == 0 && len(d.Changed) == 0 }

// Compare returns what changed from base to cur. An alert type observed with several techniques on a
// side is taken at the one with the most records.
func Compare(base, cur *Coverage) *Diff {
	d := &Diff{Base: base.Source}
	for _, t := range cur.Techniques {
		if base.Technique(t.ID) == nil {
			d.Gained = append(d.Gained, t)
		}
	}
	for _, t := range base.Techniques {
		if cur.Technique(t.ID) == nil {
			d.Lost = append(d.Lost, t)
		}
	}
	old, now := byAlertType(base), byAlertType(cur)
	var names []string
	for name := range old {
		names = append(names, name)
	}
	for name := range now {
		if _, ok := old[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		o, n := old[name], now[name]
		if o.TechniqueID == n.TechniqueID {
			continue
		}
		ch := Change{AlertType: name, Feed: n.Feed, Old: Ref{o.TechniqueID, o.TechniqueName}, New: Ref{n.TechniqueID, n.TechniqueName}, Records: n.Records}
		if n.AlertType == "" { // gone from the current side
			ch.Feed, ch.Records = o.Feed, o.Records
		}
		d.Changed = append(d.Changed, ch)
	}
	return d
}

// byAlertType maps each alert type of c to its row, the one with the most records when there are
// several (the first, by technique id, on a tie).
func byAlertType(c *Coverage) map[string]Row {
	m := map[string]Row{}
	for _, r := range c.Rows {
		if prev, ok := m[r.AlertType]; !ok || r.Records > prev.Records {
			m[r.AlertType] = r
		}
	}
	return m
}
