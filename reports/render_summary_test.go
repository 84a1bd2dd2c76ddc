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

// TestRenderExampleID: a mismatch is named by what is known of it (record id, connection, line), never
// "line 0", in text, Markdown and JUnit.
func TestRenderExampleID(t *testing.T) {
	rep := goldenReport(t, 1, 3*time.Second)
	rep.Conformance.Examples = []reports.MismatchExample{
		{Class: "a", RecordID: "42", Field: "delivery", Got: "missing", Want: "forwarded"},
		{Class: "b", Line: 7, Field: "verdict", Got: "dropped", Want: "alert"},
		{Class: "c", RecordID: "43", Conn: 3, Line: 17, Field: "verdict", Got: "forwarded", Want: "dropped"},
		{Class: "d", Field: "verdict", Got: "alert", Want: "dropped"},
	}
	wants := []string{`class "a" recordid 42: delivery`, `class "b" line 7: verdict`, `class "c" recordid 43 connection 3 line 17: verdict`,
		`class "d" record of unknown position: verdict`}
	for name, rd := range map[string]reports.Renderer{"text": reports.Text, "markdown": reports.Markdown, "junit": reports.JUnit} {
		var buf bytes.Buffer
		if err := rd.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range wants {
			if name == "markdown" { // a table row: | # | class | record | …
				_, pos, _ := strings.Cut(want, `" `)
				want = "| " + strings.TrimSuffix(strings.TrimSuffix(pos, ": delivery"), ": verdict") + " |"
			}
			if name == "junit" {
				want = strings.ReplaceAll(want, `"`, "&#34;")
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s report lacks %q:\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "line 0") {
			t.Errorf("%s report names a record by line 0:\n%s", name, out)
		}
	}
}
