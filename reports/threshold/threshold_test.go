package threshold

import (
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

func TestParse(t *testing.T) {
	happy := []struct {
		expr  string
		lhs   string
		op    string
		value float64 // the constant, or the scale of rhs
		rhs   string
	}{
		{"p99<5ms", "p99", "<", 5e6, ""},
		{"  p99 <= 5 ms ", "p99", "<=", 5e6, ""},
		{"lost==0", "lost", "==", 0, ""},
		{"achieved>=0.99*offered", "achieved", ">=", 0.99, "offered"},
		{"achieved >= 0.99 * offered", "achieved", ">=", 0.99, "offered"},
		{"achieved>=offered", "achieved", ">=", 1, "offered"},
		{"mismatches==0", "mismatches", "==", 0, ""},
		{"e2e.p99.9<20ms", "e2e.p99.9", "<", 20e6, ""},
		{"wire.p50<1ms", "wire.p50", "<", 1e6, ""},
		{"dropped.malformed>0", "dropped.malformed", ">", 0, ""},
		{"dropped.malformed.bad_header!=0", "dropped.malformed.bad_header", "!=", 0, ""},
		{"dropped.platform>=1k", "dropped.platform", ">=", 1000, ""},
		{"pipeline.max<1s", "pipeline.max", "<", 1e9, ""},
		{"send.mean<250us", "send.mean", "<", 250e3, ""},
		{"send.min>=0", "send.min", ">=", 0, ""},
		{"e2e.p99.99<2µs", "e2e.p99.99", "<", 2e3, ""},
		{"p75<.5ms", "p75", "<", 0.5e6, ""},
		{"max<1m", "max", "<", 60e9, ""},
		{"max<1h", "max", "<", 3600e9, ""},
		{"max<10ns", "max", "<", 10, ""},
		{"achieved>5000/s", "achieved", ">", 5000, ""},
		{"achieved>5k/s", "achieved", ">", 5000, ""},
		{"achieved.p1>1.5M/s", "achieved.p1", ">", 1.5e6, ""},
		{"offered>5000", "offered", ">", 5000, ""},
		{"loss<0.1%", "loss", "<", 0.001, ""},
		{"loss<0.001", "loss", "<", 0.001, ""},
		{"lost.udp_overrun==0", "lost.udp_overrun", "==", 0, ""},
		{"p99<2*p50", "p99", "<", 2, "p50"},
		{"sent>1M", "sent", ">", 1e6, ""},
		{"delivery.duplicates==0", "delivery.duplicates", "==", 0, ""},
		{"delivery.at_risk<1k", "delivery.at_risk", "<", 1000, ""},
		{"delivery.duplicate.ratio<0.1%", "delivery.duplicate.ratio", "<", 0.001, ""},
		{"delivery.resent<=0.01*delivery.delivered", "delivery.resent", "<=", 0.01, "delivery.delivered"},
		{"target.cpu<0.8", "target.cpu", "<", 0.8, ""},
		{"target.cpu.p99<=1.5", "target.cpu.p99", "<=", 1.5, ""},
		{"target.cpu.max<2", "target.cpu.max", "<", 2, ""},
		{"target.rss<150MiB", "target.rss", "<", 150 << 20, ""},
		{"target.rss < 1.5 GiB", "target.rss", "<", 1.5 * (1 << 30), ""},
		{"target.rss<200MB", "target.rss", "<", 200e6, ""},
		{"target.rss<64kB", "target.rss", "<", 64e3, ""},
		{"target.rss.mean<1048576", "target.rss.mean", "<", 1 << 20, ""},
		{"target.rss<512B", "target.rss", "<", 512, ""},
	}
	for _, tt := range happy {
		t.Run(tt.expr, func(t *testing.T) {
			th, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tt.expr, err)
			}
			rhs := ""
			if th.rhs != nil {
				rhs = th.rhs.name
			}
			if th.lhs.name != tt.lhs || th.op.String() != tt.op || !near(th.value, tt.value) || rhs != tt.rhs {
				t.Errorf("Parse(%q) = %s %s %v*%q; want %s %s %v*%q", tt.expr, th.lhs.name, th.op, th.value, rhs, tt.lhs, tt.op, tt.value, tt.rhs)
			}
			if th.String() != tt.expr {
				t.Errorf("String() = %q; want %q", th.String(), tt.expr)
			}
		})
	}

	sad := []struct {
		expr string
		col  int
		msg  string
	}{
		{"p99<<5ms", 5, "expected a number or duration"},
		{"", 1, "expected a metric"},
		{"   ", 4, "expected a metric"},
		{"<5ms", 1, "expected a metric"},
		{"p98x<5ms", 1, `unknown metric "p98x" (known: offered, achieved`},
		{"e2e<5ms", 1, `unknown metric "e2e"`},
		{"p0<5ms", 1, `unknown metric "p0"`},
		{"p101<5ms", 1, `unknown metric "p101"`},
		{"p1e2<5ms", 1, `unknown metric "p1e2"`},
		{"lost.<5", 1, `unknown metric "lost."`},
		{"dropped.bored>0", 1, `unknown metric "dropped.bored"`},
		{"p99", 4, "expected an operator (<, <=, >, >=, ==, !=)"},
		{"p99=5ms", 4, "expected an operator"},
		{"p99 =< 5ms", 5, "expected an operator"},
		{"p99<", 5, "expected a number or duration"},
		{"lost==", 7, "expected a number"},
		{"lost==-1", 7, "expected a number"},
		{"achieved>=", 11, "expected a number or rate"},
		{"loss<", 6, "expected a number or percentage"},
		{"p99<5", 6, "expected a unit after 5 (ns, us, µs, ms, s, m or h)"},
		{"p99<5xs", 6, `unknown unit "xs" for a duration (want ns, us, µs, ms, s, m or h)`},
		{"lost==0ms", 8, `unknown unit "ms" for a count (want none, k or M)`},
		{"loss<5/s", 7, `unknown unit "/s" for a ratio`},
		{"achieved>5%", 11, `unknown unit "%" for a rate`},
		{"p99<5ms x", 9, `unexpected "x" after the threshold`},
		{"p99<5ms<3", 6, `unknown unit "ms<3"`},
		{"achieved>=0.99*", 16, "expected a metric"},
		{"achieved>=0.99*p99", 16, `metric "p99" is a duration, "achieved" needs a rate`},
		{"p99<offered", 5, `metric "offered" is a rate, "p99" needs a duration`},
		{"p99<2*nope", 7, `unknown metric "nope"`},
		{"p99<1.2.3ms", 8, `unknown unit ".3ms"`},
		{"delivery.dupes==0", 1, `unknown metric "delivery.dupes"`},
		{"delivery.duplicate.ratio<5/s", 27, `unknown unit "/s" for a ratio`},
		{"delivery.duplicates<5%", 22, `unknown unit "%" for a count`},
		{"target.cpu<80%", 14, `unknown unit "%" for a cpu (want none)`},
		{"target.rss<150M", 15, `unknown unit "M" for a size (want none, B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)`},
		{"target.rss<150mib", 15, `unknown unit "mib" for a size`},
		{"target.rss<target.cpu", 12, `metric "target.cpu" is a cpu, "target.rss" needs a size`},
		{"target.mem<1GB", 1, `unknown metric "target.mem"`},
		{"delivery.duplicates<delivery.duplicate.ratio", 21, `metric "delivery.duplicate.ratio" is a ratio, "delivery.duplicates" needs a count`},
	}
	for _, tt := range sad {
		t.Run("sad/"+tt.expr, func(t *testing.T) {
			_, err := Parse(tt.expr)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error = %v; want a *ParseError", tt.expr, err)
			}
			if pe.Col != tt.col || !strings.HasPrefix(pe.Msg, tt.msg) || pe.Expr != tt.expr {
				t.Errorf("Parse(%q) = col %d: %s; want col %d: %s…", tt.expr, pe.Col, pe.Msg, tt.col, tt.msg)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("p99<<5ms")
	if want := `threshold "p99<<5ms": col 5: expected a number or duration`; err == nil || err.Error() != want {
		t.Errorf("Parse error = %v; want %s", err, want)
	}
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-9*max(1, b) && d > -1e-9*max(1, b)
}

// evalReport is a fixed report for Eval: 10 s, 10000 offered, 9900 verdicts, 100 lost.
func evalReport() *reports.Report {
	r := &reports.Report{
		Meta:   reports.Meta{Duration: 10 * time.Second},
		Counts: reports.Counts{Offered: 10000, Sent: 9990, Behind: 5, Verdicts: 9900, Alerts: 6000, Mapped: 4000, Unmapped: 2000, Dropped: 3900, Lost: 100},
		Rates:  reports.Rates{Offered: 1000, Sent: 999, Achieved: 990, PerSecond: reports.RateSummary{Seconds: 8, Mean: 990, StdDev: 3, P1: 980, P50: 991, P99: 999}},
		Drops: []reports.DropCount{
			{Stage: "collector", Reason: "malformed", Detail: "bad_header", Count: 7},
			{Stage: "collector", Reason: "malformed", Detail: "truncated", Count: 3},
			{Stage: "collector", Reason: "allowed_traffic", Count: 2000},
			{Stage: "platform", Reason: "default_allow", Count: 1890},
		},
		Lost:        []reports.LostCount{{Cause: "send_error", Count: 60}, {Cause: "interrupted", Count: 40}},
		Conformance: reports.Conformance{Checked: 9900, Mismatches: 2},
	}
	for _, st := range reports.LatencyStages() {
		r.Latency = append(r.Latency, reports.StageLatency{Stage: st.String()})
	}
	e2e := r.Stage(reports.EndToEnd)
	*e2e = reports.StageLatency{Stage: "e2e", Count: 9900, Min: 100 * time.Microsecond, Mean: 800 * time.Microsecond,
		P50: 700 * time.Microsecond, P90: 2 * time.Millisecond, P99: 4 * time.Millisecond, P999: 15 * time.Millisecond, Max: 40 * time.Millisecond}
	return r
}

func TestEval(t *testing.T) {
	rep := evalReport()
	tests := []struct {
		expr      string
		pass      bool
		got, want string
	}{
		{"p99<5ms", true, "4.00ms", "< 5.00ms"},
		{"p99<4ms", false, "4.00ms", "< 4.00ms"},
		{"p99<=4ms", true, "4.00ms", "<= 4.00ms"},
		{"e2e.p99.9<20ms", true, "15.0ms", "< 20.0ms"},
		{"max<=40ms", true, "40.0ms", "<= 40.0ms"},
		{"e2e.mean>1ms", false, "800µs", "> 1.00ms"},
		{"p99<2*p50", false, "4.00ms", "< 1.40ms (2*p50)"},
		{"wire.p50<1ms", false, "not observed: no wire latency samples", "< 1.00ms"},
		{"p99<2*wire.p50", false, "4.00ms", "< 2*wire.p50 (not observed: no wire latency samples)"},
		{"wire.p99<2*wire.p50", false, "not observed: no wire latency samples", "< 2*wire.p50 (not observed: no wire latency samples)"},
		{"lost.sender==100", true, "100", "== 100"}, // send_error and interrupted
		{"lost==0", false, "100", "== 0"},
		{"lost!=0", true, "100", "!= 0"},
		{"lost.send_error==60", true, "60", "== 60"},
		{"lost.udp_overrun==0", true, "0", "== 0"},
		{"loss<1.5%", true, "1%", "< 1.5%"},
		{"loss<=0.01", true, "1%", "<= 1%"},
		{"achieved>=0.99*offered", true, "990.0/s", ">= 990.0/s (0.99*offered)"},
		{"achieved>=offered", false, "990.0/s", ">= 1000.0/s (offered)"},
		{"achieved.p1>=0.99*offered", false, "980.0/s", ">= 990.0/s (0.99*offered)"},
		{"achieved>1k/s", false, "990.0/s", "> 1000.0/s"},
		{"mismatches==0", false, "2", "== 0"},
		{"mismatch.ratio<0.1%", true, "0.02%", "< 0.1%"},
		{"dropped.malformed>0", true, "10", "> 0"},
		{"dropped.malformed.truncated==3", true, "3", "== 3"},
		{"dropped.collector==2010", true, "2010", "== 2010"},
		{"dropped.default_allow>2k", false, "1890", "> 2000"},
		{"behind.ratio<0.1%", true, "0.05%", "< 0.1%"},
		{"alerts.mapped>=4k", true, "4000", ">= 4000"},
		{"offered.count==10k", true, "10000", "== 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got := MustParse(tt.expr).Eval(rep)
			want := Result{Expr: tt.expr, Pass: tt.pass, Got: tt.got, Want: tt.want, NotObserved: strings.Contains(tt.got+tt.want, notObserved)}
			if got != want {
				t.Errorf("Eval = %+v; want %+v", got, want)
			}
		})
	}
}

// TestEvalDelivery evaluates every delivery metric on a report with observed delivery figures, one whose
// delivery nobody observed (no sink) and one without delivery figures (an embedded run).
func TestEvalDelivery(t *testing.T) {
	observed := evalReport()
	observed.Delivery = &reports.Delivery{Observed: true, Sink: "tcp://127.0.0.1:5515", Expect: "all", Delivered: 9800,
		Duplicates: 49, Reordered: 3, Unattributed: 4, Foreign: 5, Reconnects: 6, AtRisk: 7, Resent: 8}
	unobserved := evalReport()
	unobserved.Delivery = &reports.Delivery{Unobserved: 9990, Reconnects: 2, AtRisk: 30, Resent: 40}
	embedded := evalReport()
	const (
		noDelivery = notObserved + "no delivery figures: the run had no external target"
		noSink     = notObserved + "no sink: delivery was not observed"
	)
	tests := []struct {
		expr string
		// got on the observed, unobserved and embedded report; a threshold without a value fails
		observed, unobserved, embedded string
		want                           string
		passObserved, passUnobserved   bool
	}{
		{"delivery.delivered>=9k", "9800", noSink, noDelivery, ">= 9000", true, false},
		{"delivery.duplicates==49", "49", noSink, noDelivery, "== 49", true, false},
		{"delivery.duplicates==0", "49", noSink, noDelivery, "== 0", false, false},
		{"delivery.reordered==3", "3", noSink, noDelivery, "== 3", true, false},
		{"delivery.unattributed==4", "4", noSink, noDelivery, "== 4", true, false},
		{"delivery.foreign==5", "5", noSink, noDelivery, "== 5", true, false},
		{"delivery.duplicate.ratio<=0.5%", "0.5%", noSink, noDelivery, "<= 0.5%", true, false},
		{"delivery.unobserved==0", "0", "9990", noDelivery, "== 0", true, false},
		{"delivery.reconnects<10", "6", "2", noDelivery, "< 10", true, true},
		{"delivery.at_risk<10", "7", "30", noDelivery, "< 10", true, false},
		{"delivery.resent<=40", "8", "40", noDelivery, "<= 40", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			th := MustParse(tt.expr)
			for _, c := range []struct {
				name string
				r    *reports.Report
				got  string
				pass bool
			}{
				{"observed", observed, tt.observed, tt.passObserved},
				{"unobserved", unobserved, tt.unobserved, tt.passUnobserved},
				{"embedded", embedded, tt.embedded, false},
			} {
				want := Result{Expr: tt.expr, Pass: c.pass, Got: c.got, Want: tt.want, NotObserved: strings.HasPrefix(c.got, notObserved)}
				if got := th.Eval(c.r); got != want {
					t.Errorf("%s: Eval = %+v; want %+v", c.name, got, want)
				}
			}
		})
	}
	// A delivery metric on the right-hand side without a value says why.
	got := MustParse("delivery.resent<=0.01*delivery.delivered").Eval(unobserved)
	if want := (Result{Expr: got.Expr, Got: "40", Want: "<= 0.01*delivery.delivered (" + noSink + ")", NotObserved: true}); got != want {
		t.Errorf("Eval = %+v; want %+v", got, want)
	}
	got = MustParse("delivery.duplicate.ratio<1%").Eval(&reports.Report{Delivery: &reports.Delivery{Observed: true}})
	if want := (Result{Expr: got.Expr, Pass: true, Got: "0%", Want: "< 1%"}); got != want {
		t.Errorf("Eval with nothing delivered = %+v; want %+v", got, want)
	}
}

// TestEvalTarget checks the target metrics on a sampled report and that they fail as not observed on
// reports without a sampled process (none, or only scraped metrics).
func TestEvalTarget(t *testing.T) {
	sampled := evalReport()
	sampled.Target = reports.NewTarget(reports.TargetUsage{PID: 7, Command: "syslog-ng", Samples: 300, Elapsed: 30 * time.Second,
		CPU: reports.CPUCores{Mean: 0.42, P99: 0.87, Max: 0.95}, CPUSeconds: 12.6, RSSMax: 47 << 20, RSSMean: 45 << 20}, 1, 1)
	scraped := evalReport()
	scraped.Target = &reports.Target{Metrics: &reports.TargetMetrics{URL: "http://127.0.0.1:1/metrics"}}
	none := evalReport()
	partial := evalReport()
	partial.Target = reports.NewTarget(reports.TargetUsage{PID: 7, Command: "syslog-ng", Samples: 30, Elapsed: 3 * time.Second,
		CPU: reports.CPUCores{Mean: 0.1, P99: 0.1, Max: 0.1}, CPUSeconds: 0.3, RSSMax: 47 << 20, RSSMean: 45 << 20,
		Note: "target exited at 3s", Partial: true}, 1, 1)
	tests := []struct {
		expr, got, want string
		pass            bool
	}{
		{"target.cpu<0.8", "0.420 cores", "< 0.800 cores", true},
		{"target.cpu<0.0001", "0.420 cores", "< 0.0001 cores", false},
		{"target.cpu.p99<0.8", "0.870 cores", "< 0.800 cores", false},
		{"target.cpu.max<=0.95", "0.950 cores", "<= 0.950 cores", true},
		{"target.rss<150MiB", "47.0 MiB", "< 150 MiB", true},
		{"target.rss<47MiB", "47.0 MiB", "< 47.0 MiB", false},
		{"target.rss.mean<=45MiB", "45.0 MiB", "<= 45.0 MiB", true},
		{"target.rss<50MB", "47.0 MiB", "< 47.7 MiB", true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			th := MustParse(tt.expr)
			if got, want := th.Eval(sampled), (Result{Expr: tt.expr, Pass: tt.pass, Got: tt.got, Want: tt.want}); got != want {
				t.Errorf("sampled: Eval = %+v; want %+v", got, want)
			}
			for name, r := range map[string]*reports.Report{"scraped only": scraped, "no target": none} {
				if got, want := th.Eval(r), (Result{Expr: tt.expr, Got: notObserved + noTarget, Want: tt.want, NotObserved: true}); got != want {
					t.Errorf("%s: Eval = %+v; want %+v", name, got, want)
				}
			}
			// Sampled over its first 3 s only: every budget would pass on them, so none is judged.
			want := Result{Expr: tt.expr, Got: notObserved + "the target was sampled over part of the run only (target exited at 3s)", Want: tt.want, NotObserved: true}
			if got := th.Eval(partial); got != want {
				t.Errorf("partial: Eval = %+v; want %+v", got, want)
			}
		})
	}
}

func TestKnown(t *testing.T) {
	known := strings.Join(Known(), ", ")
	for _, name := range []string{"delivery.{delivered,duplicates,reordered,unattributed,foreign,unobserved}",
		"delivery.{reconnects,at_risk,resent}", "delivery.duplicate.ratio"} {
		if !strings.Contains(known, name) {
			t.Errorf("Known() lacks %q: %s", name, known)
		}
	}
	for name := range fixed {
		if strings.HasPrefix(name, "delivery.") && !strings.Contains(known, strings.TrimPrefix(name, "delivery.")) {
			t.Errorf("Known() does not list %s", name)
		}
	}
}

func TestEvalQuantileFromHistogram(t *testing.T) {
	r := reports.NewRecorder(reports.RecorderConfig{})
	alertVerdict := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("x")}
	for i := int64(1); i <= 1000; i++ {
		r.Verdict(0, alertVerdict, reports.Timing{Scheduled: 0, Decided: i * int64(time.Microsecond)})
	}
	rep := r.Report(reports.Meta{})
	for _, tt := range []struct {
		expr string
		pass bool
	}{
		{"p75<=751us", true},
		{"p75<749us", false},
		{"p99.99>999us", true},
		{"pipeline.p75<1ms", false}, // no samples
	} {
		if got := MustParse(tt.expr).Eval(rep); got.Pass != tt.pass {
			t.Errorf("%s: %+v; want pass=%v", tt.expr, got, tt.pass)
		}
	}
	rep.Latency[3].Histogram = "garbage"
	if got := MustParse("p75<1s").Eval(rep); got.Pass || !strings.HasPrefix(got.Got, "error: ") {
		t.Errorf("Eval on a broken histogram = %+v; want a failed error result", got)
	}
}

func TestApply(t *testing.T) {
	rep := evalReport()
	rep.Thresholds = []Result{{Expr: "stale"}}
	if Apply(rep, MustParse("lost<1k"), MustParse("p99<5ms")) != true || len(rep.Thresholds) != 2 || rep.Thresholds[0].Expr != "lost<1k" {
		t.Errorf("Apply(passing) recorded %+v", rep.Thresholds)
	}
	if Apply(rep, MustParse("lost<1k"), MustParse("lost==0")) || rep.ThresholdsPassed() {
		t.Errorf("Apply(failing) passed: %+v", rep.Thresholds)
	}
	if !Apply(rep) || len(rep.Thresholds) != 0 {
		t.Errorf("Apply() with no thresholds: %+v", rep.Thresholds)
	}
}

// TestNotObserved: a line for each gate that failed as not observed, none for the others.
func TestNotObserved(t *testing.T) {
	rep := evalReport()
	for _, tc := range []struct {
		gates []string
		want  []string
	}{
		{[]string{"lost<1k", "lost==0"}, nil},
		{[]string{"target.cpu<0.8", "lost<1k"}, []string{"threshold target.cpu<0.8 failed, " + notObserved + noTarget}},
	} {
		var ts []*Threshold
		for _, g := range tc.gates {
			ts = append(ts, MustParse(g))
		}
		Apply(rep, ts...)
		if got := NotObserved(rep); !slices.Equal(got, tc.want) {
			t.Errorf("%q: NotObserved = %q; want %q", tc.gates, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	var l List
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	fs.Var(&l, "threshold", "a CI gate")
	if err := fs.Parse([]string{"-threshold", "p99<5ms", "-threshold", "lost==0"}); err != nil {
		t.Fatal(err)
	}
	if len(l) != 2 || l.String() != "p99<5ms, lost==0" {
		t.Errorf("List = %q", l.String())
	}
	err := fs.Parse([]string{"-threshold", "p99<<5ms"})
	if err == nil || !strings.Contains(err.Error(), "col 5: expected a number or duration") {
		t.Errorf("bad flag error = %v", err)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "BUG: ") {
			t.Errorf("MustParse(bad) recovered %v; want a BUG panic", r)
		}
	}()
	MustParse("nope")
}

// TestEvalNotObserved evaluates gates on what each kind of run cannot observe: every one that would pass
// on the unobserved zero fails as not observed, saying why, and Unobserved gives the same reason from the
// vantage alone.
func TestEvalNotObserved(t *testing.T) {
	// An external target without a sink: the sender's side only, no verdicts, nothing checked.
	noSinkRun := &reports.Report{
		Meta:     reports.Meta{Duration: time.Second, TargetKind: "tcp"},
		Counts:   reports.Counts{Offered: 1000, Sent: 1000},
		Delivery: &reports.Delivery{Unobserved: 1000},
	}
	// A standalone sink: arrivals only; what was sent is in the shards' reports.
	sinkRun := &reports.Report{
		Meta:        reports.Meta{Duration: time.Second, TargetKind: reports.TargetSink},
		Counts:      reports.Counts{Offered: 1000, Verdicts: 1000, Alerts: 1000, Mapped: 1000},
		Conformance: reports.Conformance{Checked: 1000},
		Delivery:    &reports.Delivery{Observed: true, Delivered: 1000},
	}
	// An embedded run of nothing checked against an expectation.
	unchecked := &reports.Report{Meta: reports.Meta{Duration: time.Second}, Counts: reports.Counts{Offered: 10, Verdicts: 10, Dropped: 10}}
	const (
		loss   = "no sink: delivery and loss past the sender are unknown"
		counts = "no sink: the collector's verdicts are unknown"
		timing = "no sink: latency past the sender is unknown"
		sender = "standalone sink: what was sent is in the shards' reports"
	)
	tests := []struct {
		r    *reports.Report
		expr string
		why  string // "" for observed
	}{
		{noSinkRun, "lost==0", loss},
		{noSinkRun, "loss<0.1%", loss},
		{noSinkRun, "lost.not_delivered==0", loss},
		{noSinkRun, "lost.drain_timeout==0", loss},
		{noSinkRun, "mismatches==0", counts},
		{noSinkRun, "mismatch.ratio<1%", counts},
		{noSinkRun, "checked>=0", counts},
		{noSinkRun, "verdicts==0", counts},
		{noSinkRun, "alerts.unmapped==0", counts},
		{noSinkRun, "dropped.malformed<10", counts},
		{noSinkRun, "dropped.platform==0", counts},
		{noSinkRun, "achieved<1M/s", counts},
		{noSinkRun, "achieved.stddev<1k/s", counts},
		{noSinkRun, "e2e.p99<5ms", timing},
		{noSinkRun, "wire.max<5ms", timing},
		{noSinkRun, "sent.rate<=offered", ""},
		{noSinkRun, "sent.rate>=0.5*achieved", counts},
		{noSinkRun, "delivery.duplicates==0", "no sink: delivery was not observed"},
		{noSinkRun, "lost.sender==0", ""},
		{noSinkRun, "lost.send_error==0", ""},
		{noSinkRun, "delivery.at_risk==0", ""},
		{sinkRun, "sent>=0", sender},
		{sinkRun, "behind.ratio<1%", sender},
		{sinkRun, "send.p99<1ms", sender},
		{sinkRun, "lost.sender==0", sender},
		{sinkRun, "delivery.resent==0", sender},
		{sinkRun, "mismatches==0", ""},
		{sinkRun, "lost==0", ""},
		{unchecked, "mismatches==0", "no verdict was checked against an expectation"},
		{unchecked, "mismatch.ratio<1%", "no verdict was checked against an expectation"},
		{unchecked, "p99<1s", "no e2e latency samples"},
		{unchecked, "delivery.foreign==0", "no delivery figures: the run had no external target"},
		{unchecked, "lost==0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			th := MustParse(tt.expr)
			got := th.Eval(tt.r)
			if tt.why == "" {
				if got.NotObserved || !got.Pass {
					t.Errorf("Eval = %+v; want an observed pass", got)
				}
				return
			}
			if got.Pass || !got.NotObserved || !strings.Contains(got.Got+got.Want, notObserved+tt.why) {
				t.Errorf("Eval = %+v; want a failure as %q", got, notObserved+tt.why)
			}
			// What the vantage alone decides (all but the unchecked run's), Unobserved knows before the run.
			if why := th.Unobserved(VantageOf(tt.r)); tt.r != unchecked && why != tt.why {
				t.Errorf("Unobserved = %q; want %q", why, tt.why)
			}
		})
	}
}

func TestObservable(t *testing.T) {
	defaults := []*Threshold{MustParse("lost==0"), MustParse("mismatches==0"), MustParse("send.p99<5ms"), MustParse("p99<5ms")}
	for _, tt := range []struct {
		name string
		v    Vantage
		keep string
		left []reports.LeftOutThreshold
	}{
		{"embedded", Vantage{Verdicts: true, Sender: true}, "lost==0, mismatches==0, send.p99<5ms, p99<5ms", nil},
		{"sink", Vantage{External: true, Verdicts: true, Sender: true}, "lost==0, mismatches==0, send.p99<5ms, p99<5ms", nil},
		// Without a sink, lost==0 is checked on the losses the sender saw.
		{"no sink", Vantage{External: true, Sender: true}, "lost.sender==0, send.p99<5ms", []reports.LeftOutThreshold{
			{Expr: "lost==0", Why: "no sink: delivery and loss past the sender are unknown; checked as lost.sender==0"},
			{Expr: "mismatches==0", Why: "no sink: the collector's verdicts are unknown"},
			{Expr: "p99<5ms", Why: "no sink: latency past the sender is unknown"},
		}},
		{"standalone sink", Vantage{External: true, Verdicts: true}, "lost==0, mismatches==0, p99<5ms", []reports.LeftOutThreshold{
			{Expr: "send.p99<5ms", Why: "standalone sink: what was sent is in the shards' reports"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			keep, left := Observable(defaults, tt.v)
			if keep.String() != tt.keep || !slices.Equal(left, tt.left) {
				t.Errorf("Observable = %q, %+v; want %q, %+v", keep.String(), left, tt.keep, tt.left)
			}
		})
	}
}
