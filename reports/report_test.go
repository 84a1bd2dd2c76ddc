package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleReport(t testing.TB, seed uint64, start time.Time) *Report {
	t.Helper()
	r := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: start})
	feedAll(r, sampleStream(seed, 5000, 400*time.Microsecond))
	m := testMeta
	m.Started = start
	return r.Report(m)
}

func roundTrip(t *testing.T, r *Report) *Report {
	t.Helper()
	var buf bytes.Buffer
	if err := JSON.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&buf)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return got
}

func TestJSONRoundTrip(t *testing.T) {
	a := sampleReport(t, 1, testStart)
	b := sampleReport(t, 2, testStart.Add(1500*time.Millisecond))
	b.Thresholds = []ThresholdResult{{Expr: "lost==0", Got: "12", Want: "== 0"}}
	empty := NewRecorder(RecorderConfig{}).Report(Meta{})
	for name, r := range map[string]*Report{"a": a, "b": b, "empty": empty} {
		if got := roundTrip(t, r); !reflect.DeepEqual(got, r) {
			t.Errorf("%s: Decode(JSON(r)) != r: %s", name, diffReports(got, r))
		}
	}
	want, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Merge(roundTrip(t, a), roundTrip(t, b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Merge(decoded) != Merge(originals): %s", diffReports(got, want))
	}
	if got := roundTrip(t, want); !reflect.DeepEqual(got, want) {
		t.Errorf("merged report does not round-trip: %s", diffReports(got, want))
	}
	if len(want.Thresholds) != 0 {
		t.Errorf("Merge kept thresholds: %+v", want.Thresholds)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", "nope", "invalid character"},
		{"empty", "", "EOF"},
		{"wrong schema", `{"schema":"other/v9"}`, `schema "other/v9"`},
		{"bad histogram", `{"schema":"` + Schema + `","latency":[{"stage":"e2e","histogram":"AAAA"}]}`, "e2e latency"},
		{"bad bucket", `{"schema":"` + Schema + `","timeline":[{"unix":1,"e2e":[[9999,1]]}]}`, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(%q) error = %v; want one containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestDecodeNullSlices(t *testing.T) {
	r, err := Decode(strings.NewReader(`{"schema":"` + Schema + `","alerts":null,"timeline":[{"unix":5}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Alerts == nil || r.Drops == nil || r.Timeline[0].E2E == nil || r.Thresholds == nil || r.Conformance.Examples == nil {
		t.Errorf("Decode left nil slices: %+v", r)
	}
}

func TestBalanced(t *testing.T) {
	tests := []struct {
		name string
		c    Counts
		want bool
	}{
		{"empty", Counts{}, true},
		{"all accounted", Counts{Offered: 10, Alerts: 3, Dropped: 5, Lost: 2}, true},
		{"one missing", Counts{Offered: 10, Alerts: 3, Dropped: 5, Lost: 1}, false},
		{"one extra", Counts{Offered: 10, Alerts: 4, Dropped: 5, Lost: 2}, false},
		{"invalid verdict", Counts{Offered: 10, Alerts: 3, Dropped: 5, Lost: 2, Invalid: 1}, false},
	}
	for _, tt := range tests {
		r := &Report{Counts: tt.c}
		if got := r.Balanced(); got != tt.want {
			t.Errorf("%s: Balanced() = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestRates(t *testing.T) {
	r := NewRecorder(RecorderConfig{Start: time.Unix(100, 0)})
	perSecond := []int{3, 10, 20, 30, 40, 1} // first and last seconds are partial
	for sec, n := range perSecond {
		for i := 0; i < n; i++ {
			at := int64(sec)*int64(time.Second) + int64(i)
			r.Offered(at)
			r.Verdict(0, alert("x", nil), Timing{Scheduled: at, Decided: at + 1})
		}
	}
	rep := r.Report(Meta{Duration: 4 * time.Second})
	ps := rep.Rates.PerSecond
	want := RateSummary{Seconds: 4, Mean: 25, StdDev: 11.180339887498949, P1: 10.3, P50: 25, P99: 39.7}
	if ps.Seconds != want.Seconds || !near(ps.Mean, want.Mean) || !near(ps.StdDev, want.StdDev) || !near(ps.P1, want.P1) ||
		!near(ps.P50, want.P50) || !near(ps.P99, want.P99) {
		t.Errorf("PerSecond = %+v; want %+v", ps, want)
	}
	if rep.Rates.Achieved != 26 || rep.Rates.Offered != 26 {
		t.Errorf("Rates = %+v; want achieved = offered = 104/4 s", rep.Rates)
	}
	if got := summarizeRates(nil); got != (RateSummary{}) {
		t.Errorf("summarizeRates(nil) = %+v", got)
	}
	if got := summarizeRates([]Second{{Verdicts: 7}}); got != (RateSummary{Seconds: 1, Mean: 7, P1: 7, P50: 7, P99: 7}) {
		t.Errorf("summarizeRates(one second) = %+v", got)
	}
	// Seconds missing from the timeline count as zero: +0 and +4 are partial, +1..+3 are 8, 0, 4.
	gappy := []Second{{Unix: 10, Verdicts: 1}, {Unix: 11, Verdicts: 8}, {Unix: 13, Verdicts: 4}, {Unix: 14, Verdicts: 1}}
	if got := summarizeRates(gappy); got.Seconds != 3 || got.Mean != 4 || got.P50 != 4 || got.P1 != 0.08 {
		t.Errorf("summarizeRates(gappy) = %+v; want 3 seconds, mean 4, p50 4, p1 0.08", got)
	}
}

func near(a, b float64) bool { d := a - b; return d < 1e-9 && d > -1e-9 }
