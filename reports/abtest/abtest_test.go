package abtest

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports/golden"
)

var (
	p99     = Spec{Name: "e2e.p99", Unit: "duration", Better: LowerIsBetter, Format: dur}
	achieve = Spec{Name: "achieved", Unit: "rate", Better: HigherIsBetter}
	lost    = Spec{Name: "lost", Unit: "count", Better: LowerIsBetter}
)

// dur formats nanoseconds as the report renderers do, to microseconds.
func dur(v float64) string { return time.Duration(v).Round(time.Microsecond).String() }

func ms(vs ...float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = v * 1e6
	}
	return out
}

func TestCompareVerdicts(t *testing.T) {
	tests := []struct {
		name      string
		spec      Spec
		base, cur []float64
		want      Verdict
		reason    string             // a part of the reason
		margins   map[string]float64 // Options.Margins
	}{
		{"identical-ish replicates", achieve, []float64{4000, 4012, 3995}, []float64{4005, 3998, 4010}, NoChange, "lies within ±5.0%", nil},
		{"p99 doubles", p99, ms(1.00, 1.05, 0.98), ms(2.02, 2.10, 1.95), Regressed, "lies above +5.0%", nil},
		{"noisy pair", p99, ms(10, 30, 11), ms(12, 29, 10), Erratic, "base replicates' spread (CV 66.3%)", nil},
		{"noisy new side only", p99, ms(10, 10.1, 9.9), ms(10, 14, 9), Erratic, "new replicates' spread", nil},
		{"p99 halves", p99, ms(2.02, 2.10, 1.95), ms(1.00, 1.05, 0.98), Improved, "lies below -5.0%", nil},
		{"achieved rises", achieve, []float64{4000, 4010, 3990}, []float64{4600, 4620, 4590}, Improved, "lies above +5.0%", nil},
		{"achieved falls", achieve, []float64{4000, 4010, 3990}, []float64{3400, 3420, 3390}, Regressed, "lies below -5.0%", nil},
		{"CI straddles the margin", achieve, []float64{100, 101, 99}, []float64{104, 106.5, 103}, Erratic, "straddles the ±5.0% margin", nil},
		{"wider margin of the metric", achieve, []float64{100, 101, 99}, []float64{104, 106.5, 103}, NoChange, "within ±10.0%", map[string]float64{"achieved": 0.10}},
		{"no margin", p99, ms(1.00, 1.01, 0.99), ms(1.02, 1.03, 1.01), Regressed, "lies above +0.0%", map[string]float64{"e2e.p99": 0}},
		{"one replicate a side", p99, ms(1), ms(2), Insufficient, "on each side cannot decide", nil},
		{"one new replicate", p99, ms(1, 1.01, 0.99), ms(2), Insufficient, "on the new side", nil},
		{"one base replicate", p99, ms(1), ms(2, 2, 2), Insufficient, "on the base side", nil},
		{"rise from zero", lost, []float64{0, 0, 0}, []float64{40, 38, 45}, Regressed, "[+38, +45] lies above 0 (a rise from zero", nil},
		{"zero on both sides", lost, []float64{0, 0, 0}, []float64{0, 0, 0}, NoChange, "[+0, +0] lies within ±5.0%", nil},
		{"sporadic rise from zero", lost, []float64{0, 0, 0}, []float64{0, 2, 0}, Erratic, "new replicates' spread", nil},
		{"spread around a zero mean", Spec{Name: "skew", Better: LowerIsBetter}, []float64{-1, 1, 0}, []float64{-1, 1, 0}, Erratic, "spread around a zero mean", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := DefaultOptions()
			opt.Margins = tt.margins
			m, err := Compare(tt.spec, tt.base, tt.cur, opt)
			if err != nil {
				t.Fatal(err)
			}
			if m.Verdict != tt.want || !strings.Contains(m.Reason, tt.reason) {
				t.Errorf("verdict %q (%s); want %q with %q", m.Verdict, m.Reason, tt.want, tt.reason)
			}
			if m.Verdict == Regressed && *m.CILowAbs <= 0 && *m.CIHighAbs >= 0 {
				t.Errorf("regressed with a CI [%v, %v] that includes 0", *m.CILowAbs, *m.CIHighAbs)
			}
			single := len(tt.base) < 2 || len(tt.cur) < 2
			if single != (m.Method == MethodNone) || single != (m.CILowAbs == nil) {
				t.Errorf("method %q, CI %v with n = %d and %d", m.Method, m.CILowAbs, len(tt.base), len(tt.cur))
			}
		})
	}
}

func TestCompareSummaries(t *testing.T) {
	m, err := Compare(p99, ms(1.00, 1.05, 0.98), ms(2.02, 2.10, 1.95), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Abs(want)+1e-12 {
			t.Errorf("%s = %v; want %v", name, got, want)
		}
	}
	near("base mean", m.Base.Mean, 1.01e6)
	near("base median", m.Base.Median, 1.00e6)
	near("new mean", m.New.Mean, 2.02333e6)
	near("diff", m.Diff, 1.01333e6)
	near("diffRel", *m.DiffRel, 1.00330)
	near("base CV", *m.Base.CV, 0.0356985) // sd 36055.5 / 1.01e6
	if m.Base.N != 3 || m.New.N != 3 || len(m.New.Values) != 3 {
		t.Errorf("n = %d, %d", m.Base.N, m.New.N)
	}
	if lo, hi := *m.CILowAbs, *m.CIHighAbs; lo > m.Diff || hi < m.Diff || *m.CILow != sig6(lo/1.01e6) {
		t.Errorf("CI [%v, %v] (relative [%v, %v]) around diff %v", lo, hi, *m.CILow, *m.CIHigh, m.Diff)
	}
	// Three against three distinct values: the exact U test's smallest two-sided p-value, 2/20.
	if m.PValue == nil || *m.PValue != 0.1 {
		t.Errorf("p = %v; want 0.1", m.PValue)
	}
}

func TestBootstrapKnownDistribution(t *testing.T) {
	// Constant sides: every resample has the same difference.
	if lo, hi := bootstrap([]float64{5, 5, 5}, []float64{7, 7, 7}, 1000, 1); lo != 2 || hi != 2 {
		t.Errorf("constant sides: [%v, %v]; want [2, 2]", lo, hi)
	}
	// New {0, 1} resamples to mean 0, 0.5 or 1 with chances 1/4, 1/2, 1/4: the 2.5th and 97.5th
	// percentiles of 10000 draws are 0 and 1, and about half of them are 0.5.
	lo, hi := bootstrap([]float64{0, 0}, []float64{0, 1}, 10000, 1)
	if lo != 0 || hi != 1 {
		t.Errorf("{0, 1}: [%v, %v]; want [0, 1]", lo, hi)
	}
	rng := newRNG(1)
	half := 0
	for range 10000 {
		if resampledMean(rng, []float64{0, 1}) == 0.5 {
			half++
		}
	}
	if half < 4800 || half > 5200 {
		t.Errorf("%d of 10000 resampled means are 0.5; want about 5000", half)
	}
}

func TestCompareDeterministic(t *testing.T) {
	base := ms(1.0037, 1.1291, 0.9313, 1.0442, 0.9719, 1.0861, 1.0127, 0.9553)
	cur := ms(1.1021, 1.2113, 1.0239, 1.1547, 1.0633, 1.1809, 1.0917, 1.1371)
	a, _ := Compare(p99, base, cur, DefaultOptions())
	b, _ := Compare(p99, base, cur, Options{Seed: DefaultSeed, Resamples: DefaultResamples})
	if *a.CILowAbs != *b.CILowAbs || *a.CIHighAbs != *b.CIHighAbs {
		t.Errorf("same seed, different CIs: %v..%v and %v..%v", *a.CILowAbs, *a.CIHighAbs, *b.CILowAbs, *b.CIHighAbs)
	}
	c, _ := Compare(p99, base, cur, Options{Seed: 2})
	if *a.CILowAbs == *c.CILowAbs && *a.CIHighAbs == *c.CIHighAbs {
		t.Errorf("seeds 1 and 2 gave the same CI %v..%v: the seed is not used", *a.CILowAbs, *a.CIHighAbs)
	}
}

func TestCompareErrors(t *testing.T) {
	tests := []struct {
		name      string
		spec      Spec
		base, cur []float64
		opt       Options
		want      string
	}{
		{"no name", Spec{Better: LowerIsBetter}, []float64{1}, []float64{1}, DefaultOptions(), "no name"},
		{"no direction", Spec{Name: "x"}, []float64{1}, []float64{1}, DefaultOptions(), `direction ""`},
		{"negative margin", p99, []float64{1}, []float64{1}, Options{Margins: map[string]float64{"e2e.p99": -0.1}}, "margin -0.1"},
		{"negative resamples", p99, []float64{1}, []float64{1}, Options{Resamples: -1}, "resamples -1"},
		{"empty base", p99, nil, []float64{1}, DefaultOptions(), "no base values"},
		{"empty new", p99, []float64{1}, nil, DefaultOptions(), "no new values"},
		{"NaN", p99, []float64{1}, []float64{1, math.NaN()}, DefaultOptions(), "new value 2 is NaN"},
		{"infinite", p99, []float64{math.Inf(1)}, []float64{1}, DefaultOptions(), "base value 1 is +Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compare(tt.spec, tt.base, tt.cur, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v; want one with %q", err, tt.want)
			}
		})
	}
}

func TestAnalyzeOverall(t *testing.T) {
	same := []float64{100, 101, 99}
	in := func(v Verdict, informational bool) Input {
		sp := Spec{Name: string(v), Better: LowerIsBetter, Informational: informational}
		switch v {
		case Regressed:
			return Input{sp, same, []float64{200, 202, 198}}
		case Improved:
			return Input{sp, same, []float64{50, 51, 49}}
		case Erratic:
			return Input{sp, same, []float64{60, 140, 101}}
		case Insufficient:
			return Input{sp, same, []float64{100}}
		}
		return Input{sp, same, same}
	}
	tests := []struct {
		name string
		in   []Input
		want Verdict
		exit int
	}{
		{"all no change", []Input{in(NoChange, false)}, NoChange, 0},
		{"a regression wins", []Input{in(Improved, false), in(Erratic, false), in(Insufficient, false), in(Regressed, false)}, Regressed, 3},
		{"erratic before insufficient", []Input{in(Insufficient, false), in(Erratic, false), in(Improved, false)}, Erratic, 0},
		{"insufficient before improved", []Input{in(Improved, false), in(Insufficient, false)}, Insufficient, 0},
		{"improved", []Input{in(NoChange, false), in(Improved, false)}, Improved, 0},
		{"an informational regression does not gate", []Input{in(NoChange, false), in(Regressed, true)}, NoChange, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Analyze("a", "b", tt.in, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if s.Verdict != tt.want || s.ExitCode != tt.exit {
				t.Errorf("verdict %q exit %d; want %q exit %d", s.Verdict, s.ExitCode, tt.want, tt.exit)
			}
			if (tt.exit == 3) != (len(s.Regressions) > 0) {
				t.Errorf("regressions %v with exit %d", s.Regressions, s.ExitCode)
			}
		})
	}
}

func TestAnalyzeErrors(t *testing.T) {
	ok := Input{p99, ms(1, 1), ms(1, 1)}
	info := ok
	info.Informational = true
	bad := ok
	bad.Better = "sideways"
	tests := []struct {
		name string
		in   []Input
		opt  Options
		want string
	}{
		{"nothing", nil, DefaultOptions(), "no gated metric"},
		{"only informational", []Input{info}, DefaultOptions(), "no gated metric"},
		{"twice", []Input{ok, ok}, DefaultOptions(), `"e2e.p99" given twice`},
		{"bad input", []Input{bad}, DefaultOptions(), `compare e2e.p99: direction "sideways"`},
		{"negative margin", []Input{ok}, Options{Margin: -0.05}, "margin -0.05"},
		{"margin of no metric", []Input{ok}, Options{Margins: map[string]float64{"e2e.p95": 0.1}}, `margin for "e2e.p95", which is not compared`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Analyze("a", "b", tt.in, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v; want one with %q", err, tt.want)
			}
		})
	}
}

// sample is a comparison of three replicates a side with every kind of row.
func sample(t *testing.T) *Signal {
	t.Helper()
	s, err := Analyze("runs/base", "runs/new", []Input{
		{achieve, []float64{3998.2, 4001.5, 3999.9}, []float64{3997.4, 4000.8, 4002.1}},
		{Spec{Name: "e2e.p50", Unit: "duration", Better: LowerIsBetter, Informational: true, Format: dur}, ms(0.214, 0.219, 0.211), ms(0.251, 0.262, 0.248)},
		{p99, ms(1.01, 1.05, 0.98), ms(2.02, 2.10, 1.95)},
		{Spec{Name: "e2e.p99.9", Unit: "duration", Better: LowerIsBetter, Format: dur}, ms(1.4, 3.9, 1.6), ms(2.9, 1.7, 4.1)},
		{lost, []float64{0, 0, 0}, []float64{0, 0, 0}},
	}, Options{Margin: DefaultMargin, Margins: map[string]float64{"e2e.p99.9": 0.10}})
	if err != nil {
		t.Fatal(err)
	}
	s.NotCompared = append(s.NotCompared, NotCompared{"pipeline.p99", "no latency samples in runs/new/run-2.json"})
	return s
}

func TestRender(t *testing.T) {
	s := sample(t)
	single, err := Analyze("base.json", "new.json", []Input{
		{achieve, []float64{3998.2}, []float64{3601.5}},
		{p99, ms(1.01), ms(2.02)},
	}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		write func(*Signal, *bytes.Buffer) error
	}{
		{"json", func(s *Signal, b *bytes.Buffer) error { return s.WriteJSON(b) }},
		{"text", func(s *Signal, b *bytes.Buffer) error { return s.WriteText(b) }},
		{"markdown", func(s *Signal, b *bytes.Buffer) error { return s.WriteMarkdown(b) }},
	} {
		for _, c := range []struct {
			name string
			s    *Signal
		}{{"replicates", s}, {"single", single}} {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := tt.write(c.s, &b); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, b.Bytes())
			})
		}
	}
}

func TestSignalJSONSchema(t *testing.T) {
	var b bytes.Buffer
	if err := sample(t).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema        string   `json:"schema"`
		SchemaVersion int      `json:"schemaVersion"`
		Verdict       string   `json:"verdict"`
		ExitCode      int      `json:"exitCode"`
		Regressions   []string `json:"regressions"`
		Metrics       []map[string]json.RawMessage
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != Schema || doc.SchemaVersion != 1 || doc.Verdict != "regressed" || doc.ExitCode != 3 ||
		len(doc.Regressions) != 1 || doc.Regressions[0] != "e2e.p99" {
		t.Errorf("top level: %+v", doc)
	}
	for _, m := range doc.Metrics {
		for _, k := range []string{"name", "direction", "gate", "base", "new", "diff", "diffRel", "ciLow", "ciHigh",
			"ciLowAbs", "ciHighAbs", "method", "pValue", "margin", "verdict", "reason"} {
			if _, ok := m[k]; !ok {
				t.Errorf("metric %s has no %q", m["name"], k)
			}
		}
		var side map[string]json.RawMessage
		if err := json.Unmarshal(m["base"], &side); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"n", "mean", "median", "cv", "values"} {
			if _, ok := side[k]; !ok {
				t.Errorf("metric %s: base has no %q", m["name"], k)
			}
		}
	}
}
