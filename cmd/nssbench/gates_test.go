package main

import (
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// discardTarget is a loopback TCP collector that reads and forgets everything: an external target whose
// output nobody watches.
func discardTarget(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { io.Copy(io.Discard, c); c.Close() })
		}
	})
	return "tcp://" + ln.Addr().String()
}

// firstLine returns s's first line.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestGatesNotObserved runs gates on what the run cannot observe: each fails with exit 3, and the first
// line on stderr names the gate as not observed and says why. A scenario's gates the run cannot observe
// are left out instead, and the report says so.
func TestGatesNotObserved(t *testing.T) {
	t.Parallel()
	target := discardTarget(t)
	userScenario := filepath.Join(t.TempDir(), "mine.json")
	if err := os.WriteFile(userScenario, []byte(`{"duration": "1s", "pacer": {"shape": "constant", "rate": "20000/s"}, "mix": {"*": 1}, "thresholds": ["lost==0"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	run := []string{"run", "-quiet", "-count", "300", "-rate", "20000/s", "-drain", "1s"}
	const noSinkLoss = "not observed: no sink: delivery and loss past the sender are unknown"
	tests := []struct {
		name string
		args []string
		line string // stderr's first line
	}{
		{"lost without a sink", []string{"-target", target, "-threshold", "lost==0"}, "threshold lost==0 failed, " + noSinkLoss},
		{"mismatches without a sink", []string{"-target", target, "-threshold", "mismatches==0"},
			"threshold mismatches==0 failed, not observed: no sink: the collector's verdicts are unknown"},
		{"loss without a sink", []string{"-target", target, "-threshold", "loss<1%"}, "threshold loss<1% failed, " + noSinkLoss},
		{"e2e latency without a sink", []string{"-target", target, "-threshold", "p99<1s"},
			"threshold p99<1s failed, not observed: no sink: latency past the sender is unknown"},
		{"delivery on the embedded collector", []string{"-threshold", "delivery.duplicates==0"},
			"threshold delivery.duplicates==0 failed, not observed: no delivery figures: the run had no external target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLIWithin(t, 30*time.Second, append(run, tt.args...)...)
			if code != exitConformance {
				t.Fatalf("exit %d; want %d\nstderr: %s", code, exitConformance, stderr)
			}
			if got := firstLine(stderr); got != "nssbench run: "+tt.line {
				t.Errorf("first stderr line %q; want %q", got, "nssbench run: "+tt.line)
			}
			if !strings.Contains(stdout, "not observed") {
				t.Errorf("report does not say not observed:\n%s", stdout)
			}
		})
	}

	// A scenario's gates, built-in (smoke: lost==0, mismatches==0) or a file's, are defaults: left out
	// without a sink, and the report says so.
	for _, scn := range []string{"smoke", userScenario} {
		code, stdout, stderr := runCLIWithin(t, 30*time.Second, append(run, "-scenario", scn, "-target", target)...)
		if code != exitOK {
			t.Fatalf("%s without a sink: exit %d; want 0\nstderr: %s", scn, code, stderr)
		}
		for _, want := range []string{"default thresholds left out (not observable by this run):",
			"lost==0  ", "  no sink: delivery and loss past the sender are unknown"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s without a sink: report lacks %q:\n%s", scn, want, stdout)
			}
		}
	}
	// On the embedded collector it observes both and applies them.
	code, stdout, stderr := runCLIWithin(t, 30*time.Second, append(run, "-scenario", "smoke")...)
	if code != exitOK || !strings.Contains(stdout, "thresholds: 2 passed, 0 failed") || strings.Contains(stdout, "left out") {
		t.Errorf("smoke embedded: exit %d, stderr %s\n%s", code, stderr, stdout)
	}
}

// writeRun runs nssbench run with args and -out into dir/name, failing the test unless it exits 0.
func writeRun(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	args = append([]string{"run", "-quiet", "-count", "200", "-rate", "20000/s", "-out", path}, args...)
	if code, _, stderr := runCLIWithin(t, 30*time.Second, args...); code != exitOK {
		t.Fatalf("nssbench %v: exit %d\nstderr: %s", args, code, stderr)
	}
	return path
}

// TestMergePartial: merging some shards of a run exits 3 naming the missing ones, unless -partial.
func TestMergePartial(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s0 := writeRun(t, dir, "shard-0.json", "-shard", "0/2")
	s1 := writeRun(t, dir, "shard-1.json", "-shard", "1/2")
	out := filepath.Join(dir, "merged.json")
	code, _, stderr := runCLI(t, "", "report", "merge", "-o", out, s0)
	if want := "nssbench report merge: 1 of 2 shards merged; missing [1]"; code != exitConformance || !strings.HasPrefix(stderr, want) {
		t.Errorf("merge of 1 of 2 shards: exit %d, stderr %q; want %d and %q", code, stderr, exitConformance, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the refused merge wrote its output")
	}
	code, _, stderr = runCLI(t, "", "report", "merge", "-partial", "-o", out, s0)
	if code != exitOK || !strings.Contains(stderr, "missing [1]") {
		t.Errorf("merge -partial of 1 of 2 shards: exit %d, stderr %q; want 0 and the warning", code, stderr)
	}
	if code, _, stderr = runCLI(t, "", "report", "merge", "-o", out, s0, s1); code != exitOK || stderr != "nssbench report merge: wrote "+out+"\n" {
		t.Errorf("merge of both shards: exit %d, stderr %q", code, stderr)
	}
}

// TestCompareRefusesDifferentExperiments: report compare of runs of different experiments exits 2 and
// names every difference, one a line, unless -force; a report without the experiment fields is refused
// naming them.
func TestCompareRefusesDifferentExperiments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	smoke := writeRun(t, dir, "smoke.json", "-scenario", "smoke")
	def := writeRun(t, dir, "default.json", "-scenario", "default", "-connections", "2", "-framing", "octet")
	again := writeRun(t, dir, "smoke-again.json", "-scenario", "smoke", "-seed", "9")

	code, _, stderr := runCLI(t, "", "report", "compare", smoke, def)
	if code != exitUsage {
		t.Fatalf("compare smoke default: exit %d; want %d\nstderr: %s", code, exitUsage, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if want := "ran different experiments; -force compares them anyway:"; !strings.Contains(lines[0], want) {
		t.Errorf("first line %q lacks %q", lines[0], want)
	}
	want := []string{`  scenario: "smoke" vs "default"`, "  scenarioHash: ", "  connections: \"1\" vs \"2\"", `  framing: "lf" vs "octet"`}
	for _, w := range want {
		found := false
		for _, l := range lines[1:] {
			found = found || strings.HasPrefix(l, w)
		}
		if !found {
			t.Errorf("no line starting %q in\n%s", w, stderr)
		}
	}
	if !strings.Contains(stderr, "not compared: version") {
		t.Errorf("stderr does not show version and machine:\n%s", stderr)
	}

	code, stdout, stderr := runCLI(t, "", "report", "compare", "-force", smoke, def)
	if code == exitUsage || !strings.Contains(stdout, "DIFFERENT EXPERIMENTS, compared anyway (-force):") || !strings.Contains(stdout, `scenario: "smoke" vs "default"`) {
		t.Errorf("compare -force: exit %d, stderr %s\n%s", code, stderr, stdout)
	}
	// Another seed of the same experiment compares.
	if code, _, stderr := runCLI(t, "", "report", "compare", "-margin", "10", smoke, again); code != exitOK {
		t.Errorf("compare of two seeds of smoke: exit %d\nstderr: %s", code, stderr)
	}

	// A report of an older nssbench, without the experiment fields.
	var doc map[string]any
	data, err := os.ReadFile(smoke)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	meta := doc["meta"].(map[string]any)
	for _, k := range []string{"scenarioHash", "targetKind", "framing", "rulesHash", "mappingsHash"} {
		delete(meta, k)
	}
	old := filepath.Join(dir, "old.json")
	if data, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "", "report", "compare", old, smoke)
	if want := old + " does not say which experiment it ran (a report of an older nssbench): it lacks scenarioHash, targetKind, framing, rulesHash, mappingsHash"; code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("compare of an old report: exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, want)
	}
	if code, _, stderr = runCLI(t, "", "report", "compare", "-force", "-margin", "10", old, smoke); code != exitOK {
		t.Errorf("compare -force of an old report: exit %d\nstderr: %s", code, stderr)
	}
}
