package sweep

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

func TestSearch(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name     string
		cfg      Config
		capacity float64 // a step passes when its rate is at most this; ignored with a script
		script   string  // P/F per step, instead of a capacity
		rates    []float64
		phases   string // g, s, b per step
		best     float64
		knee     float64
		stop     Stop
	}{
		// Happy: the search brackets the knee and narrows it to the precision.
		{
			name: "grow then bisect", cfg: Config{Start: 1000}, capacity: 10700,
			rates:  []float64{1000, 2000, 4000, 8000, 16000, 12000, 10000, 11000, 10500},
			phases: "gggggbbbb", best: 10500, knee: 11000, stop: StopConverged,
		},
		{
			name: "knee exactly on a step", cfg: Config{Start: 1000}, capacity: 4000,
			rates:  []float64{1000, 2000, 4000, 8000, 6000, 5000, 4500, 4250, 4130},
			phases: "ggggbbbbb", best: 4000, knee: 4130, stop: StopConverged,
		},
		{
			name: "first step fails: shrink, then bisect", cfg: Config{Start: 1000}, capacity: 300,
			rates:  []float64{1000, 500, 250, 375, 313, 282, 298, 306},
			phases: "gssbbbbb", best: 298, knee: 306, stop: StopConverged,
		},
		{
			name: "factor 1.5 and 10% precision", cfg: Config{Start: 100, Factor: 1.5, Precision: 0.1}, capacity: 400,
			rates:  []float64{100, 150, 225, 338, 507, 423, 381, 402},
			phases: "gggggbbb", best: 381, knee: 402, stop: StopConverged,
		},
		{
			name: "noisy outcomes still bracket", cfg: Config{Start: 1000}, script: "PPFFPPF",
			rates:  []float64{1000, 2000, 4000, 3000, 2500, 2750, 2880},
			phases: "gggbbbb", best: 2750, knee: 2880, stop: StopConverged,
		},
		// Edges: caps and limits.
		{
			name: "max rate passes", cfg: Config{Start: 1000, MaxRate: 5000}, capacity: inf,
			rates: []float64{1000, 2000, 4000, 5000}, phases: "gggg", best: 5000, stop: StopMaxRate,
		},
		{
			name: "start is the max rate", cfg: Config{Start: 1000, MaxRate: 1000}, capacity: inf,
			rates: []float64{1000}, phases: "g", best: 1000, stop: StopMaxRate,
		},
		{
			name: "max rate fails", cfg: Config{Start: 1000, MaxRate: 5000}, capacity: 4500,
			rates:  []float64{1000, 2000, 4000, 5000, 4500, 4750, 4630},
			phases: "ggggbbb", best: 4500, knee: 4630, stop: StopConverged,
		},
		{
			name: "nothing passes down to the min rate", cfg: Config{Start: 1000}, capacity: 0,
			rates:  []float64{1000, 500, 250, 125, 62.5, 31.3, 15.7},
			phases: "gssssss", knee: 15.7, stop: StopMinRate,
		},
		{
			name: "explicit min rate", cfg: Config{Start: 1000, MinRate: 400}, capacity: 0,
			rates: []float64{1000, 500}, phases: "gs", knee: 500, stop: StopMinRate,
		},
		{
			name: "max steps while growing", cfg: Config{Start: 1000, MaxSteps: 3}, capacity: inf,
			rates: []float64{1000, 2000, 4000}, phases: "ggg", best: 4000, stop: StopMaxSteps,
		},
		{
			name: "max steps while bisecting", cfg: Config{Start: 1000, MaxSteps: 6}, capacity: 10700,
			rates:  []float64{1000, 2000, 4000, 8000, 16000, 12000},
			phases: "gggggb", best: 8000, knee: 12000, stop: StopMaxSteps,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []float64
			cfg := tt.cfg
			cfg.StepDuration = time.Second
			if tt.script != "" {
				cfg.Run = scriptedRun(tt.script, &asked)
			} else {
				cfg.Run = capacityRun(tt.capacity, &asked)
			}
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !slices.Equal(asked, tt.rates) {
				t.Errorf("rates = %v; want %v", asked, tt.rates)
			}
			var phases strings.Builder
			for i, st := range res.Steps {
				phases.WriteByte(st.Phase.String()[0])
				if st.N != i+1 || st.Rate != asked[i] {
					t.Errorf("step %d: N %d, rate %g; want N %d, rate %g", i, st.N, st.Rate, i+1, asked[i])
				}
			}
			if phases.String() != tt.phases {
				t.Errorf("phases = %s; want %s", phases.String(), tt.phases)
			}
			if res.Best != tt.best || res.Knee != tt.knee || res.Stop != tt.stop {
				t.Errorf("best %g, knee %g, stop %s; want %g, %g, %s", res.Best, res.Knee, res.Stop, tt.best, tt.knee, tt.stop)
			}
			if res.Converged() != (tt.stop == StopConverged) {
				t.Errorf("Converged() = %v with stop %s", res.Converged(), res.Stop)
			}
			if res.Converged() && res.Knee-res.Best > cfg.Precision*res.Best+1e-9 && cfg.Precision != 0 {
				t.Errorf("converged bracket [%g, %g] is wider than the precision", res.Best, res.Knee)
			}
			// Every pass lies below every fail in a monotone collector, and Best is the highest pass.
			for _, st := range res.Steps {
				if st.Pass && st.Rate > res.Best || !st.Pass && res.Knee > 0 && st.Rate < res.Knee {
					t.Errorf("step %d at %g (%s) lies outside the bracket [%g, %g]", st.N, st.Rate, st.Verdict(), res.Best, res.Knee)
				}
			}
		})
	}
}

func TestRunJudgesSteps(t *testing.T) {
	var asked []float64
	var progressed []int
	res, err := Run(context.Background(), Config{
		Start: 1000, StepDuration: 2 * time.Second, Run: capacityRun(3000, &asked),
		Progress: func(st Step) { progressed = append(progressed, st.N) },
		Meta:     reports.Meta{Scenario: "fake"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(progressed, want) || len(res.Steps) != len(want) {
		t.Errorf("progress saw steps %v of %d; want %v", progressed, len(res.Steps), want)
	}
	if res.Meta.Scenario != "fake" || res.Meta.Started.IsZero() || res.Meta.Interrupted {
		t.Errorf("meta = %+v", res.Meta)
	}
	if res.Peak != 3000 {
		t.Errorf("peak = %g; want the capacity 3000", res.Peak)
	}
	st := res.Steps[2] // 4000/s: above the capacity
	if st.Rate != 4000 || st.Pass || st.Verdict() != "FAIL" {
		t.Fatalf("step 3 = %+v; want a failure at 4000/s", st)
	}
	if st.Achieved != 3000 || st.P99 != 900*time.Millisecond || st.P50 != 200*time.Millisecond || st.Elapsed != 2*time.Second {
		t.Errorf("step 3 measured achieved %g, p50 %v, p99 %v, elapsed %v", st.Achieved, st.P50, st.P99, st.Elapsed)
	}
	var failed []string
	for _, f := range st.Failed() {
		failed = append(failed, f.Expr)
	}
	if want := []string{"p99<50ms", "achieved>=0.99*offered"}; !slices.Equal(failed, want) {
		t.Errorf("failed thresholds = %v; want %v", failed, want)
	}
	if len(st.Thresholds) != 3 || st.Report == nil || len(st.Report.Thresholds) != 3 {
		t.Errorf("step 3 has %d threshold results, report %v", len(st.Thresholds), st.Report != nil)
	}
	if got := res.Steps[0]; !got.Pass || len(got.Failed()) != 0 || got.why() != "" {
		t.Errorf("step 1 = %+v; want a clean pass", got)
	}
	if want := "p99<50ms (got 900ms, want < 50.0ms)"; !strings.Contains(st.why(), want) {
		t.Errorf("why() = %q; want it to contain %q", st.why(), want)
	}
}

func TestCustomSLO(t *testing.T) {
	// Only the loss matters: the latency-exploding fake passes everywhere, so the sweep hits MaxRate.
	var asked []float64
	res, err := Run(context.Background(), Config{
		Start: 1000, MaxRate: 8000, SLO: []*threshold.Threshold{threshold.MustParse("lost==0")},
		Run: capacityRun(3000, &asked),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stop != StopMaxRate || res.Best != 8000 {
		t.Errorf("stop %s, best %g; want max_rate, 8000", res.Stop, res.Best)
	}
	if !slices.Equal(res.Settings.SLO, []string{"lost==0"}) {
		t.Errorf("settings SLO = %v", res.Settings.SLO)
	}
}

func TestOverrun(t *testing.T) {
	// Above 2000/s the fake cannot send its schedule: it runs until its context ends, as run.Run does,
	// and reports itself interrupted. With pushedBack, its wire lag shows the collector pushing back (a
	// failure); without, nothing says the collector was the limit (inconclusive).
	for _, pushedBack := range []bool{true, false} {
		var asked []float64
		slow := func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
			asked = append(asked, rate)
			rep := fakeReport(rate, math.Inf(1), d)
			if rate > 2000 {
				<-ctx.Done()
				rep.Meta.Interrupted = true
				rep.Counts.Sent /= 2
				if pushedBack {
					withWire(rep, 400*time.Millisecond)
				}
			}
			return rep, nil
		}
		res, err := Run(context.Background(), Config{
			Start: 1000, StepDuration: 100 * time.Millisecond, StepTimeout: 120 * time.Millisecond, Precision: 0.3, Run: slow,
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []float64{1000, 2000, 4000, 3000, 2500}; !slices.Equal(asked, want) {
			t.Fatalf("pushed back %v: rates = %v; want %v", pushedBack, asked, want)
		}
		st := res.Steps[2]
		switch {
		case pushedBack:
			if !st.Overrun || st.Pass || st.Inconclusive || st.Verdict() != "overrun" || !strings.Contains(st.why(), "step timeout") {
				t.Errorf("step 3 = %+v (why %q); want an overrun failure", st, st.why())
			}
			if res.Best != 2000 || res.Knee != 2500 || res.Stop != StopConverged {
				t.Errorf("best %g, knee %g, stop %s; want 2000, 2500, converged", res.Best, res.Knee, res.Stop)
			}
		default:
			if !st.Overrun || !st.Inconclusive || st.Verdict() != "inconclusive" || !strings.Contains(st.why(), "not a failure of the collector") {
				t.Errorf("step 3 = %+v (why %q); want an inconclusive overrun", st, st.why())
			}
			if res.Best != 2000 || res.Knee != 0 || res.Ceiling != 2500 || res.Stop != StopInconclusive {
				t.Errorf("best %g, knee %g, ceiling %g, stop %s; want 2000, 0, 2500, inconclusive", res.Best, res.Knee, res.Ceiling, res.Stop)
			}
		}
	}
}

func TestWarmup(t *testing.T) {
	var asked []float64
	var durations []time.Duration
	inner := capacityRun(10700, &asked)
	run := func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		durations = append(durations, d)
		return inner(ctx, rate, d)
	}
	res, err := Run(context.Background(), Config{Start: 4000, StepDuration: 2 * time.Second, Warmup: 500 * time.Millisecond, Run: run})
	if err != nil {
		t.Fatal(err)
	}
	// The warmup offers Start for Warmup first, and is neither a step nor judged.
	if asked[0] != 4000 || durations[0] != 500*time.Millisecond || durations[1] != 2*time.Second {
		t.Errorf("first runs: rates %v, durations %v; want a 500ms warmup at 4000/s, then 2s steps", asked[:2], durations[:2])
	}
	if len(res.Steps) != len(asked)-1 || res.Steps[0].N != 1 || res.Steps[0].Rate != 4000 {
		t.Errorf("%d steps for %d runs, first %+v; want the warmup left out", len(res.Steps), len(asked), res.Steps[0])
	}
	if res.Settings.Warmup != 500*time.Millisecond || !strings.Contains(res.Settings.String(), "after a warmup of 500ms") {
		t.Errorf("settings %s do not record the warmup", res.Settings)
	}
	// A warmup that cannot run is the sweep's error, before any step.
	boom := errors.New("cannot listen")
	fail := func(context.Context, float64, time.Duration) (*reports.Report, error) { return nil, boom }
	res, err = Run(context.Background(), Config{Start: 1000, Warmup: time.Second, Run: fail})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "warmup") || res.Stop != StopError || len(res.Steps) != 0 {
		t.Errorf("failed warmup: err %v, result %+v", err, res)
	}
}

func TestRetries(t *testing.T) {
	// Calls: 1000 passes; 2000 fails, then passes; 4000 fails twice; 3000 fails twice (past the script).
	var asked []float64
	res, err := Run(context.Background(), Config{Start: 1000, Retries: 1, MaxSteps: 4, Run: scriptedRun("PFPFF", &asked)})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1000, 2000, 2000, 4000, 4000, 3000, 3000}; !slices.Equal(asked, want) {
		t.Errorf("rates = %v; want %v", asked, want)
	}
	var got []string
	for _, st := range res.Steps {
		got = append(got, st.Summary())
	}
	want := []string{"pass", "pass (2 tries)", "FAIL p99<50ms, achieved>=0.99*offered (2 tries)",
		"FAIL p99<50ms, achieved>=0.99*offered (2 tries)"}
	if !slices.Equal(got, want) {
		t.Errorf("steps = %q; want %q", got, want)
	}
	if res.Best != 2000 || res.Knee != 3000 || res.Stop != StopMaxSteps {
		t.Errorf("best %g, knee %g, stop %s; want 2000, 3000, max_steps", res.Best, res.Knee, res.Stop)
	}
	// An overrun is retried like any step that did not pass.
	asked = nil
	overrun := func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		asked = append(asked, rate)
		rep := fakeReport(rate, math.Inf(1), d)
		rep.Meta.Interrupted = true
		return rep, nil
	}
	res, err = Run(context.Background(), Config{Start: 1000, Retries: 3, MaxSteps: 1, Run: overrun})
	if err != nil || len(asked) != 4 || res.Steps[0].Tries != 4 || len(res.Steps[0].Attempts) != 4 || !res.Steps[0].Overrun {
		t.Errorf("overrun with retries: err %v, ran %v, step %+v", err, asked, res.Steps[0])
	}
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var asked []float64
	inner := capacityRun(10700, &asked)
	run := func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		rep, err := inner(ctx, rate, d)
		if len(asked) == 3 {
			cancel() // the user presses Ctrl-C during step 3
			rep.Meta.Interrupted = true
		}
		return rep, err
	}
	res, err := Run(ctx, Config{Start: 1000, Run: run})
	if err != nil {
		t.Fatalf("an interrupted sweep returned error %v; want its result and nil", err)
	}
	if res.Stop != StopInterrupted || !res.Meta.Interrupted || len(res.Steps) != 3 {
		t.Fatalf("stop %s, interrupted %v, %d steps; want interrupted after 3", res.Stop, res.Meta.Interrupted, len(res.Steps))
	}
	last := res.Steps[2]
	if !last.Interrupted || last.Pass || last.Verdict() != "interrupted" {
		t.Errorf("last step = %+v; want it unjudged", last)
	}
	if res.Best != 2000 || res.Knee != 0 {
		t.Errorf("best %g, knee %g; want 2000 (from the judged steps), 0", res.Best, res.Knee)
	}
	if c := res.Conclusion(); !strings.Contains(c, "interrupted after 3 steps") || !strings.Contains(c, "2000/s") {
		t.Errorf("Conclusion() = %q", c)
	}
	// A run that fails because the sweep was interrupted is an interruption, not an error.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	asked = nil
	inner2 := capacityRun(10700, &asked)
	failing := func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		if len(asked) == 2 {
			cancel2()
			return nil, context.Canceled
		}
		return inner2(ctx, rate, d)
	}
	res, err = Run(ctx2, Config{Start: 1000, Run: failing})
	if err != nil || res.Stop != StopInterrupted || len(res.Steps) != 2 || res.Best != 2000 {
		t.Errorf("run failing on interrupt: err %v, stop %s, %d steps, best %g", err, res.Stop, len(res.Steps), res.Best)
	}
	// A context cancelled before the first step runs nothing, not even the warmup.
	asked = nil
	res, err = Run(ctx, Config{Start: 1000, Warmup: time.Second, Run: capacityRun(1, &asked)})
	if err != nil || len(asked) != 0 || res.Stop != StopInterrupted {
		t.Errorf("cancelled sweep: err %v, ran %v, stop %s", err, asked, res.Stop)
	}
}

func TestRunError(t *testing.T) {
	boom := errors.New("cannot listen")
	var asked []float64
	inner := capacityRun(1e9, &asked)
	run := func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		if rate > 2000 {
			return nil, boom
		}
		return inner(ctx, rate, d)
	}
	res, err := Run(context.Background(), Config{Start: 1000, Run: run})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "step 3 at 4000/s") {
		t.Fatalf("err = %v; want the step's error with its number and rate", err)
	}
	if res == nil || res.Stop != StopError || len(res.Steps) != 2 || res.Best != 2000 {
		t.Fatalf("result = %+v; want the two steps before the error", res)
	}
	nilReport := func(context.Context, float64, time.Duration) (*reports.Report, error) { return nil, nil }
	if _, err := Run(context.Background(), Config{Start: 1000, Run: nilReport}); err == nil {
		t.Error("a RunFunc returning no report and no error was accepted")
	}
}

func TestConfigValidate(t *testing.T) {
	run := capacityRun(1, new([]float64))
	tests := []struct {
		name string
		cfg  Config
		want []string // every problem must be reported
	}{
		{"no start, no run", Config{}, []string{"start rate 0", "no Run function"}},
		{"factor and precision", Config{Start: 1, Factor: 1, Precision: 1.5, Run: run}, []string{"factor 1 must be > 1", "precision 1.5"}},
		{"max below start", Config{Start: 1000, MaxRate: 10, Run: run}, []string{"max rate 10"}},
		{"min above start", Config{Start: 1000, MinRate: 2000, Run: run}, []string{"min rate 2000"}},
		{"negative steps and duration", Config{Start: 1, MaxSteps: -1, StepDuration: -1, Run: run},
			[]string{"max steps -1", "step duration -1ns"}},
		{"timeout below duration", Config{Start: 1, StepDuration: time.Second, StepTimeout: time.Millisecond, Run: run},
			[]string{"step timeout 1ms must be at least the step duration 1s"}},
		{"nil threshold", Config{Start: 1, SLO: []*threshold.Threshold{nil}, Run: run}, []string{"SLO threshold 1 is nil"}},
		{"negative retries and warmup", Config{Start: 1, Retries: -1, Warmup: -1, Run: run}, []string{"retries -1", "warmup -1ns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), tt.cfg)
			if err == nil || res != nil {
				t.Fatalf("Run(%+v) = %v, %v; want no result and an error", tt.cfg, res, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestConfigString(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Start: 1000}, "Sweep{from 1000/s ×2 to within 5%, steps of 3s, SLO p99<50ms, lost==0, achieved>=0.99*offered}"},
		{Config{Start: 333.33, Factor: 1.5, Precision: 0.02, MaxRate: 50000, StepDuration: time.Second,
			SLO: []*threshold.Threshold{threshold.MustParse("p99.9 < 20ms")}},
			"Sweep{from 333.3/s ×1.5 up to 50000/s to within 2%, steps of 1s, SLO p99.9 < 20ms}"},
		{Config{Start: 1000, Warmup: time.Second, Retries: 2, SLO: []*threshold.Threshold{threshold.MustParse("lost==0")}},
			"Sweep{from 1000/s ×2 to within 5%, steps of 3s after a warmup of 1s, failures retried 2×, SLO lost==0}"},
	}
	for _, tt := range tests {
		if got := tt.cfg.String(); got != tt.want {
			t.Errorf("Config.String() = %q; want %q", got, tt.want)
		}
	}
}

func TestPhaseStopText(t *testing.T) {
	for p := PhaseGrow; p <= PhaseBisect; p++ {
		b, err := p.MarshalText()
		var back Phase
		if err != nil || back.UnmarshalText(b) != nil || back != p {
			t.Errorf("phase %v: marshal %q, %v; back %v", p, b, err, back)
		}
	}
	for s := StopConverged; s <= StopError; s++ {
		b, err := s.MarshalText()
		var back Stop
		if err != nil || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("stop %v: marshal %q, %v; back %v", s, b, err, back)
		}
	}
	if _, err := Phase(9).MarshalText(); err == nil {
		t.Error("Phase(9) marshalled")
	}
	if _, err := Stop(9).MarshalText(); err == nil {
		t.Error("Stop(9) marshalled")
	}
	var p Phase
	if err := p.UnmarshalText([]byte("sideways")); err == nil {
		t.Error(`Phase.UnmarshalText("sideways") succeeded`)
	}
	var s Stop
	if err := s.UnmarshalText([]byte("bored")); err == nil {
		t.Error(`Stop.UnmarshalText("bored") succeeded`)
	}
	if Phase(9).String() != "phase(9)" || Stop(9).String() != "stop(9)" {
		t.Errorf("out-of-range names: %s, %s", Phase(9), Stop(9))
	}
}

func TestRoundSig(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{10546.875, 10500}, {4625, 4630}, {312.5, 313}, {1, 1}, {0.012345, 0.0123}, {999.6, 1000}, {0, 0},
	}
	for _, tt := range tests {
		if got := roundSig(tt.in); math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("roundSig(%g) = %g; want %g", tt.in, got, tt.want)
		}
	}
	// Rounding never leaves the interval: tiny brackets fall back to the exact midpoint.
	if got := between(1000, 1001); got != 1000.5 {
		t.Errorf("between(1000, 1001) = %g; want 1000.5", got)
	}
	if got := above(1000, 1.0001); got <= 1000 {
		t.Errorf("above(1000, 1.0001) = %g; want > 1000", got)
	}
	if got := below(1000, 1.0001); got >= 1000 {
		t.Errorf("below(1000, 1.0001) = %g; want < 1000", got)
	}
}
