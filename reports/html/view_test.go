package html

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/nssbench/nssbench/reports"
)

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    uint64
		want string
	}{
		{0, "0"},
		{999, "999"},
		{1234, "1234"},
		{12345, "12\u2009345"},
		{1234567, "1\u2009234\u2009567"},
		{math.MaxUint64, "18\u2009446\u2009744\u2009073\u2009709\u2009551\u2009615"},
	} {
		if got := count(tt.n); got != tt.want {
			t.Errorf("count(%d) = %q; want %q", tt.n, got, tt.want)
		}
	}
}

func TestWidth(t *testing.T) {
	for _, tt := range []struct {
		n, of uint64
		want  string
	}{
		{0, 0, "0.0%"},
		{0, 10, "0.0%"},
		{10, 10, "100.0%"},
		{1, 3, "33.3%"},
		{1, 1_000_000, "0.5%"}, // tiny but nonzero stays visible
	} {
		if got := width(tt.n, tt.of); got != tt.want {
			t.Errorf("width(%d, %d) = %q; want %q", tt.n, tt.of, got, tt.want)
		}
	}
}

func TestShare(t *testing.T) {
	for _, tt := range []struct {
		n, of uint64
		want  string
	}{
		{0, 0, "0%"},
		{0, 5, "0%"},
		{5, 5, "100%"},
		{4877, 10000, "48.8%"},
		{1, 10, "10.0%"},
		{202, 10000, "2.02%"},
		{1, 100, "1.00%"},
		{76, 10000, "0.76%"},
		{99, 10000, "0.99%"},
		{46, 1_000_000, "0.0046%"},
		{1, 1_000_000_000, "0.00000010%"},
	} {
		if got := share(tt.n, tt.of); got != tt.want {
			t.Errorf("share(%d, %d) = %q; want %q", tt.n, tt.of, got, tt.want)
		}
	}
}

func TestNumMarshalJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []num
		want string
	}{
		{"plain", []num{0, 1, 0.05, 1234.5678}, "[0,1,0.05,1234.57]"},
		{"NaN is null", []num{null, 2}, "[null,2]"},
		{"large", []num{3.6e12}, "[3.6e+12]"},
	} {
		got, err := json.Marshal(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: json.Marshal(%v) = %s, %v; want %s", tt.name, tt.in, got, err, tt.want)
		}
	}
	if got, err := json.Marshal(num(math.Inf(1))); err == nil {
		t.Errorf("json.Marshal(+Inf) = %s; want an error", got)
	}
}

// uniformStage returns a stage whose histogram holds n values spread evenly over (0, top].
func uniformStage(t *testing.T, name string, n int, top time.Duration) reports.StageLatency {
	t.Helper()
	h := hdr.New(reports.HistogramLowest, reports.HistogramHighest, reports.HistogramDigits)
	for i := 1; i <= n; i++ {
		if err := h.RecordValue(int64(top) * int64(i) / int64(n)); err != nil {
			t.Fatal(err)
		}
	}
	enc, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		t.Fatal(err)
	}
	return reports.StageLatency{Stage: name, Count: uint64(n), Histogram: string(enc)}
}

func TestNewDistData(t *testing.T) {
	stages := []reports.StageLatency{
		uniformStage(t, "wire", 1000, time.Second), // 3 nines of resolution
		{Stage: "pipeline"},                        // no samples: no curve
		uniformStage(t, "e2e", 100_000, 10*time.Millisecond),
	}
	dd, err := newDistData(stages)
	if err != nil {
		t.Fatal(err)
	}
	if want := 5*distStepsPerNine + 1; len(dd.X) != want {
		t.Fatalf("len(X) = %d; want %d (0 to 5 nines)", len(dd.X), want)
	}
	if len(dd.Stages) != 2 || dd.Stages[0].Stage != "wire" || dd.Stages[1].Stage != "e2e" {
		t.Fatalf("stages = %+v; want wire and e2e", dd.Stages)
	}
	at := func(c stageCurve, nines int) float64 { return float64(c.Y[nines*distStepsPerNine]) }
	for _, tt := range []struct {
		curve stageCurve
		nines int
		want  float64 // ms
	}{
		{dd.Stages[0], 0, 1},       // p0: the smallest value, 1 ms
		{dd.Stages[0], 1, 900},     // p90
		{dd.Stages[0], 2, 990},     // p99
		{dd.Stages[0], 3, 999},     // p99.9
		{dd.Stages[1], 2, 9.9},     // p99
		{dd.Stages[1], 5, 9.99990}, // p99.999
	} {
		if got := at(tt.curve, tt.nines); math.Abs(got-tt.want) > tt.want*0.002 {
			t.Errorf("%s at %d nines = %v ms; want %v ms within 0.2%%", tt.curve.Stage, tt.nines, got, tt.want)
		}
	}
	for i, y := range dd.Stages[0].Y {
		if beyond := float64(dd.X[i]) > 3+1e-9; beyond != math.IsNaN(float64(y)) {
			t.Errorf("wire at x=%v: %v; want null exactly beyond 3 nines", dd.X[i], y)
		}
	}
}

func TestNewDistDataBadHistogram(t *testing.T) {
	_, err := newDistData([]reports.StageLatency{{Stage: "wire", Count: 1, Histogram: "not a histogram"}})
	if err == nil || !strings.Contains(err.Error(), "wire latency") {
		t.Fatalf("newDistData(bad histogram) error = %v; want one naming the stage", err)
	}
}

func TestNewTimelineData(t *testing.T) {
	r := &reports.Report{
		Meta: reports.Meta{Started: time.Unix(1000, 500_000_000)},
		Timeline: []reports.Second{
			{Unix: 1000, Offered: 5, Sent: 5, Verdicts: 4, P50: time.Millisecond, P99: 3 * time.Millisecond, E2E: [][2]uint64{{10, 4}}},
			{Unix: 1001, Offered: 5, Sent: 4, Lost: 1},                          // no verdicts: latency is a gap
			{Unix: 1003, Offered: 2, Verdicts: 2, P50: 1500 * time.Microsecond}, // gaps in seconds stay gaps
		},
	}
	td := newTimelineData(r)
	js, err := json.Marshal(td)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"t":[0,1,3],"offered":[5,5,2],"sent":[5,4,0],"verdicts":[4,0,2],"lost":[0,1,0],"p50":[1,null,1.5],"p99":[3,null,0]}`
	if string(js) != want {
		t.Errorf("newTimelineData = %s\nwant %s", js, want)
	}
	r.Meta.Started = time.Time{} // unset: the origin is the first second
	if td := newTimelineData(r); td.T[0] != 0 || td.T[2] != 3 {
		t.Errorf("newTimelineData without Started: T = %v; want from 0", td.T)
	}
}

func TestNewStatus(t *testing.T) {
	balanced := reports.Report{Counts: reports.Counts{Offered: 3, Alerts: 1, Dropped: 1, Lost: 1}}
	for _, tt := range []struct {
		name   string
		r      reports.Report
		failed int
		want   string // the reasons, joined by "; "
	}{
		{"pass", balanced, 0, ""},
		{"unbalanced", reports.Report{Counts: reports.Counts{Offered: 3, Alerts: 1}}, 0, "accounting not balanced"},
		{"mismatch", func() reports.Report { r := balanced; r.Conformance.Mismatches = 1; return r }(), 0, "1 conformance mismatch"},
		{"thresholds", balanced, 2, "2 thresholds failed"},
		{"unobserved", reports.Report{Counts: reports.Counts{Offered: 3, Sent: 2, Lost: 1},
			Delivery: &reports.Delivery{Unobserved: 2}}, 0, ""},
		{"unobserved, unbalanced", reports.Report{Counts: reports.Counts{Offered: 3, Sent: 2, Lost: 1},
			Delivery: &reports.Delivery{Unobserved: 1}}, 0, "accounting not balanced"},
		{"observed, unbalanced", reports.Report{Counts: reports.Counts{Offered: 3, Alerts: 2},
			Delivery: &reports.Delivery{Observed: true, Delivered: 2}}, 0, "accounting not balanced"},
	} {
		s := newStatus(&tt.r, tt.failed)
		if got := strings.Join(s.Why, "; "); got != tt.want || s.Pass != (tt.want == "") {
			t.Errorf("%s: newStatus = %v %q; want %q", tt.name, s.Pass, got, tt.want)
		}
	}
}

func TestOutcomes(t *testing.T) {
	tests := []struct {
		name string
		c    reports.Counts
		d    *reports.Delivery
		want string
	}{
		{"embedded", reports.Counts{Mapped: 1, Unmapped: 0, Dropped: 2, Lost: 1}, nil,
			"mapped 25.0% 25.0%, dropped 50.0% 50.0%, lost 25.0% 25.0%"},
		{"observed delivery", reports.Counts{Mapped: 1, Dropped: 2, Lost: 1}, &reports.Delivery{Observed: true, Delivered: 1},
			"mapped 25.0% 25.0%, dropped 50.0% 50.0%, lost 25.0% 25.0%"},
		{"unobserved delivery", reports.Counts{Lost: 1}, &reports.Delivery{Unobserved: 3},
			"lost 25.0% 25.0%, unobserved 75.0% 75.0%"},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range outcomes(&tt.c, tt.d) {
			got = append(got, s.Class+" "+s.Share+" "+s.Width)
		}
		if strings.Join(got, ", ") != tt.want {
			t.Errorf("%s: outcomes = %q; want %q", tt.name, strings.Join(got, ", "), tt.want)
		}
	}
}

func TestAchievedCard(t *testing.T) {
	r := &reports.Report{Counts: reports.Counts{Offered: 10, Verdicts: 8}, Rates: reports.Rates{Achieved: 8}}
	if c := achievedCard(r); c.Value != "8.0/s" || !c.Bad || !strings.Contains(c.Note, "8 verdicts") {
		t.Errorf("embedded run: card %+v; want 8.0/s, marked bad (2 without verdicts)", c)
	}
	r.Counts.Verdicts, r.Delivery = 0, &reports.Delivery{Unobserved: 10}
	if c := achievedCard(r); c.Value != "not observed" || c.Bad || !strings.Contains(c.Note, "10 sent, fate unknown") {
		t.Errorf("unobserved run: card %+v; want 'not observed', not marked bad", c)
	}
}
