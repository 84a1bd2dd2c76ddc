package sweep

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
	"github.com/nssbench/nssbench/reports/junit"
)

// TestWriteJUnit renders sweeps as JUnit: a case per step (steps failed above the knee passing with
// their figures, failed steps of a sweep with no sustainable rate failures, inconclusive ones skipped)
// and the sweep's verdict as the case "capacity"; each render pinned in a golden file.
func TestWriteJUnit(t *testing.T) {
	starved, err := Run(context.Background(), Config{
		Start: 1000,
		Run: func(_ context.Context, rate float64, d time.Duration) (*reports.Report, error) {
			return starvedReport(rate, 3000, d), nil
		},
		Meta: reports.Meta{Scenario: "default", Target: "embedded", Connections: 1, Version: "v0.0.0-test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	starved.Meta.Duration = 12 * time.Second
	noPass, err := Run(context.Background(), Config{Start: 1000, Run: scriptedRun("", new([]float64)),
		Meta: reports.Meta{Scenario: "default", Target: "embedded", Connections: 1, Version: "v0.0.0-test"}})
	if err != nil {
		t.Fatal(err)
	}
	noPass.Meta.Duration = 8 * time.Second
	for _, tt := range []struct {
		name                             string
		res                              *Result
		tests, failures, errors, skipped int
		want                             []string
	}{
		{"converged", sampleResult(t), 10, 0, 0, 0, []string{
			`<testcase name="step 1: 1000/s (grow)" classname="nssbench.sweep.default"></testcase>`,
			`<system-out>failed its SLO above the sustainable rate`,
			`FAIL p99&lt;50ms, achieved&gt;=0.99*offered: p99&lt;50ms (got 900ms, want &lt; 50.0ms); achieved`,
			`<testcase name="capacity" classname="nssbench.sweep.default"></testcase>`}},
		{"inconclusive", starved, len(starved.Steps) + 1, 0, 0, 4, []string{
			`<skipped message="inconclusive: the load generator fell behind`,
			`<testcase name="capacity" classname="nssbench.sweep.default"></testcase>`}},
		{"no_pass", noPass, len(noPass.Steps) + 1, len(noPass.Steps) + 1, 0, 0, []string{
			`type="no_sustainable_rate">no sustainable rate found`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JUnit.Render(&buf, tt.res); err != nil {
				t.Fatal(err)
			}
			var doc junit.Suites
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, buf.String())
			}
			if doc.Tests != tt.tests || doc.Failures != tt.failures || doc.Errors != tt.errors || doc.Skipped != tt.skipped {
				t.Errorf("%d tests, %d failures, %d errors, %d skipped; want %d, %d, %d, %d\n%s", doc.Tests, doc.Failures, doc.Errors,
					doc.Skipped, tt.tests, tt.failures, tt.errors, tt.skipped, buf.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("JUnit lacks %s:\n%s", want, buf.String())
				}
			}
			golden.Check(t, buf.Bytes())
		})
	}
}
