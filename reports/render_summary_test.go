package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
)

// TestRenderSummary: the short text form is the first screen: counts, latency, gates and the balance,
// without the tables by alert type, drop reason and class or the mismatch examples.
func TestRenderSummary(t *testing.T) {
	rep := goldenReport(t, 1, 3*time.Second)
	var buf bytes.Buffer
	if err := reports.Summary.Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"offered", "verdicts ", "lost ", "latency", "conformance: ", "thresholds: ", "balance: "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	for _, unwanted := range []string{"alerts by type", "drops by stage", "class ", "first 3 mismatches"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("summary has %q", unwanted)
		}
	}
	if n := strings.Count(out, "\n"); n > 40 {
		t.Errorf("summary has %d lines; want a screen (<= 40)", n)
	}
	golden.Check(t, buf.Bytes())
}

// TestRenderTextClassesLast: the full text report ends with the class table, after the balance.
func TestRenderTextClassesLast(t *testing.T) {
	var buf bytes.Buffer
	if err := reports.Text.Render(&buf, goldenReport(t, 1, 3*time.Second)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	balance, classes := strings.Index(out, "\nbalance: "), strings.Index(out, "\nclass ")
	if balance < 0 || classes < balance {
		t.Errorf("class table at %d, balance at %d: want the class table last\n%s", classes, balance, out)
	}
}

// TestRenderExampleID: a mismatch known by record id alone (a sink's) is named by it, never "line 0".
func TestRenderExampleID(t *testing.T) {
	rep := goldenReport(t, 1, 3*time.Second)
	rep.Conformance.Examples = []reports.MismatchExample{
		{Class: "a", RecordID: "42", Field: "delivery", Got: "missing", Want: "forwarded"},
		{Class: "b", Line: 7, Field: "verdict", Got: "dropped", Want: "alert"},
	}
	var buf bytes.Buffer
	if err := reports.Text.Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`class "a" recordid 42: delivery`, `class "b" line 7: verdict`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "line 0") {
		t.Errorf("report names a record by line 0:\n%s", out)
	}
}
