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

// withCPU returns copies of rs whose sampled target used the given mean CPU (cores).
func withCPU(rs []*Report, cpu []float64) []*Report {
	out := make([]*Report, len(rs))
	for i, r := range rs {
		c := *r
		c.Target = NewTarget(TargetUsage{PID: 7, Samples: 100, CPU: CPUCores{Mean: cpu[i]}, RSSMax: 40 << 20}, 1, 1)
		out[i] = &c
	}
	return out
}

// TestCompareReplicatesTarget: where the reports sampled the collector, its CPU is a gated metric (more
// CPU for the same experiment is a regression); where none did, the target metrics are not mentioned.
func TestCompareReplicatesTarget(t *testing.T) {
	r := sampleReport(t, 1, testStart)
	us := time.Microsecond
	base := replicates(r, []float64{4000, 4010, 3995}, []time.Duration{1000 * us, 1010 * us, 990 * us})
	cur := replicates(r, []float64{4003, 3998, 4007}, []time.Duration{1005 * us, 995 * us, 1000 * us})

	s, err := CompareReplicates("base", "new", base, cur, abtest.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Metrics {
		if strings.HasPrefix(m.Name, "target.") {
			t.Errorf("metric %s compared without any sampled target", m.Name)
		}
	}
	for _, n := range s.NotCompared {
		if strings.HasPrefix(n.Name, "target.") {
			t.Errorf("%s listed as not compared without any sampled target", n.Name)
		}
	}

	s, err = CompareReplicates("base", "new", withCPU(base, []float64{0.40, 0.41, 0.40}), withCPU(cur, []float64{0.80, 0.82, 0.79}), abtest.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var cpu *abtest.Metric
	for i := range s.Metrics {
		if s.Metrics[i].Name == "target.cpu" {
			cpu = &s.Metrics[i]
		}
	}
	if cpu == nil || cpu.Verdict != abtest.Regressed || !cpu.Gate || s.ExitCode != 3 {
		t.Fatalf("target.cpu doubled: metric %+v, exit %d; want a gated regression and exit 3", cpu, s.ExitCode)
	}

	// Sampled on one side only: not compared, and said so.
	s, err = CompareReplicates("base", "new", withCPU(base, []float64{0.40, 0.41, 0.40}), cur, abtest.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(s.NotCompared, func(n abtest.NotCompared) bool { return n.Name == "target.cpu" }) {
		t.Errorf("target.cpu sampled on one side only: not compared = %+v; want it listed", s.NotCompared)
	}
}
