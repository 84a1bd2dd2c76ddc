package scenarios

import (
	"cmp"
	"slices"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// Gates returns the gates a run of s applies and the default gates it leaves out. The scenario's
// thresholds (built-in or a file's) are defaults, written for any setup: they apply only where the run
// observes their metrics (v), and the report lists the others. user, the command line's, are the gates
// asked of this very run: applied as given, so that one the run cannot observe fails as not observed.
// The scenario's come first, then the user's.
func (s *Scenario) Gates(user threshold.List, v threshold.Vantage) (threshold.List, []reports.LeftOutThreshold) {
	own, left := threshold.Observable(s.Thresholds, v)
	// A -threshold written as one of the scenario's gates is that gate, not a second one: a report (and
	// its JUnit file) lists each expression once.
	own = slices.DeleteFunc(slices.Clone(own), func(g *threshold.Threshold) bool {
		return slices.ContainsFunc(user, func(u *threshold.Threshold) bool { return u.String() == g.String() })
	})
	return slices.Concat(own, user), left
}

// Gate applies the gates of the run r reports (Gates, from the vantage the report shows:
// threshold.VantageOf) to r (threshold.Apply), records in r the default gates it left out, and reports
// whether every gate applied passed.
func (s *Scenario) Gate(r *reports.Report, user threshold.List) bool {
	gates, leftOut := s.Gates(user, threshold.VantageOf(r))
	r.ThresholdsLeftOut = leftOut
	return threshold.Apply(r, gates...)
}

// Describe fills the experiment fields of m that come from the scenario (see reports.Differences): its
// hash and framing.
func (s *Scenario) Describe(m *reports.Meta) {
	m.ScenarioHash = s.Hash
	m.Framing = cmp.Or(s.Framing, "lf")
}
