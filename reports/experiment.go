package reports

import (
	"fmt"
	"strconv"
	"strings"
)

// Difference is one way two reports' runs were different experiments.
type Difference struct {
	Field   string `json:"field"` // the Meta field's JSON name, e.g. "scenarioHash"
	Base    string `json:"base"`
	Current string `json:"current"`
}

// String returns e.g. `scenario: "smoke" vs "default"`.
func (d Difference) String() string {
	return fmt.Sprintf("%s: %q vs %q", d.Field, d.Base, d.Current)
}

// experimentFields are the Meta fields that make a run the experiment it was, by JSON name: a scenario
// and its content, the pacer (shape and parameters) and its rate, the kind of target, connections,
// framing and the pipeline's rules and mappings. Version and machine describe where it ran, not what.
var experimentFields = []struct {
	name  string
	added bool // a field reports written before it existed lack
	get   func(m *Meta) string
}{
	{"scenario", false, func(m *Meta) string { return m.Scenario }},
	{"scenarioHash", true, func(m *Meta) string { return m.ScenarioHash }},
	{"pacer", false, func(m *Meta) string { return m.Pacer }},
	{"offeredRate", false, func(m *Meta) string { return strconv.FormatFloat(m.OfferedRate, 'g', -1, 64) }},
	{"targetKind", true, func(m *Meta) string { return m.TargetKind }},
	{"connections", false, func(m *Meta) string { return strconv.Itoa(m.Connections) }},
	{"framing", true, func(m *Meta) string { return m.Framing }},
	{"rulesHash", true, func(m *Meta) string { return m.RulesHash }},
	{"mappingsHash", true, func(m *Meta) string { return m.MappingsHash }},
}

// Differences lists every experiment field in which base and cur differ, in a fixed order. A field
// either lacks is not compared: an older report's (see MissingExperiment), or one that does not apply,
// such as the rules of a standalone sink, which decides nothing.
func Differences(base, cur *Meta) []Difference {
	var out []Difference
	for _, f := range experimentFields {
		b, c := f.get(base), f.get(cur)
		if f.added && (b == "" || c == "") {
			continue
		}
		if b != c {
			out = append(out, Difference{Field: f.name, Base: b, Current: c})
		}
	}
	return out
}

// MissingExperiment names the experiment fields m lacks when it is a report written before they existed
// (it has no targetKind, which every run now states): such a report cannot show that it ran the same
// experiment as another. It returns nil for a current report.
func MissingExperiment(m *Meta) []string {
	if m.TargetKind != "" {
		return nil
	}
	var out []string
	for _, f := range experimentFields {
		if f.added && f.get(m) == "" {
			out = append(out, f.name)
		}
	}
	return out
}

// whereRan describes where a run ran, shown beside a comparison but not compared: "nssbench v1.2.0,
// linux/amd64, 2 CPUs, <cpu model>".
func whereRan(m *Meta) string {
	return "nssbench " + m.Version + ", " + m.Machine
}

// comparisonContext is what a comparison's header says beside the scenarios: where each run ran (shown,
// not compared) and, when the runs were different experiments compared anyway, every difference. Each
// line starts with indent, each difference with bullet, and a paragraph ends with sep ("\n" for
// Markdown).
func comparisonContext(c *Comparison, indent, bullet, sep string) string {
	var b strings.Builder
	cur := whereRan(&c.Current)
	if cur == whereRan(&c.Base) {
		cur = "the same"
	}
	fmt.Fprintf(&b, "%sran on: base %s; current %s (not compared)\n%s", indent, whereRan(&c.Base), cur, sep)
	if len(c.Differences) > 0 {
		fmt.Fprintf(&b, "%sDIFFERENT EXPERIMENTS, compared anyway (-force):\n%s", indent, sep)
		for _, d := range c.Differences {
			fmt.Fprintf(&b, "%s%s%s\n", indent, bullet, d)
		}
		b.WriteString(sep)
	}
	return b.String()
}
