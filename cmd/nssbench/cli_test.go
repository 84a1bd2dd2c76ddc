package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// allCommands are every command and subcommand with a help file of its own.
var allCommands = []string{"run", "gen", "verify", "coverage", "corpus new", "corpus record", "collect", "parse", "sink", "sweep",
	"report render", "report compare", "report merge", "scenarios", "version"}

// TestHelpConventions: 'nssbench help CMD' and 'CMD -h' print the same help on stdout (exit 0), its
// usage line first; every flag is listed once, an old name beside the new one; a command without flags
// has no Flags heading.
func TestHelpConventions(t *testing.T) {
	t.Parallel()
	for _, cmd := range allCommands {
		t.Run(cmd, func(t *testing.T) {
			args := strings.Fields(cmd)
			code, viaHelp, stderr := runCLI(t, "", append([]string{"help"}, args...)...)
			if code != exitOK || stderr != "" {
				t.Fatalf("help %s: exit %d, stderr %q", cmd, code, stderr)
			}
			code, viaH, _ := runCLI(t, "", append(args, "-h")...)
			if code != exitOK || viaH != viaHelp {
				t.Errorf("%s -h: exit %d, and differs from help %s", cmd, code, cmd)
			}
			if want := "Usage: nssbench " + cmd; !strings.HasPrefix(viaHelp, want) {
				t.Errorf("help %s starts %q; want %q", cmd, firstLine(viaHelp), want)
			}
			if !strings.Contains(viaHelp, "\nExamples:\n") {
				t.Errorf("help %s has no examples", cmd)
			}
			seen := map[string]bool{}
			for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(viaHelp, -1) {
				if seen[m[1]] {
					t.Errorf("help %s lists -%s twice", cmd, m[1])
				}
				seen[m[1]] = true
			}
			if hasFlags := len(seen) > 0; hasFlags != strings.Contains(viaHelp, "\nFlags:\n") {
				t.Errorf("help %s: %d flags, Flags heading %v", cmd, len(seen), !hasFlags)
			}
		})
	}
	_, out, _ := runCLI(t, "", "run", "-h")
	if !strings.Contains(out, "(old name: -out)") || regexp.MustCompile(`(?m)^  -out\b`).MatchString(out) {
		t.Errorf("run -h must list -out beside -json only:\n%s", out)
	}
	_, out, _ = runCLI(t, "", "sink", "-h")
	if strings.Contains(out, "spread the load") {
		t.Errorf("sink -h documents -connections as if sink sent:\n%s", out)
	}
}

// TestCLIErrors: a usage error is one line naming the command and at most a one-line hint, never the
// usage; each with the words of the mistake.
func TestCLIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args        []string
		first, hint string
	}{
		{[]string{"run", "-durtion", "5s"}, "nssbench run: unknown flag -durtion", "did you mean -duration?"},
		{[]string{"run", "--durtion", "5s"}, "nssbench run: unknown flag -durtion", "did you mean -duration?"},
		{[]string{"run", "-xyzzy"}, "nssbench run: unknown flag -xyzzy", "see nssbench run -h"},
		{[]string{"run", "-rate", "0"}, `nssbench run: invalid value "0" for flag -rate: rate "0": want a positive number of events, e.g. 20000/s`, "see nssbench run -h"},
		{[]string{"run", "-scenario", "./nope.json"}, "nssbench run: scenario: open ./nope.json: no such file or directory", "see nssbench run -h"},
		{[]string{"run", "-scenario", "nope.json"}, "nssbench run: scenario: open nope.json: no such file or directory", "see nssbench run -h"},
		{[]string{"run", "-duration", "0"}, "nssbench run: duration 0s: want a positive duration, e.g. 10s", "see nssbench run -h"},
		{[]string{"run", "-duration", "-1s"}, "nssbench run: duration -1s: want a positive duration, e.g. 10s", "see nssbench run -h"},
		{[]string{"run", "-count", "0"}, "nssbench run: count 0: want 1 or more", "see nssbench run -h"},
		{[]string{"run", "-connections", "0"}, "nssbench run: connections 0: want an integer in [1, 100000]", "see nssbench run -h"},
		{[]string{"sink", "-connections", "0", "-start-at", "2026-01-01T00:00:00Z"}, "nssbench sink: connections 0: want an integer in [1, 100000]", "see nssbench sink -h"},
		{[]string{"run", "-drain", "0"}, "nssbench run: -drain 0s: want a positive duration, e.g. 10s (the default)", "see nssbench run -h"},
		{[]string{"sink", "-drain", "-1s", "-start-at", "2026-01-01T00:00:00Z"}, "nssbench sink: -drain -1s: want a positive duration, e.g. 10s (the default)", "see nssbench sink -h"},
		{[]string{"gen", "-count", "0"}, "nssbench gen: -count 0: want 1 or more (leave it out for the default)", "see nssbench gen -h"},
		{[]string{"rn"}, `nssbench: unknown command "rn"`, "did you mean run?"},
		{[]string{"report", "merj"}, `nssbench report: unknown subcommand "merj"`, "did you mean report merge?"},
		{[]string{"verify", "-jsn"}, "nssbench verify: unknown flag -jsn", "did you mean -json?"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tt.args...)
			if code != exitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, exitUsage)
			}
			if want := tt.first + "\n" + tt.hint + "\n"; stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
			}
		})
	}
}

// TestVersionFlags: --version and -version are 'nssbench version'.
func TestVersionFlags(t *testing.T) {
	t.Parallel()
	_, want, _ := runCLI(t, "", "version")
	for _, arg := range []string{"--version", "-version"} {
		if code, got, _ := runCLI(t, "", arg); code != exitOK || got != want || !strings.HasPrefix(got, "nssbench ") {
			t.Errorf("nssbench %s: exit %d, %q; want %q", arg, code, got, want)
		}
	}
}

// TestRunOutputs: -json FILE (and its old name -out) writes the report and confirms it on stderr; '-'
// is stdout, instead of the text report; -summary prints the first screen; progress ends with the
// drain and the time taken, its p99 named by stage and window; two dashes work as one.
func TestRunOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "r.json")
	code, stdout, stderr := runCLI(t, "", "run", "--count", "300", "-rate", "20000/s", "-out", file, "-summary")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"nssbench: draining: ", " in flight", "nssbench: done in ", "nssbench run: wrote " + file + "\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(file); err != nil {
		t.Error(err)
	}
	if !strings.Contains(stdout, "balance: ") || strings.Contains(stdout, "\nclass ") || strings.Contains(stdout, "alerts by type") {
		t.Errorf("-summary printed more than the first screen:\n%s", stdout)
	}
	code, stdout, stderr = runCLI(t, "", "run", "-quiet", "-count", "300", "-rate", "20000/s", "-json", "-")
	var doc map[string]any
	if code != exitOK || json.Unmarshal([]byte(stdout), &doc) != nil || stderr != "" {
		t.Errorf("-json -: exit %d, stderr %q; stdout must be the JSON report alone:\n%.300s", code, stderr, stdout)
	}
}

// TestProgressLabel: the progress line names its p99's stage and window.
func TestProgressLabel(t *testing.T) {
	code, _, stderr := runCLI(t, "", "run", "-count", "3000", "-rate", "2000/s")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "  e2e p99 (last 1s) ") {
		t.Errorf("progress lacks the labelled p99:\n%s", stderr)
	}
}

// TestVerifyJSONOldAndNew: -json FILE writes the file; a bare -json before a flag or a corpus directory
// prints to stdout, as the old switch did.
func TestVerifyJSONOldAndNew(t *testing.T) {
	t.Parallel()
	const c = "../../corpus/golden/filters"
	for _, args := range [][]string{{"-json", c}, {"-json", "-max-mismatches", "1", c}, {"-json", "-", c}} {
		code, stdout, stderr := runCLI(t, "", append([]string{"verify"}, args...)...)
		if code != exitOK || !strings.HasPrefix(stdout, "{") || stderr != "" {
			t.Errorf("verify %v: exit %d, stderr %q, stdout %.80q", args, code, stderr, stdout)
		}
	}
	file := filepath.Join(t.TempDir(), "v.json")
	code, stdout, stderr := runCLI(t, "", "verify", "-json", file, c)
	if code != exitOK || strings.HasPrefix(stdout, "{") || stderr != "nssbench verify: wrote "+file+"\n" {
		t.Errorf("verify -json FILE: exit %d, stderr %q, stdout %.80q", code, stderr, stdout)
	}
	if data, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(data), "{") {
		t.Errorf("verify -json FILE wrote %.80q, %v", data, err)
	}
}

// TestHelpFiles: every help file belongs to a command, and every command has one.
func TestHelpFiles(t *testing.T) {
	t.Parallel()
	entries, err := helpFiles.ReadDir("help")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"nssbench.txt": true, "corpus.txt": true, "report.txt": true}
	for _, c := range allCommands {
		want[strings.ReplaceAll(c, " ", "-")+".txt"] = true
	}
	for name := range commands {
		if !want[name+".txt"] {
			t.Errorf("command %s is not in allCommands", name)
		}
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("help/%s belongs to no command", e.Name())
		}
		delete(want, e.Name())
	}
	for name := range want {
		t.Errorf("no help/%s", name)
	}
}
