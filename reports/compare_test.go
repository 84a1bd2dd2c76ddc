package reports

import (
	"reflect"
	"testing"
	"time"
)

func compareReport(achieved float64, p99 time.Duration, lost, mismatches uint64) *Report {
	r := &Report{
		Counts:      Counts{Offered: 10000, Sent: 10000, Lost: lost},
		Rates:       Rates{Achieved: achieved},
		Conformance: Conformance{Checked: 10000, Mismatches: mismatches},
	}
	for _, st := range LatencyStages() {
		l := StageLatency{Stage: st.String()}
		if p99 > 0 {
			l.Count, l.P99 = 100, p99
		}
		r.Latency = append(r.Latency, l)
	}
	return r
}

func TestCompare(t *testing.T) {
	base := compareReport(5000, 10*time.Millisecond, 0, 0)
	tests := []struct {
		name   string
		cur    *Report
		margin float64
		want   []string // regressed metrics
	}{
		{"identical", compareReport(5000, 10*time.Millisecond, 0, 0), 0.05, nil},
		{"better everywhere", compareReport(6000, 5*time.Millisecond, 0, 0), 0.05, nil},
		{"throughput down within margin", compareReport(4800, 10*time.Millisecond, 0, 0), 0.05, nil},
		{"throughput down beyond margin", compareReport(4700, 10*time.Millisecond, 0, 0), 0.05, []string{"achieved"}},
		{"p99 up within margin", compareReport(5000, 10400*time.Microsecond, 0, 0), 0.05, nil},
		{"p99 up beyond margin", compareReport(5000, 11*time.Millisecond, 0, 0), 0.05, []string{"e2e.p99"}},
		{"p99 up, zero margin", compareReport(5000, 10001*time.Microsecond, 0, 0), 0, []string{"e2e.p99"}},
		{"negative margin is zero", compareReport(4999, 10*time.Millisecond, 0, 0), -1, []string{"achieved"}},
		{"lost from zero", compareReport(5000, 10*time.Millisecond, 1, 0), 0.05, []string{"loss"}},
		{"mismatches from zero", compareReport(5000, 10*time.Millisecond, 0, 2), 0.05, []string{"mismatch.ratio"}},
		{"no latency data: not compared", compareReport(5000, 0, 0, 0), 0.05, nil},
		{"all at once", compareReport(1000, time.Second, 5, 5), 0.05, []string{"achieved", "loss", "mismatch.ratio", "e2e.p99"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(base, tt.cur, tt.margin)
			if got := c.Regressions(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Regressions() = %v; want %v", got, tt.want)
			}
			if got := c.Regressed(); got != (len(tt.want) > 0) {
				t.Errorf("Regressed() = %v; want %v", got, len(tt.want) > 0)
			}
		})
	}
	// Lost rising from a nonzero base is judged by the loss ratio against the margin.
	c := Compare(compareReport(5000, time.Millisecond, 100, 0), compareReport(5000, time.Millisecond, 104, 0), 0.05)
	if c.Regressed() {
		t.Errorf("loss +4%% with a 5%% margin regressed: %v", c.Regressions())
	}
}

func TestDeltaChange(t *testing.T) {
	tests := []struct {
		d    Delta
		want string
	}{
		{Delta{Base: 100, Current: 110}, "+10.0%"},
		{Delta{Base: 100, Current: 90}, "-10.0%"},
		{Delta{Base: 0, Current: 0}, "0%"},
		{Delta{Base: 0, Current: 3}, "new"},
		{Delta{NoData: true}, "-"},
	}
	for _, tt := range tests {
		if got := tt.d.changeText(); got != tt.want {
			t.Errorf("%+v.changeText() = %q; want %q", tt.d, got, tt.want)
		}
	}
}
