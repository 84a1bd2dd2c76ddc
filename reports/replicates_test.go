package reports

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports/abtest"
)

// replicates returns copies of r whose achieved rate and end-to-end p99 are the given values.
func replicates(r *Report, achieved []float64, p99 []time.Duration) []*Report {
	var out []*Report
	for i := range achieved {
		c := *r
		c.Latency = slices.Clone(r.Latency)
		c.Rates.Achieved = achieved[i]
		for j := range c.Latency {
			if c.Latency[j].Stage == EndToEnd.String() {
				c.Latency[j].P99 = p99[i]
			}
		}
		out = append(out, &c)
	}
	return out
}

func TestCompareReplicates(t *testing.T) {
	r := sampleReport(t, 1, testStart)
	ms := time.Millisecond
	base := replicates(r, []float64{4000, 4010, 3995}, []time.Duration{ms, 1050 * time.Microsecond, 980 * time.Microsecond})
	same := replicates(r, []float64{4003, 3998, 4007}, []time.Duration{1010 * time.Microsecond, 990 * time.Microsecond, 1030 * time.Microsecond})
	slow := replicates(r, []float64{4001, 4004, 3999}, []time.Duration{2 * ms, 2100 * time.Microsecond, 1950 * time.Microsecond})

	s, err := CompareReplicates("base", "same", base, same, abtest.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Verdict != abtest.NoChange || s.ExitCode != 0 {
		t.Errorf("same: %s (exit %d)", s.Verdict, s.ExitCode)
	}
	names := func(s *abtest.Signal) []string {
		var out []string
		for _, m := range s.Metrics {
			out = append(out, m.Name)
		}
		return out
	}
	if want := []string{"achieved", "loss", "lost", "mismatch.ratio", "e2e.p50", "e2e.p99", "e2e.p99.9"}; !slices.Equal(names(s), want) {
		t.Errorf("metrics %v; want %v", names(s), want)
	}

	s, err = CompareReplicates("base", "slow", base, slow, abtest.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Verdict != abtest.Regressed || s.ExitCode != abtest.ExitRegressed || !slices.Equal(s.Regressions, []string{"e2e.p99"}) {
		t.Errorf("slow: %s (exit %d), regressions %v", s.Verdict, s.ExitCode, s.Regressions)
	}

	// A replicate without end-to-end samples: the latencies are not compared, and the signal says so.
	empty := *slow[1]
	empty.Latency = nil
	s, err = CompareReplicates("base", "slow", base, []*Report{slow[0], &empty, slow[2]}, abtest.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.NotCompared) != 3 || s.NotCompared[1].Name != "e2e.p99" || !strings.Contains(s.NotCompared[1].Why, "no samples in 1 of 3 reports of slow") {
		t.Errorf("not compared: %+v", s.NotCompared)
	}
	if s.Verdict != abtest.NoChange {
		t.Errorf("without latencies: %s", s.Verdict)
	}

	if _, err := CompareReplicates("base", "none", base, nil, abtest.DefaultOptions()); err == nil {
		t.Error("no reports on a side: no error")
	}
}
