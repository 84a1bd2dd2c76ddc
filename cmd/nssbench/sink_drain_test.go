package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSinkDrainAndFiles: the standalone sink ends as run does, with the drain (what is in flight) and
// the time taken, then confirms every file it wrote; -quiet leaves only the confirmations.
func TestSinkDrainAndFiles(t *testing.T) {
	dir := t.TempDir()
	jsonFile, junitFile := filepath.Join(dir, "sink.json"), filepath.Join(dir, "sink.xml")
	args := []string{"sink", "-listen", "tcp://127.0.0.1:0", "-scenario", "smoke", "-count", "100", "-rate", "10000/s",
		"-drain", "100ms", "-expect-forward", "all", "-json", jsonFile, "-junit", junitFile}
	start := time.Now().UTC().Format(time.RFC3339Nano)
	code, _, stderr := runCLIWithin(t, 10*time.Second, append(args, "-start-at", start)...)
	if code != exitConformance {
		t.Fatalf("exit %d, want %d (nothing arrives)\nstderr: %s", code, exitConformance, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^nssbench: sink on tcp://127\.0\.0\.1:\d+ for scenario smoke, Constant\{10000/s for 2s or 100 events\}, 1 shard\(s\) of 1 connection\(s\), starting at ` +
			regexp.QuoteMeta(start) + `$`),
		regexp.MustCompile(`^nssbench: draining: [1-9]\d* in flight \(up to -drain 100ms\)$`),
		regexp.MustCompile(`^nssbench: done in \d+(\.\d+)?m?s$`),
		regexp.MustCompile(`^nssbench sink: wrote ` + regexp.QuoteMeta(jsonFile) + `$`),
		regexp.MustCompile(`^nssbench sink: wrote ` + regexp.QuoteMeta(junitFile) + `$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("stderr has %d lines; want %d:\n%s", len(lines), len(want), stderr)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("stderr line %d %q; want %s", i+1, lines[i], re)
		}
	}
	for _, f := range []string{jsonFile, junitFile} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}

	start = time.Now().UTC().Format(time.RFC3339Nano)
	code, _, stderr = runCLIWithin(t, 10*time.Second, append(args, "-quiet", "-start-at", start)...)
	if want := "nssbench sink: wrote " + jsonFile + "\nnssbench sink: wrote " + junitFile + "\n"; code != exitConformance || stderr != want {
		t.Errorf("sink -quiet: exit %d, stderr %q; want %d and %q", code, stderr, exitConformance, want)
	}
}
