package sweep

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// withWire adds a wire stage with the given p99 to rep.
func withWire(rep *reports.Report, p99 time.Duration) *reports.Report {
	rep.Latency = append(rep.Latency, reports.StageLatency{Stage: reports.Wire.String(), Count: max(rep.Counts.Sent, 1),
		Min: p99 / 8, Mean: p99 / 4, P50: p99 / 4, P90: p99 / 2, P99: p99, P999: p99, Max: p99})
	return rep
}

// noE2E drops rep's end-to-end stage, as an external run without a sink has none.
func noE2E(rep *reports.Report) *reports.Report {
	rep.Latency = slices.DeleteFunc(rep.Latency, func(l reports.StageLatency) bool { return l.Stage == reports.EndToEnd.String() })
	return rep
}

// atSink sets rep's end-to-end p99 to its send p99 plus wire, as a sink behind a relay measures it,
// with no wire stage.
func atSink(rep *reports.Report, wire time.Duration) *reports.Report {
	rep.Latency = slices.DeleteFunc(rep.Latency, func(l reports.StageLatency) bool { return l.Stage == reports.Wire.String() })
	send := rep.Stage(reports.SendLag).P99
	for i := range rep.Latency {
		if rep.Latency[i].Stage == reports.EndToEnd.String() {
			rep.Latency[i].P99, rep.Latency[i].P999, rep.Latency[i].Max = send+wire, send+wire, send+wire
		}
	}
	return rep
}

// starvedReport is the report of a step whose sender managed only generator events per second while the
// collector read everything at once.
func starvedReport(rate, generator float64, d time.Duration) *reports.Report {
	rep := fakeReport(rate, math.Inf(1), d)
	if rate <= generator {
		return withWire(rep, 200*time.Microsecond)
	}
	sent := uint64(generator * d.Seconds())
	rep.Counts.Sent, rep.Counts.Verdicts, rep.Counts.Alerts, rep.Counts.Behind = sent, sent, sent, sent/2
	rep.Rates.Achieved, rep.Rates.Sent = generator, generator
	for i := range rep.Latency {
		rep.Latency[i].P99, rep.Latency[i].Max = time.Second, time.Second
	}
	return withWire(rep, 300*time.Microsecond)
}

func TestClassify(t *testing.T) {
	d := time.Second
	for _, tc := range []struct {
		name string
		rep  *reports.Report
		want Bound
	}{
		{"kept to the schedule", withWire(fakeReport(1000, 2000, d), time.Millisecond), BoundNone},
		{"sender starved, collector idle", starvedReport(8000, 3000, d), BoundSender},
		{"backpressure", withWire(behind(fakeReport(8000, 3000, d), 5000), 300*time.Millisecond), BoundCollector},
		{"behind and lost", func() *reports.Report {
			r := starvedReport(8000, 3000, d)
			r.Counts.Lost = 10
			return r
		}(), BoundCollector},
		{"no wire stage: cannot tell", noE2E(behind(fakeReport(8000, 3000, d), 5000)), BoundNone},
		{"no wire stage, lost", func() *reports.Report {
			r := noE2E(behind(fakeReport(8000, 3000, d), 5000))
			r.Counts.Lost = 10
			return r
		}(), BoundCollector},
		{"behind, the end cut the sender's last records", func() *reports.Report {
			r := starvedReport(8000, 3000, d)
			r.Counts.Lost = 12
			r.Lost = []reports.LostCount{{Cause: "not_sent", Count: 10}, {Cause: "not_received", Count: 2}}
			return r
		}(), BoundSender},
		{"behind, the end cut some and the collector lost one", func() *reports.Report {
			r := starvedReport(8000, 3000, d)
			r.Counts.Lost = 13
			r.Lost = []reports.LostCount{{Cause: "not_sent", Count: 10}, {Cause: "not_received", Count: 2}, {Cause: "drain_timeout", Count: 1}}
			return r
		}(), BoundCollector},
		// Through a relay to a sink, the wire lag is the end-to-end p99 less the send p99 (1s here).
		{"sink: sender starved, relay forwards at once", atSink(starvedReport(8000, 3000, d), 2*time.Millisecond), BoundSender},
		{"sink: the relay held records past the mark", atSink(starvedReport(8000, 3000, d), reports.LimitWire), BoundCollector},
		// The report's limit rule's marks: a wire lag of LimitWire is pushback, whatever the send lag.
		{"wire lag under the marks", withWire(behind(fakeReport(8000, 3000, d), 5000), reports.LimitWire-time.Millisecond), BoundSender},
		{"wire lag at the absolute mark", withWire(behind(fakeReport(8000, 3000, d), 5000), reports.LimitWire), BoundCollector},
		{"a short send lag, the wire lag at the mark", withWire(behind(fakeReport(1000, 2000, d), 500), reports.LimitWire), BoundCollector},
		{"a few late events are noise", withWire(behind(fakeReport(1000, 2000, d), 5), 100*time.Microsecond), BoundNone},
	} {
		if got := Classify(tc.rep, d); got.Bound != tc.want {
			t.Errorf("%s: Classify = %+v; want %s", tc.name, got, tc.want)
		}
	}
	c := Classify(starvedReport(8000, 3000, d), d)
	if c.Backlog != 5000 || c.Behind != 1500 || c.WireP99 != 300*time.Microsecond || c.SendP99 != time.Second {
		t.Errorf("figures %+v; want backlog 5000, behind 1500, wire p99 300µs, send p99 1s", c)
	}
}

// behind marks n of rep's events as sent late.
func behind(rep *reports.Report, n uint64) *reports.Report {
	rep.Counts.Behind = n
	return rep
}

// TestStarvedSender: a load generator that cannot offer more than 3000/s in front of a collector that
// takes anything makes the steps above 3000/s inconclusive; they never become the knee.
func TestStarvedSender(t *testing.T) {
	var asked []float64
	run := func(_ context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		asked = append(asked, rate)
		return starvedReport(rate, 3000, d), nil
	}
	res, err := Run(context.Background(), Config{Start: 1000, Retries: 1, Run: run})
	if err != nil {
		t.Fatal(err)
	}
	if res.Knee != 0 || res.Best != 3000 || res.Stop != StopInconclusive || res.Ceiling == 0 || res.Ceiling > 3150 {
		t.Errorf("best %g, knee %g, ceiling %g, stop %s; want 3000, no knee, a ceiling within 5%%, inconclusive",
			res.Best, res.Knee, res.Ceiling, res.Stop)
	}
	for _, st := range res.Steps {
		if st.Rate > 3000 && (!st.Inconclusive || !st.SenderBound || st.Tries != 2 || st.Pass) {
			t.Errorf("step %d at %g: %s, %d tries; want inconclusive (sender-bound) after 2 tries", st.N, st.Rate, st.Summary(), st.Tries)
		}
	}
	var b strings.Builder
	if err := Text.Render(&b, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inconclusive (sender-bound) (2 tries)", "highest sustainable rate: at least 3000/s — inconclusive above",
		"caution: steps 3, 5, 6, 7 were inconclusive", "step 3 inconclusive: the load generator fell behind (4500 events late, 3000 never sent"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

// TestInconclusiveSearch: the search with inconclusive outcomes, as a table of scripts (P pass, F fail,
// I inconclusive).
func TestInconclusiveSearch(t *testing.T) {
	for _, tc := range []struct {
		script string
		rates  []float64
		best   float64
		knee   float64
		ceil   float64
		stop   Stop
	}{
		{"PPFI", []float64{1000, 2000, 4000, 3000, 2500}, 2000, 4000, 3000, StopMaxSteps},
		{"PPIPP", []float64{1000, 2000, 4000, 3000, 3500}, 3500, 0, 4000, StopMaxSteps},
		{"IP", []float64{1000, 500, 750}, 500, 0, 1000, StopMaxSteps},
		{"PPFPP", []float64{1000, 2000, 4000, 3000, 3500}, 3500, 4000, 0, StopMaxSteps},
	} {
		var asked []float64
		i := 0
		run := func(_ context.Context, rate float64, d time.Duration) (*reports.Report, error) {
			asked = append(asked, rate)
			o := tc.script[i]
			i++
			switch o {
			case 'P':
				return withWire(fakeReport(rate, rate, d), time.Millisecond), nil
			case 'F':
				return withWire(behind(fakeReport(rate, 0, d), uint64(rate)), 500*time.Millisecond), nil
			}
			return starvedReport(rate, rate/3, d), nil
		}
		res, err := Run(context.Background(), Config{Start: 1000, MaxSteps: len(tc.script), Run: run})
		if err != nil {
			t.Fatal(err)
		}
		if want := append(tc.rates[:len(tc.script):len(tc.script)], []float64{}...); !slices.Equal(asked, want) {
			t.Errorf("%s: rates %v; want %v", tc.script, asked, want)
		}
		if res.Best != tc.best || res.Knee != tc.knee || res.Ceiling != tc.ceil || res.Stop != tc.stop {
			t.Errorf("%s: best %g knee %g ceiling %g stop %s; want %g %g %g %s", tc.script, res.Best, res.Knee, res.Ceiling, res.Stop,
				tc.best, tc.knee, tc.ceil, tc.stop)
		}
	}
}

// TestNoisyCaveat: a step that passed on its second try decides the answer, and the result says so with
// the spread of its tries.
func TestNoisyCaveat(t *testing.T) {
	var asked []float64
	// 1000 P, 2000 P, 4000 F F, 3000 F P (noisy, the best), 3500 F F; precision 20% converges.
	res, err := Run(context.Background(), Config{Start: 1000, Retries: 1, Precision: 0.2, Run: scriptedRun("PPFFFPFF", &asked)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Best != 3000 || res.Knee != 3500 {
		t.Fatalf("best %g knee %g; want 3000, 3500", res.Best, res.Knee)
	}
	c := res.Caveats()
	if len(c) != 1 || !strings.Contains(c[0], "noisy step: step 4 at 3000/s, 2 tries: FAIL, pass; achieved 0.0/s–3000.0/s, p99 3.00ms–900ms, send p99 100µs–600ms") {
		t.Errorf("caveats %q; want the noisy step 4 with its spread", c)
	}
	if st := res.Steps[3]; !st.Pass || len(st.Attempts) != 2 || st.Attempts[0].Verdict != "FAIL" {
		t.Errorf("step 4 %+v; want a pass after a failure", st)
	}
}
