package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGenJSONFeeds: a feed that prints JSON cannot carry the malformed classes, which damage CEF lines,
// so gen leaves them out, says so once, and writes valid JSON lines.
func TestGenJSONFeeds(t *testing.T) {
	t.Parallel()
	const cloudWebFile = "../../generator/feeds/data/cloud-web.fof"
	tests := []struct {
		name string
		args []string
		note string // expected once on stderr
	}{
		{"cloud-web", []string{"-feed", "cloud-web"}, "feed cloud-web prints JSON: scenario default: 3 malformed classes left out"},
		{"cloud-firewall", []string{"-feed", "cloud-firewall"}, "feed cloud-firewall prints JSON: scenario default: 3 malformed classes left out"},
		{"cloud-dns", []string{"-feed", "cloud-dns"}, "feed cloud-dns prints JSON: scenario default: 2 malformed classes left out"},
		{"smoke cloud-web", []string{"-scenario", "smoke", "-feed", "cloud-web"}, "feed cloud-web prints JSON: scenario smoke: 3 malformed classes left out"},
		{"JSON format file", []string{"-feed", "web", "-format-file", cloudWebFile}, "prints JSON: scenario default: 3 malformed classes left out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"gen", "-count", "200"}, tt.args...)
			code, stdout, stderr := runCLI(t, "", args...)
			if code != exitOK {
				t.Fatalf("nssbench %v exit = %d; want %d\nstderr: %s", args, code, exitOK, stderr)
			}
			if n := strings.Count(stderr, tt.note); n != 1 {
				t.Errorf("stderr has %q %d times; want once:\n%s", tt.note, n, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) != 200 {
				t.Fatalf("nssbench %v wrote %d lines; want 200", args, len(lines))
			}
			for i, line := range lines {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
				}
			}
		})
	}
}

// TestGenCEFFeedsKeepMalformed: CEF feeds keep the malformed classes and print no note.
func TestGenCEFFeedsKeepMalformed(t *testing.T) {
	t.Parallel()
	for _, feed := range []string{"web", "firewall", "dns"} {
		t.Run(feed, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", "gen", "-feed", feed, "-count", "5")
			if code != exitOK || stderr != "" {
				t.Errorf("gen -feed %s: exit %d, stderr %q; want 0 and nothing", feed, code, stderr)
			}
		})
	}
}

// TestGenJSONOnlyMalformed: a scenario of malformed classes alone cannot print JSON.
func TestGenJSONOnlyMalformed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "malformed-only.json")
	scn := `{"name": "malformed-only", "description": "only malformed classes", "seed": 1, "duration": "1s",
  "pacer": {"shape": "constant", "rate": "100/s"}, "connections": 1, "mix": {"malformed.*": 1}}`
	if err := os.WriteFile(path, []byte(scn), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "gen", "-scenario", path, "-feed", "cloud-web")
	if code != exitUsage || stdout != "" {
		t.Fatalf("gen of malformed classes as JSON: exit %d, %d bytes on stdout; want %d and none", code, len(stdout), exitUsage)
	}
	if want := "feed cloud-web prints JSON: scenario malformed-only: only malformed classes"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

// TestGenDuration: -duration writes the lines its schedule holds in that time: -rate's, else the
// scenario's own pacer's (smoke: constant 1000/s; ramp: 1000/s→50000/s over the duration), written
// without waiting unless -rate paces them.
func TestGenDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		lines int
	}{
		{"no bound", nil, 10},
		{"count", []string{"-count", "3"}, 3},
		{"scenario pacer", []string{"-scenario", "smoke", "-duration", "2s"}, 2000},
		{"scenario pacer, short", []string{"-scenario", "smoke", "-duration", "500ms"}, 500},
		{"scenario ramp", []string{"-scenario", "ramp", "-duration", "100ms"}, 2550}, // 1000·0.1 + 49000·0.1/2
		{"count caps duration", []string{"-scenario", "smoke", "-duration", "2s", "-count", "7"}, 7},
		{"shard of duration", []string{"-scenario", "smoke", "-duration", "2s", "-shard", "1/4"}, 500},
		{"rate", []string{"-rate", "100/s", "-duration", "50ms"}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"gen"}, tt.args...)
			code, stdout, stderr := runCLIWithin(t, 10*time.Second, args...)
			if code != exitOK {
				t.Fatalf("nssbench %v exit = %d; want %d\nstderr: %s", args, code, exitOK, stderr)
			}
			if n := strings.Count(stdout, "\n"); n != tt.lines {
				t.Errorf("nssbench %v wrote %d lines; want %d", args, n, tt.lines)
			}
		})
	}
}

func TestGenDurationUsage(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "", "gen", "-duration", "-1s")
	if code != exitUsage || stdout != "" {
		t.Fatalf("gen -duration -1s: exit %d, %d bytes on stdout; want %d and none", code, len(stdout), exitUsage)
	}
	if want := "duration -1s must be >= 0"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

// TestGenTimeZoneAndEscape: a scenario's timeZone and feedEscape reach the rendered lines: timestamps in
// that zone, the escape characters %hh-encoded in string values.
func TestGenTimeZoneAndEscape(t *testing.T) {
	t.Parallel()
	scn := filepath.Join(t.TempDir(), "ny.json")
	src := `{"duration": "1s", "pacer": {"rate": 1000}, "mix": {"noise.web_allowed": 1},
	         "timeZone": "America/New_York", "feedEscape": ","}`
	if err := os.WriteFile(scn, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "gen", "-scenario", scn, "-feed", "web", "-count", "20")
	if code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	// The virtual clock starts at 2024-06-11 02:52:44 UTC: 22:52:44 the day before in New York (EDT).
	if !strings.HasPrefix(stdout, "Jun 10 22:52:44 zscaler-nss ") {
		t.Errorf("first line starts %q; want the New York time 'Jun 10 22:52:44'", stdout[:min(40, len(stdout))])
	}
	if !strings.Contains(stdout, "KHTML%2c like Gecko") || strings.Contains(stdout, "KHTML, like Gecko") {
		t.Errorf("user agents keep a raw ','; want it %%2c-encoded:\n%s", stdout[:min(600, len(stdout))])
	}
}
