package sweep_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sweep"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// TestKneeEmbedded sweeps the embedded collector slowed by a per-record cost over real loopback TCP and
// checks the sweep finds its knee. A collector that spends s on each record sustains at most 1/s records
// per second; the cost makes s = 2ms plus the collector's own work (parse, decide, account: tens of µs,
// more under the race detector). That s is measured by a calibration run at half the knee, as the
// pipeline stage's median latency (received → decided, which includes the cost), so the knee expected is
// 1/s, a little under 1/cost = 500/s. (The calibration does not overload the collector: on a small
// machine an overloaded run measures the contest for CPU between the load generator and the collector as
// much as the collector.)
//
// Latency SLOs cannot be judged on a machine too busy to send 250 events a second on time: the test
// skips when a calibration run, before or after the sweep, shows that. Failed steps are retried once, so
// a passing hiccup does not move the knee.
func TestKneeEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("a real sweep takes ~15 s")
	}
	const cost = 2 * time.Millisecond
	base := embeddedRun(t, "default")
	base.Cost = cost
	// calibrate returns the collector's service time per record, or why the machine is too busy to tell.
	calibrate := func() (service time.Duration, busy string) {
		t.Helper()
		cfg := base
		cfg.Pacer = pacer.Constant{Rate: 0.5 / cost.Seconds(), Limit: pacer.Limit{Duration: time.Second}}
		rep, err := run.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Balanced() || rep.Counts.Lost != 0 {
			t.Fatalf("calibration: %+v; want balanced and nothing lost", rep.Counts)
		}
		service = rep.Stage(reports.Pipeline).P50
		if p99 := rep.Stage(reports.EndToEnd).P99; p99 > 20*time.Millisecond || service > cost*5/4 {
			return service, fmt.Sprintf("at half the knee: e2e p99 %v, service time %v, %d events behind schedule", p99, service, rep.Counts.Behind)
		}
		if service < cost {
			t.Fatalf("calibration: service time %v is below the cost %v", service, cost)
		}
		return service, ""
	}

	service, busy := calibrate()
	if busy != "" {
		t.Skipf("the machine is too busy to judge latency (%s)", busy)
	}
	knee := 1 / service.Seconds()
	res, err := sweep.Run(context.Background(), sweep.Config{
		Start: 250, Factor: 1.5, StepDuration: time.Second, Retries: 1, MaxSteps: 12, Run: sweep.FromRun(base),
		Progress: func(st sweep.Step) {
			t.Logf("step %d %s %.0f/s: achieved %.0f/s, p99 %v, lost %d, behind %d: %s (%d tries)",
				st.N, st.Phase, st.Rate, st.Achieved, st.P99, st.Lost, st.Behind, st.Verdict(), st.Tries)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("service time %v: knee %.0f/s; %s", service, knee, res.Conclusion())
	for _, st := range res.Steps {
		if st.Report == nil || !st.Report.Balanced() {
			t.Errorf("step %d: the report does not balance", st.N)
		}
	}
	ok := res.Converged() && res.Best >= 0.9*knee && res.Best <= 1.1*knee
	if !ok {
		if _, busy := calibrate(); busy != "" {
			t.Skipf("the machine became too busy to judge latency during the sweep (%s)", busy)
		}
	}
	if !res.Converged() {
		t.Fatalf("the sweep did not converge: %s", res.Conclusion())
	}
	if !ok {
		t.Errorf("best %.0f/s; want the knee %.0f/s within 10%% [%.0f, %.0f]", res.Best, knee, 0.9*knee, 1.1*knee)
	}
}

// embeddedRun is the run configuration of a sweep of the embedded collector with a built-in scenario's
// generator and the reference pipeline.
func embeddedRun(t *testing.T, scenario string) run.Config {
	t.Helper()
	scn, err := scenarios.Builtin(scenario)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		t.Fatal(err)
	}
	return run.Config{
		Generator: gen, Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
		Meta: reports.Meta{Scenario: scn.Name},
	}
}
