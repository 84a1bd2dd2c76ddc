package reports_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
	"github.com/nssbench/nssbench/reports/junit"
)

// TestRenderJUnit renders reports as JUnit: a case per threshold, conformance and the balance, a
// failure for each failing gate (type not_observed for a gate the run could not observe), a skip for
// each default gate left out; each render pinned in a golden file.
func TestRenderJUnit(t *testing.T) {
	unbalanced := deliveryReport(true)
	unbalanced.Counts.Lost++ // one more lost than offered: the balance fails
	interrupted := goldenReport(t, 1, 3*time.Second)
	interrupted.Meta.Interrupted = true
	for _, tt := range []struct {
		name                             string
		rep                              *reports.Report
		tests, failures, errors, skipped int
		want                             []string
	}{
		{"gates", goldenReport(t, 1, 3*time.Second), 11, 4, 0, 0, []string{
			`<testsuite name="golden" tests="11" failures="4" errors="0" time="3">`,
			`<testcase name="p99&lt;5ms" classname="nssbench.golden"></testcase>`,
			`<failure message="lost==0: got 20, want == 0" type="threshold">`,
			`<failure message="17 of 2980 checked verdicts mismatch" type="mismatch">1. class &#34;fw-default&#34; line 384: alertType`,
			`<testcase name="balance" classname="nssbench.golden"></testcase>`}},
		{"not_observed", notObservedReport(), 6, 2, 0, 2, []string{
			`<failure message="lost==0: not observed: no sink: delivery and loss past the sender are unknown" type="not_observed">`,
			`<failure message="sent.rate&gt;=0.5*achieved: got 9.0/s, want &gt;= 0.5*achieved (not observed: `,
			`<testcase name="mismatches==0 (default, left out)" classname="nssbench.external">`,
			`<skipped message="left out: no sink: the collector&#39;s verdicts are unknown" type="left_out">`}},
		{"unbalanced", unbalanced, 2, 1, 0, 0, []string{
			`<testcase name="balance" classname="nssbench.external">`,
			`type="unbalanced">balance: offered 10 vs alerts 7 + dropped 2 + lost 2 = 11`}},
		{"interrupted", interrupted, 12, 4, 1, 0, []string{
			`<error message="interrupted: the run was stopped before its end" type="interrupted">`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := reports.JUnit.Render(&buf, tt.rep); err != nil {
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
