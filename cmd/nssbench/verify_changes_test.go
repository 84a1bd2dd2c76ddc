package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/nssbench/nssbench/reports/golden"
)

// proposedMappings writes PIPELINE.md's mapping table changed twice: RDP Allow is no longer mapped, and
// "phishing site" maps to T1566.002 instead of T1566.
func proposedMappings(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../harness/pipeline/defaults/mappings.json")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, `"RDP Allow"`) {
			continue
		}
		lines = append(lines, strings.Replace(l, `"threatId": "T1566", "threatName": "Phishing"`, `"threatId": "T1566.002", "threatName": "Spearphishing Link"`, 1))
	}
	p := filepath.Join(t.TempDir(), "proposed.json")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestVerifyChangeSummary verifies every shipped corpus with the proposed mappings: the output starts
// with each corpus's changes by alert type and the grand total (pinned in a golden file), then the
// per-record detail; -json carries the same as "total" and each corpus's "changes" (pinned too). A
// passing verify ends with the grand total.
func TestVerifyChangeSummary(t *testing.T) {
	t.Parallel()
	proposed := proposedMappings(t)
	code, stdout, stderr := runCorpusCmd(t, cmdVerify, "-mappings", proposed, golden)
	if code != exitConformance {
		t.Fatalf("exit %d; want %d\nstderr: %s", code, exitConformance, stderr)
	}
	summary, detail, ok := strings.Cut(stdout, "\n\n")
	if !ok || !strings.HasPrefix(detail, "FAIL  ") {
		t.Fatalf("no change summary before the detail:\n%s", stdout)
	}
	for _, want := range []string{
		"RDP Allow: alert T1021.001 → alert unmapped, 306 records",
		"Reputation block outbound request: phishing site: T1566 Phishing → T1566.002 Spearphishing Link, 295 records",
		"9 corpora, 100,210 records: 624 changed in 2 alert types",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	t.Run("text", func(t *testing.T) { goldenfile.Check(t, []byte(summary+"\n")) })

	code, stdout, stderr = runCorpusCmd(t, cmdVerify, "-json", "-mappings", proposed, golden)
	if code != exitConformance {
		t.Fatalf("-json: exit %d; want %d\nstderr: %s", code, exitConformance, stderr)
	}
	var doc struct {
		Total   json.RawMessage `json:"total"`
		Corpora []struct {
			Corpus  string          `json:"corpus"`
			Changes json.RawMessage `json:"changes"`
		} `json:"corpora"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	pinned, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("json", func(t *testing.T) { goldenfile.Check(t, append(pinned, '\n')) })

	code, stdout, _ = runCorpusCmd(t, cmdVerify, golden)
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); code != exitOK || lines[len(lines)-1] != "9 corpora, 100,210 records: 0 changed" {
		t.Errorf("passing verify: exit %d, last line %q; want 0 and the grand total", code, lines[len(lines)-1])
	}
}
