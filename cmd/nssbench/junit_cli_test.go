package main

import (
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports/junit"
)

// decodeJUnit decodes a JUnit document, failing the test when it is not one.
func decodeJUnit(t *testing.T, what string, data []byte) junit.Suites {
	t.Helper()
	var doc junit.Suites
	if err := xml.Unmarshal(data, &doc); err != nil || doc.XMLName.Local != "testsuites" {
		t.Fatalf("%s is not a JUnit document (%v):\n%.300s", what, err, data)
	}
	return doc
}

// firstStderrLine is the first line of stderr, without its newline.
func firstStderrLine(s string) string { line, _, _ := strings.Cut(s, "\n"); return line }

// TestJUnitOutputs: -junit FILE (confirmed on stderr) and -junit - (stdout, instead of the text) on
// run, report render, report merge and sweep; -repeat refuses it as it refuses -md and -html.
func TestJUnitOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rep, xmlFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	code, stdout, stderr := runCLI(t, "", "run", "-quiet", "-count", "300", "-rate", "20000/s", "-threshold", "lost==0",
		"-threshold", "p99<1ns", "-json", rep, "-junit", xmlFile)
	if want := "nssbench run: wrote " + rep; code != exitConformance || firstStderrLine(stderr) != want {
		t.Fatalf("run -junit FILE: exit %d, first line of stderr %q; want %d and %q", code, firstStderrLine(stderr), exitConformance, want)
	}
	if !strings.Contains(stderr, "nssbench run: wrote "+xmlFile+"\n") || !strings.Contains(stdout, "FAIL: 1 of ") {
		t.Errorf("run -junit FILE: stderr %q; stdout:\n%.300s", stderr, stdout)
	}
	data, err := os.ReadFile(xmlFile)
	if err != nil {
		t.Fatal(err)
	}
	// The scenario's gates (lost==0, mismatches==0), p99<1ns given (lost==0 given too is the scenario's,
	// listed once), conformance and the balance; p99<1ns fails.
	if doc := decodeJUnit(t, "run -junit FILE", data); doc.Tests != 5 || doc.Failures != 1 || strings.Count(string(data), `<testcase name="lost==0"`) != 1 ||
		!strings.Contains(string(data), `<testcase name="p99&lt;1ns"`) {
		t.Errorf("run -junit: %d tests, %d failures; want 5 and 1, lost==0 once:\n%s", doc.Tests, doc.Failures, data)
	}

	code, stdout, stderr = runCLI(t, "", "run", "-quiet", "-count", "300", "-rate", "20000/s", "-junit", "-")
	if code != exitOK || stderr != "" || !strings.HasPrefix(stdout, "<?xml") {
		t.Errorf("run -junit -: exit %d, stderr %q; stdout must be the JUnit alone:\n%.300s", code, stderr, stdout)
	}
	decodeJUnit(t, "run -junit -", []byte(stdout))

	// A saved report: its recorded gates.
	code, stdout, stderr = runCLI(t, "", "report", "render", rep, "-junit", "-")
	if code != exitOK || stderr != "" {
		t.Fatalf("report render -junit -: exit %d, stderr %q", code, stderr)
	}
	if doc := decodeJUnit(t, "report render -junit -", []byte(stdout)); doc.Tests != 5 || doc.Failures != 1 {
		t.Errorf("report render -junit: %d tests, %d failures; want the run's 5 and 1", doc.Tests, doc.Failures)
	}
	merged := filepath.Join(dir, "merged.xml")
	code, stdout, stderr = runCLI(t, "", "report", "merge", "-junit", merged, rep, rep)
	if want := "nssbench report merge: wrote " + merged; code != exitOK || firstStderrLine(stderr) != want || stdout != "" {
		t.Errorf("report merge -junit FILE: exit %d, first line of stderr %q, stdout %.80q; want 0, %q and nothing", code,
			firstStderrLine(stderr), stdout, want)
	}
	if data, err := os.ReadFile(merged); err != nil {
		t.Error(err)
	} else if doc := decodeJUnit(t, "report merge -junit FILE", data); doc.Tests != 2 { // merged: no gates but conformance and balance
		t.Errorf("report merge -junit: %d tests; want conformance and balance:\n%s", doc.Tests, data)
	}

	code, _, stderr = runCLI(t, "", "run", "-repeat", "2", "-json", dir, "-junit", xmlFile)
	if want := "nssbench run: -md, -html and -junit write a single run's report: with -repeat, render a replicate afterwards with 'report render'"; code != exitUsage ||
		firstStderrLine(stderr) != want {
		t.Errorf("run -repeat 2 -junit: exit %d, first line of stderr %q; want %d and %q", code, firstStderrLine(stderr), exitUsage, want)
	}
}

// TestSweepJUnit: sweep -junit FILE writes a case per step and the sweep's verdict, confirmed on stderr.
func TestSweepJUnit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sweep.xml")
	code, _, stderr := runSweep(t, context.Background(), "-quiet", "-scenario", "smoke", "-start", "200/s", "-max-rate", "400/s",
		"-step-duration", "300ms", "-warmup", "0", "-slo", "lost==0", "-junit", file)
	if want := "nssbench sweep: wrote " + file; code != exitOK || firstStderrLine(stderr) != want {
		t.Fatalf("sweep -junit FILE: exit %d, first line of stderr %q; want 0 and %q\n%s", code, firstStderrLine(stderr), want, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeJUnit(t, "sweep -junit FILE", data)
	if doc.Tests != 3 || doc.Failures != 0 || !strings.Contains(string(data), `<testcase name="step 2: 400/s (grow)"`) ||
		!strings.Contains(string(data), `<testcase name="capacity"`) {
		t.Errorf("sweep -junit: %d tests, %d failures; want 2 passing steps and capacity:\n%s", doc.Tests, doc.Failures, data)
	}
	code, stdout, _ := runSweep(t, context.Background(), "-quiet", "-scenario", "smoke", "-start", "200/s", "-max-rate", "200/s",
		"-step-duration", "300ms", "-warmup", "0", "-slo", "lost==0", "-junit", "-")
	if code != exitOK || !strings.HasPrefix(stdout, "<?xml") {
		t.Errorf("sweep -junit -: exit %d; stdout must be the JUnit alone:\n%.300s", code, stdout)
	}
}
