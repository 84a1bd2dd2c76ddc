package abtest

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Margins are the minimum effect sizes of a comparison as a command line gives them (a flag.Value):
// "5%" or "0.05" sets every metric's, All; "NAME=VALUE" ("e2e.p99=10%") one metric's, in Per. Set may
// be called again for each metric.
type Margins struct {
	All float64
	Per map[string]float64
}

// String lists All, then each per-metric margin by name, as percentages: "5%,e2e.p99=10%".
func (m *Margins) String() string {
	if m == nil {
		return ""
	}
	parts := []string{formatFraction(m.All)}
	for _, name := range slices.Sorted(maps.Keys(m.Per)) {
		parts = append(parts, name+"="+formatFraction(m.Per[name]))
	}
	return strings.Join(parts, ",")
}

// Set takes a fraction of 0 or more, as "5%" or "0.05", for All, or "METRIC=5%" for one metric.
func (m *Margins) Set(s string) error {
	name, v, ok := strings.Cut(s, "=")
	if !ok {
		name, v = "", s
	}
	num, pct := strings.CutSuffix(strings.TrimSpace(v), "%")
	f, err := strconv.ParseFloat(num, 64)
	if pct {
		f /= 100
	}
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || (ok && strings.TrimSpace(name) == "") {
		return fmt.Errorf("margin %q: want a fraction of 0 or more, as 5%% or 0.05, or METRIC=5%%", s)
	}
	if !ok {
		m.All = f
		return nil
	}
	if m.Per == nil {
		m.Per = map[string]float64{}
	}
	m.Per[strings.TrimSpace(name)] = f
	return nil
}

func formatFraction(f float64) string { return strconv.FormatFloat(f*100, 'g', -1, 64) + "%" }

// UnknownMetricError is a per-metric margin that names no metric of a comparison: a typo would
// otherwise leave the metric at the default margin, silently.
type UnknownMetricError struct {
	Names []string // the margins' names that are no metric, sorted
	Known []string // the metrics of the comparison, compared or not
}

// Error lists the unknown names and the known ones: "e2e.p98: no such metric (want one of …)".
func (e *UnknownMetricError) Error() string {
	return fmt.Sprintf("%s: no such metric (want one of %s)", strings.Join(e.Names, ", "), strings.Join(e.Known, ", "))
}

// For returns the per-metric margins of the metrics s compared, for Options.Margins (Analyze refuses a
// margin of a metric it does not compare), or an *UnknownMetricError when a name is no metric of s,
// compared or not.
func (m *Margins) For(s *Signal) (map[string]float64, error) {
	var known []string
	for _, x := range s.Metrics {
		known = append(known, x.Name)
	}
	for _, n := range s.NotCompared {
		known = append(known, n.Name)
	}
	var bad []string
	for name := range m.Per {
		if !slices.Contains(known, name) {
			bad = append(bad, name)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return nil, &UnknownMetricError{Names: bad, Known: known}
	}
	per := map[string]float64{}
	for _, x := range s.Metrics {
		if v, ok := m.Per[x.Name]; ok {
			per[x.Name] = v
		}
	}
	return per, nil
}
