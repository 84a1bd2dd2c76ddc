package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProbeFlags checks the usage errors of -target-pid, -target-series and -cost, for every command
// that takes them, before anything runs.
func TestProbeFlags(t *testing.T) {
	t.Parallel()
	const missing = "1073741824" // above any pid_max
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"run, no such process", []string{"run", "-duration", "1s", "-target-pid", missing}, "no such process"},
		{"sweep, no such process", []string{"sweep", "-target-pid", missing}, "no such process"},
		{"sink, no such process", []string{"sink", "-start-at", "2026-01-01T00:00:00Z", "-duration", "1s", "-target-pid", missing}, "no such process"},
		{"negative pid", []string{"run", "-duration", "1s", "-target-pid", "-3"}, "want a process id"},
		{"series without metrics", []string{"run", "-duration", "1s", "-target-series", "x_total"}, "-target-series needs -target-metrics"},
		{"cost with target", []string{"run", "-duration", "1s", "-target", "tcp://127.0.0.1:1", "-cost", "1ms"}, "-cost slows the embedded collector only"},
		{"negative cost", []string{"run", "-duration", "1s", "-cost", "-1ms"}, "-cost -1ms: want 0 or more"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLIWithin(t, 30*time.Second, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.stderr)
			}
		})
	}
}

// TestRunTargetThresholds runs on the embedded collector, which samples itself: its target section
// is there, target.cpu<0.0001 fails and a generous budget passes; the report ends with the limit line
// (none, or sender on a loaded machine: the case is the limit rule's tests').
func TestRunTargetThresholds(t *testing.T) {
	code, out, stderr := runCLIWithin(t, time.Minute, "run", "-quiet", "-duration", "1s", "-rate", "2000/s", "-target-pid", strconv.Itoa(os.Getpid()),
		"-threshold", "target.cpu<0.0001", "-threshold", "target.rss<64GiB")
	if code != exitConformance {
		t.Fatalf("exit %d; want %d (a failed gate)\nstderr: %s\n%s", code, exitConformance, stderr, out)
	}
	for _, want := range []string{"FAIL: 1 of ", "(target.cpu<0.0001)", "FAIL  target.cpu<0.0001", "ok    target.rss<64GiB", "  cpu   mean ", "\nlimited by: "} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLIWithin(t, time.Minute, "run", "-quiet", "-duration", "1s", "-rate", "1000/s", "-threshold", "target.cpu>0")
	if code != exitOK || !strings.Contains(out, "target nssbench itself (pid ") {
		t.Errorf("embedded run: exit %d; want %d with nssbench's own cost\n%s", code, exitOK, out)
	}
}
