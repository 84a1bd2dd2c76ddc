package scenarios

import (
	"slices"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// gateReport is a small run's report: ten alerts decided 1ms after their schedule, none lost.
func gateReport() *reports.Report {
	r := reports.NewRecorder(reports.RecorderConfig{Start: time.Unix(1_750_000_000, 0)})
	v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("Virus block")}
	for i := int64(0); i < 10; i++ {
		r.Offered(i)
		r.Verdict(0, v, reports.Timing{Scheduled: i, Decided: i + int64(time.Millisecond)})
	}
	return r.Report(reports.Meta{Scenario: "x", Duration: time.Second})
}

// TestGate: Gate applies the gates Gates picks for the report's vantage, records the left-out ones,
// and passes only when every gate applied passes.
func TestGate(t *testing.T) {
	s := &Scenario{Thresholds: []*threshold.Threshold{threshold.MustParse("p99<5ms"), threshold.MustParse("lost==0")}}
	noSink := threshold.Vantage{External: true, Sender: true}
	for _, tc := range []struct {
		name     string
		user     []string
		delivery *reports.Delivery // nil: an embedded run
		v        threshold.Vantage // what the report shows
		pass     bool
	}{
		{"embedded, passing", nil, nil, threshold.Vantage{Verdicts: true, Sender: true}, true},
		{"embedded, a failing user gate", []string{"p99<1us"}, nil, threshold.Vantage{Verdicts: true, Sender: true}, false},
		{"no sink: defaults left out", []string{"lost.sender==0"}, &reports.Delivery{}, noSink, true},
		{"a user gate equal to a default is applied once", []string{"lost==0", "p99<1us"}, nil, threshold.Vantage{Verdicts: true, Sender: true}, false},
	} {
		var user threshold.List
		for _, g := range tc.user {
			user = append(user, threshold.MustParse(g))
		}
		rep := gateReport()
		rep.Delivery = tc.delivery
		gates, leftOut := s.Gates(user, tc.v)
		pass := s.Gate(rep, user)
		var applied []string
		for _, r := range rep.Thresholds {
			applied = append(applied, r.Expr)
		}
		var want []string
		for _, g := range gates {
			want = append(want, g.String())
		}
		if seen := map[string]bool{}; slices.ContainsFunc(applied, func(e string) bool { d := seen[e]; seen[e] = true; return d }) {
			t.Errorf("%s: applied %q: an expression twice", tc.name, applied)
		}
		if pass != tc.pass || pass != rep.ThresholdsPassed() || !slices.Equal(applied, want) || !slices.Equal(rep.ThresholdsLeftOut, leftOut) {
			t.Errorf("%s: Gate = %t, applied %q, left out %v; want %t, %q, %v", tc.name, pass, applied, rep.ThresholdsLeftOut, tc.pass, want, leftOut)
		}
	}
	if _, left := s.Gates(nil, noSink); len(left) == 0 {
		t.Error("no sink: Gates left no default out; the test needs one")
	}
}
