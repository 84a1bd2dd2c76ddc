package reports_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
	"github.com/nssbench/nssbench/reports/threshold"
)

var goldenStart = time.Date(2025, 6, 11, 2, 52, 44, 0, time.UTC)

// goldenReport is the fixed report the golden renders show: 3000 events of the sample stream at
// 1000/s, with thresholds applied (one fails).
func goldenReport(t *testing.T, seed uint64, elapsed time.Duration) *reports.Report {
	t.Helper()
	r := reports.NewRecorder(reports.RecorderConfig{Classes: reports.SampleClasses, Feeds: reports.SampleFeeds, Start: goldenStart, MaxExamples: 3})
	reports.FeedSample(r, seed, 3000, time.Millisecond)
	rep := r.Report(reports.Meta{
		Scenario: "golden", Description: "fixed sample stream for golden renders", Seed: seed,
		Pacer: "Constant{1000/s}", OfferedRate: 1000, Duration: elapsed, Target: "embedded 127.0.0.1:6514",
		Transport: "tcp", Connections: 2, Version: "v0.0.0-test", GoVersion: "go1.26", Machine: "linux/amd64, 2 CPUs, test",
		Started: goldenStart,
	})
	u := madeUpUsage()
	u.Cores = 2
	rep.Target = reports.NewTarget(u, rep.Bytes.DeliveredEvents, rep.Bytes.Delivered)
	var ts threshold.List
	for _, expr := range []string{"p99<5ms", "lost==0", "achieved>=0.99*offered", "mismatches==0", "e2e.p99.9<20ms", "wire.p50<1ms", "dropped.malformed>0",
		"target.cpu<0.8", "target.rss<40MiB"} {
		if err := ts.Set(expr); err != nil {
			t.Fatal(err)
		}
	}
	threshold.Apply(rep, ts...)
	return rep
}

func TestRender(t *testing.T) {
	rep := goldenReport(t, 1, 3*time.Second)
	for _, tt := range []struct {
		name string
		rd   reports.Renderer
	}{
		{"text", reports.Text},
		{"markdown", reports.Markdown},
		{"json", reports.JSON},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rd.Render(&buf, rep); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			wants := []string{
				fmt.Sprintf("%d checked, %d mismatches", rep.Conformance.Checked, rep.Conformance.Mismatches),
				fmt.Sprintf("balance: offered %d = alerts %d + dropped %d + lost %d: balanced", rep.Counts.Offered, rep.Counts.Alerts, rep.Counts.Dropped, rep.Counts.Lost),
				"lost==0", "Malware block: malicious file", "send_error",
				"FAIL: 4 of 11 gates (lost==0, mismatches==0, target.rss", "limited by: none",
			}
			if tt.name == "json" {
				wants = []string{`"verdict": "FAIL: 4 of 11 gates`, `"bytes": {`, `"gbPerDay"`, `"target": {`, `"limit": {`, `"by": "none"`}
			}
			for _, want := range wants {
				if !strings.Contains(out, want) {
					t.Errorf("render lacks %q", want)
				}
			}
			golden.Check(t, buf.Bytes())
		})
	}
}

func TestRenderComparison(t *testing.T) {
	base := goldenReport(t, 1, 3*time.Second)
	cur := goldenReport(t, 2, 3500*time.Millisecond) // the same events over a longer time: throughput down
	c := reports.Compare(base, cur, 0.05)
	if !c.Regressed() {
		t.Fatalf("comparison did not regress: %+v", c.Rows)
	}
	for _, tt := range []struct {
		name string
		rd   reports.ComparisonRenderer
	}{
		{"text", reports.TextComparison},
		{"markdown", reports.MarkdownComparison},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rd.Render(&buf, c); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "regressed") && !strings.Contains(buf.String(), "REGRESSED") {
				t.Errorf("comparison render does not flag the regression")
			}
			golden.Check(t, buf.Bytes())
		})
	}
	var buf bytes.Buffer
	if err := reports.JSONComparison.Render(&buf, c); err != nil || !strings.Contains(buf.String(), `"regressed": true`) {
		t.Errorf("JSON comparison: %v\n%s", err, buf.String())
	}
}

func TestRenderUnbalanced(t *testing.T) {
	r := reports.NewRecorder(reports.RecorderConfig{Start: goldenStart})
	r.Offered(0)
	r.Offered(0)
	rep := r.Report(reports.Meta{})
	for name, rd := range map[string]reports.Renderer{"text": reports.Text, "markdown": reports.Markdown} {
		var buf bytes.Buffer
		if err := rd.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "balance: offered 2 vs alerts 0 + dropped 0 + lost 0 = 0 (+2 unaccounted): NOT BALANCED") {
			t.Errorf("%s: no unbalanced line in\n%s", name, buf.String())
		}
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errWrite = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errWrite
	}
	f.n -= len(p)
	return len(p), nil
}

func TestRenderWriteErrors(t *testing.T) {
	rep := goldenReport(t, 1, 3*time.Second)
	c := reports.Compare(rep, rep, 0)
	for _, tt := range []struct {
		name string
		rd   reports.Renderer
		cr   reports.ComparisonRenderer
	}{
		{"text", reports.Text, reports.TextComparison},
		{"markdown", reports.Markdown, reports.MarkdownComparison},
		{"json", reports.JSON, reports.JSONComparison},
	} {
		for _, n := range []int{0, 100, 1000} {
			if err := tt.rd.Render(&failWriter{n}, rep); !errors.Is(err, errWrite) {
				t.Errorf("%s Render after %d bytes: error %v; want %v", tt.name, n, err, errWrite)
			}
			if err := tt.cr.Render(&failWriter{n}, c); !errors.Is(err, errWrite) {
				t.Errorf("%s comparison Render after %d bytes: error %v; want %v", tt.name, n, err, errWrite)
			}
		}
	}
}

// TestRenderComparisonChanges compares two runs that were different experiments (compared anyway) and
// whose mapping changed for two alert types, and pins how text and Markdown show both.
func TestRenderComparisonChanges(t *testing.T) {
	base := goldenReport(t, 1, 3*time.Second)
	cur := goldenReport(t, 1, 3*time.Second)
	base.Meta.ScenarioHash, base.Meta.MappingsHash = "1111111111111111", "aaaaaaaaaaaaaaaa"
	cur.Meta.ScenarioHash, cur.Meta.MappingsHash = "2222222222222222", "bbbbbbbbbbbbbbbb"
	cur.Meta.Scenario, cur.Meta.Version = "smoke", "v0.0.1-test"
	for i := range cur.Alerts {
		switch a := &cur.Alerts[i]; a.AlertType {
		case "RDP Allow":
			a.Mapped, a.ThreatID, a.ThreatName = false, "", ""
		case "Malware block: malicious file":
			a.ThreatID, a.ThreatName = "T1204", "User Execution"
		}
	}
	c := reports.Compare(base, cur, 0.05)
	if len(c.Differences) != 3 || len(c.AlertChanges) != 2 {
		t.Fatalf("differences %v, alert changes %+v; want 3 and 2", c.Differences, c.AlertChanges)
	}
	for _, tt := range []struct {
		name string
		rd   reports.ComparisonRenderer
	}{
		{"text", reports.TextComparison},
		{"markdown", reports.MarkdownComparison},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rd.Render(&buf, c); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				`scenario: "golden" vs "smoke"`, `mappingsHash: "aaaaaaaaaaaaaaaa" vs "bbbbbbbbbbbbbbbb"`,
				"RDP Allow: alert T1021.001 → alert unmapped, 510 records",
				"Malware block: malicious file: T1204.002 Malicious File → T1204 User Execution, 505 records",
				"current nssbench v0.0.1-test",
			} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("render lacks %q:\n%s", want, buf.String())
				}
			}
			golden.Check(t, buf.Bytes())
		})
	}
}
