package sweep_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/sweep"
	"github.com/nssbench/nssbench/reports/threshold"
)

// TestStarvedSenderEmbedded sweeps the embedded collector with a sender that pauses 2ms before each
// record (run.Config.SendCost, a sleep: it takes no CPU from the collector), so the load generator
// offers at most 500/s while the collector takes anything: every step above that is inconclusive
// (sender-bound), no step fails, and the sweep reports no knee, only a ceiling, instead of taking the
// generator's limit for the collector's. A busy machine only makes the generator slower, which is
// still inconclusive, never a failure of the collector. The SLO judges only the sender's side (lost==0,
// send.p99<100ms): on a loaded machine, under the race detector, the embedded collector's own latency
// hiccups (a late last verdict stretches the elapsed time and lowers sent.rate) would fail a step
// conclusively, which is not what this test is about (TestKneeEmbedded judges the collector).
func TestStarvedSenderEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("a real sweep takes ~20 s")
	}
	const sendCost = 2 * time.Millisecond
	base := embeddedRun(t, "smoke")
	base.SendCost = sendCost
	res, err := sweep.Run(context.Background(), sweep.Config{
		Start: 50, Factor: 4, Precision: 0.2, StepDuration: time.Second, MaxSteps: 5, Run: sweep.FromRun(base),
		SLO: []*threshold.Threshold{threshold.MustParse("lost==0"), threshold.MustParse("send.p99<100ms")},
		Progress: func(st sweep.Step) {
			t.Logf("step %d %s %.0f/s: achieved %s, send p99 %v, wire p99 %v, lost %d, behind %d, backlog %d: %s",
				st.N, st.Phase, st.Rate, st.FormatAchieved(), st.SendP99, st.WireP99, st.Lost, st.Behind, st.Backlog, st.Summary())
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	limit := 1 / sendCost.Seconds()
	inconclusive := 0
	for _, st := range res.Steps {
		switch {
		case st.Interrupted || (!st.Pass && !st.Inconclusive):
			t.Errorf("step %d at %.0f/s: %s; want pass or inconclusive: the collector keeps up with any rate", st.N, st.Rate, st.Summary())
		case st.Rate > limit && (!st.Inconclusive || !st.SenderBound):
			t.Errorf("step %d at %.0f/s, above the generator's %.0f/s: %s; want inconclusive (sender-bound)", st.N, st.Rate, limit, st.Summary())
		}
		if st.Inconclusive {
			inconclusive++
		}
	}
	if inconclusive == 0 || res.Knee != 0 || res.Ceiling == 0 || res.Ceiling > 4*limit || res.Best >= res.Ceiling {
		t.Errorf("best %g, knee %g, ceiling %g, stop %s, %d inconclusive steps; want no knee, a ceiling at the generator's limit",
			res.Best, res.Knee, res.Ceiling, res.Stop, inconclusive)
	}
	var b strings.Builder
	if err := sweep.Text.Render(&b, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "inconclusive (sender-bound)") {
		t.Errorf("text does not say the steps were inconclusive:\n%s", b.String())
	}
}
