package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/reports/junit"
)

// sampleOutcomes is a passing corpus, a failing one and a broken one.
func sampleOutcomes() []Outcome {
	pass := &Result{Corpus: "golden/a", Via: ViaInproc, Records: 3, Matched: 3, Elapsed: time.Millisecond,
		Classes: []ClassSummary{{Name: "platform/alert/RDP Allow", Stage: "platform", Verdict: "alert", AlertType: "RDP Allow", Records: 3}}}
	fail := &Result{Corpus: "golden/b", Via: ViaTCP, Records: 4, Matched: 3, Mismatched: 1,
		Warnings: []string{"m.txt:3: repeated row"},
		Fields:   []FieldCount{{"threatId", 1}},
		Classes: []ClassSummary{
			{Name: "collector/dropped/allowed_traffic", Stage: "collector", Verdict: "dropped", Reason: "allowed_traffic", Records: 2},
			{Name: "platform/alert/Malware block: malicious file", Stage: "platform", Verdict: "alert", AlertType: "Malware block: malicious file", Records: 2, Mismatches: 1},
		},
		Mismatches: []Mismatch{{Line: 4, RecordID: "99", Class: "platform/alert/Malware block: malicious file",
			Fields: []FieldDiff{{"threatId", "T1105", "T1204.002"}}, Input: `CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|a=<&>"`}}}
	broken := &Error{Kind: ErrCount, File: "golden/c/input.log", Line: 7, Msg: "record 7 has no expected verdict"}
	return []Outcome{{Dir: "golden/a", Result: pass}, {Dir: "golden/b", Result: fail, Update: &UpdateStats{File: "golden/b/expected.jsonl", Records: 4, Changed: 1}},
		{Dir: "golden/c", Err: broken}}
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Text.Render(&b, sampleOutcomes()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ok    golden/a: 3 records, 3 match, 0 mismatch (via inproc",
		"golden/b: rewrote expected.jsonl: 1 of 4 records changed",
		"FAIL  golden/b: 4 records, 3 match, 1 mismatch (via tcp",
		"warning: m.txt:3: repeated row",
		"differing fields: threatId 1",
		"platform/alert/Malware block: malicious file         2          1",
		"line 4: threatId: got T1105, want T1204.002",
		"  input: CEF:0|Zscaler|NSSWeblog",
		"ERROR golden/c: golden/c/input.log:7: record 7 has no expected verdict",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Text lacks %q:\n%s", want, b.String())
		}
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON.Render(&b, sampleOutcomes()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OK      bool `json:"ok"`
		Corpora []struct {
			Corpus, Status, Error string
			Records, Mismatched   uint64
			Update                *UpdateStats
			Classes               []ClassSummary
			Mismatches            []Mismatch
		} `json:"corpora"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JSON wrote invalid JSON: %v\n%s", err, b.String())
	}
	if doc.OK || len(doc.Corpora) != 3 {
		t.Fatalf("ok=%v, %d corpora; want false, 3", doc.OK, len(doc.Corpora))
	}
	a, fail, broken := doc.Corpora[0], doc.Corpora[1], doc.Corpora[2]
	if a.Status != "ok" || fail.Status != "FAIL" || broken.Status != "ERROR" || !strings.Contains(broken.Error, "input.log:7") {
		t.Errorf("statuses %q %q %q (%q); want ok FAIL ERROR naming input.log:7", a.Status, fail.Status, broken.Status, broken.Error)
	}
	if fail.Mismatched != 1 || len(fail.Mismatches) != 1 || fail.Mismatches[0].Fields[0].Want != "T1204.002" || fail.Update.Changed != 1 {
		t.Errorf("failing corpus = %+v", fail)
	}
	b.Reset()
	if err := JSON.Render(&b, sampleOutcomes()[:1]); err != nil || !strings.Contains(b.String(), `"ok": true`) {
		t.Errorf("one passing corpus: %v\n%s; want ok true", err, b.String())
	}
}

func TestJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit.Render(&b, sampleOutcomes()); err != nil {
		t.Fatal(err)
	}
	var doc junit.Suites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit wrote invalid XML: %v\n%s", err, b.String())
	}
	if len(doc.Suites) != 3 || doc.Tests != 2+3+1 || doc.Failures != 2 || doc.Errors != 1 {
		t.Fatalf("suites=%d tests=%d failures=%d errors=%d; want 3, 6, 2, 1\n%s", len(doc.Suites), doc.Tests, doc.Failures, doc.Errors, b.String())
	}
	failing := doc.Suites[1]
	var classCase *junit.Case
	for i := range failing.Cases {
		if failing.Cases[i].Name == "platform/alert/Malware block: malicious file" {
			classCase = &failing.Cases[i]
		}
	}
	if classCase == nil || classCase.Failure == nil || !strings.Contains(classCase.Failure.Text, "line 4: threatId: got T1105, want T1204.002") ||
		!strings.Contains(classCase.Failure.Text, `a=<&>"`) {
		t.Errorf("the failing class's test case = %+v; want a failure carrying its mismatch", classCase)
	}
	if doc.Suites[2].Cases[0].Error == nil {
		t.Errorf("the broken corpus has no error case")
	}
}

// TestNavigator: the layer of the alerts decided in the verified corpora is titled with the paths and
// the number of corpora.
func TestNavigator(t *testing.T) {
	tally := &coverage.Tally{}
	paths := []string{"golden/filters"}
	outs := VerifyAll(context.Background(), paths, false, VerifyOptions{Tally: tally})
	var buf bytes.Buffer
	if err := Navigator(paths, tally).Render(&buf, outs); err != nil {
		t.Fatal(err)
	}
	var l struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(buf.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	if l.Name != "nssbench coverage: golden/filters (1 corpora)" {
		t.Errorf("layer name %q; want the paths and the number of corpora", l.Name)
	}
}
