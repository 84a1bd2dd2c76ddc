package sweep

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports"
)

// TestPlanArithmetic: collectors = ⌈rate / (best·(1−headroom))⌉, each carrying rate/collectors, with
// the best step's CPU p99 scaled to that load and its RSS as measured.
func TestPlanArithmetic(t *testing.T) {
	usage := &reports.TargetUsage{PID: 42, Command: "syslog-ng", Samples: 30, CPU: reports.CPUCores{Mean: 0.5, P99: 0.8, Max: 0.9}, RSSMax: 120 << 20}
	for _, tc := range []struct {
		name               string
		best, rate, head   float64
		stop               Stop
		usage              *reports.TargetUsage
		collectors         int
		load, cpu          float64
		lowerBound, measur bool
	}{
		{"one collector is enough", 10000, 5000, 0.3, StopConverged, usage, 1, 5000, 0.4, false, true},
		{"exactly at the budget", 10000, 7000, 0.3, StopConverged, usage, 1, 7000, 0.56, false, true},
		{"just over", 10000, 7001, 0.3, StopConverged, usage, 2, 3500.5, 0.28004, false, true},
		{"many", 9250, 100000, 0.3, StopConverged, usage, 16, 6250, 0.8 * 6250 / 9250, false, true},
		{"no headroom", 1000, 3000, 0, StopConverged, usage, 3, 1000, 0.8, false, true},
		{"not measured", 1000, 3000, 0.5, StopConverged, nil, 6, 500, 0, false, false},
		{"lower bound", 1000, 3000, 0.5, StopMaxRate, usage, 6, 500, 0.4, true, true},
	} {
		res := &Result{Best: tc.best, Stop: tc.stop, Steps: []Step{{N: 1, Rate: tc.best, Pass: true, Target: tc.usage}}}
		p := NewPlan(res, PlanRequest{Rate: tc.rate, Headroom: tc.head})
		if p.Collectors != tc.collectors || math.Abs(p.Load-tc.load) > 1e-9 || math.Abs(p.CPU-tc.cpu) > 1e-9 ||
			p.LowerBound != tc.lowerBound || p.Measured != tc.measur {
			t.Errorf("%s: plan %+v; want %d collectors at %g/s, %g cores, lower bound %v, measured %v", tc.name, p,
				tc.collectors, tc.load, tc.cpu, tc.lowerBound, tc.measur)
		}
		if tc.measur && p.RSS != 120<<20 {
			t.Errorf("%s: RSS %d; want the best step's maximum", tc.name, p.RSS)
		}
	}
	none := NewPlan(&Result{Stop: StopMinRate}, PlanRequest{Rate: 1000, Headroom: 0.3})
	if none.Collectors != 0 || !strings.Contains(none.Sentence(), "no sustainable rate") {
		t.Errorf("plan without a sustainable rate: %+v, %q", none, none.Sentence())
	}
	p := NewPlan(&Result{Best: 9250, Stop: StopConverged, Steps: []Step{{Rate: 9250, Pass: true, Target: usage}}},
		PlanRequest{Rate: 20000, Asked: "50GB/day", Conversion: "50GB/day ÷ 600 B = 964.5/s", Headroom: 0.3})
	if got, want := p.Sentence(), "4 collectors like this one, each at ≤ 43% CPU and ≤ 120.0 MiB, for 20000/s at peak, with 30% headroom"; got != want {
		t.Errorf("Sentence() = %q; want %q", got, want)
	}
}

func TestParseHeadroom(t *testing.T) {
	for in, want := range map[string]float64{"30%": 0.3, "0.3": 0.3, "0": 0, " 50 % ": 0.5} {
		if got, err := ParseHeadroom(in); err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("ParseHeadroom(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"100%", "1", "-5%", "x"} {
		if _, err := ParseHeadroom(in); err == nil {
			t.Errorf("ParseHeadroom(%q) = nil error", in)
		}
	}
}

// TestPlanRendered: a sweep with a plan shows the cost at the sustainable rate and the plan in text,
// JSON and HTML.
func TestPlanRendered(t *testing.T) {
	var asked []float64
	inner := capacityRun(10700, &asked)
	res, err := Run(context.Background(), Config{Start: 1000, Run: inner, Plan: PlanRequest{Rate: 30000, Headroom: 0.3}})
	if err != nil {
		t.Fatal(err)
	}
	// The steps as a sampled sweep has them.
	for i := range res.Steps {
		res.Steps[i].Target = &reports.TargetUsage{PID: 7, Command: "collect", Samples: 30,
			CPU: reports.CPUCores{Mean: res.Steps[i].Achieved / 20000, P99: res.Steps[i].Achieved / 16000}, RSSMax: 64 << 20}
	}
	res.Plan = NewPlan(res, res.Plan.PlanRequest)
	var text, js, page bytes.Buffer
	for _, r := range []struct {
		b *bytes.Buffer
		f func() error
	}{{&text, func() error { return Text.Render(&text, res) }}, {&js, func() error { return JSON.Render(&js, res) }},
		{&page, func() error { return HTML.Render(&page, res) }}} {
		if err := r.f(); err != nil {
			t.Fatal(err)
		}
	}
	sentence := "5 collectors like this one, each at ≤ 38% CPU and ≤ 64.0 MiB, for 30000/s at peak, with 30% headroom"
	for name, want := range map[string][]string{
		"text": {"plan: " + sentence, "collector cost at 10500/s: CPU 0.53 cores mean (p99 0.66, max 0.00), RSS 64.0 MiB max (pid 7, collect)",
			"cpu   rss", "each collector carries 6000/s, within its budget of 7350/s (10500/s sustained less 30% headroom)"},
		"json": {`"collectors": 5`, `"headroom": 0.3`, `"rssBytes": 67108864`},
		"html": {sentence, "<th>cpu</th><th>rss</th>", "collector cost at 10500/s"},
	} {
		got := map[string]string{"text": text.String(), "json": js.String(), "html": page.String()}[name]
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	back, err := Decode(&js)
	if err != nil || back.Plan == nil || back.Plan.Collectors != 5 || back.Steps[0].Target == nil {
		t.Errorf("decoded %+v, %v; want the plan and the steps' targets back", back, err)
	}
}
