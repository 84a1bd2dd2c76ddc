package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/coverage"
)

// coverageProposed is a changed mapping table: RDP Allow unmapped, phishing site moved to T1566.002, DNS
// tunnel and phishing | lookalike mapped.
const coverageProposed = "../../harness/coverage/testdata/proposed.json"

// navigatorLayer is the part of an ATT&CK Navigator layer (format 4.5) the tests check.
type navigatorLayer struct {
	Name     string `json:"name"`
	Domain   string `json:"domain"`
	Versions struct {
		Layer string `json:"layer"`
	} `json:"versions"`
	Techniques []struct {
		TechniqueID string `json:"techniqueID"`
		Score       *int   `json:"score"`
		Comment     string `json:"comment"`
		Enabled     *bool  `json:"enabled"`
	} `json:"techniques"`
}

// readLayer decodes a layer file and checks the fields Navigator needs to load it; it returns the
// comments by technique id.
func readLayer(t *testing.T, path string) (*navigatorLayer, map[string]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var l navigatorLayer
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if l.Versions.Layer != coverage.LayerFormat || l.Domain != "enterprise-attack" || l.Name == "" || len(l.Techniques) == 0 {
		t.Fatalf("%s: layer %q, domain %q, name %q, %d techniques", path, l.Versions.Layer, l.Domain, l.Name, len(l.Techniques))
	}
	id := regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
	comments := map[string]string{}
	for _, tc := range l.Techniques {
		if !id.MatchString(tc.TechniqueID) || tc.Score == nil || *tc.Score <= 0 || tc.Enabled == nil || tc.Comment == "" {
			t.Errorf("%s: technique entry %+v", path, tc)
		}
		comments[tc.TechniqueID] = tc.Comment
	}
	return &l, comments
}

func TestCoverageCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	layer, md := filepath.Join(dir, "layer.json"), filepath.Join(dir, "coverage.md")

	code, stdout, stderr := runCLI(t, "", "coverage", "-o", layer, "-md", md)
	if code != exitOK {
		t.Fatalf("coverage: exit %d\nstderr: %s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^  T1021\.001 +Remote Desktop Protocol +1 +firewall +RDP Allow$`).MatchString(stdout) {
		t.Errorf("the default mapping's coverage lacks T1021.001 with RDP Allow:\n%s", stdout)
	}
	if _, comments := readLayer(t, layer); !strings.Contains(comments["T1021.001"], "RDP Allow") {
		t.Errorf("layer comment of T1021.001: %q", comments["T1021.001"])
	}
	if data, err := os.ReadFile(md); err != nil || !strings.Contains(string(data), "T1021.001") {
		t.Errorf("Markdown (%v):\n%s", err, data)
	}

	code, stdout, stderr = runCLI(t, "", "coverage", "-mappings", coverageProposed, "-base", "builtin")
	if code != exitOK {
		t.Fatalf("coverage -base: exit %d\nstderr: %s", code, stderr)
	}
	for _, want := range []string{
		"against builtin: 2 gained, 1 lost, 4 alert types changed technique",
		"  + T1566.002 Spearphishing Link: Reputation block outbound request: phishing site",
		"  - T1021.001 Remote Desktop Protocol: was RDP Allow",
		"  RDP Allow (firewall): T1021.001 Remote Desktop Protocol → unmapped",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("coverage -base lacks %q:\n%s", want, stdout)
		}
	}
	// The Markdown of a change on stdout, in place of the text.
	if code, stdout, _ = runCLI(t, "", "coverage", "-mappings", coverageProposed, "-base", "builtin", "-md", "-"); code != exitOK || !strings.Contains(stdout, "T1021.001") || strings.Contains(stdout, "technique    name") {
		t.Errorf("coverage -md -: exit %d\n%s", code, stdout)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"mappings": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"coverage", "-mappings", bad}, {"coverage", "-base", bad}, {"coverage", "-mappings", filepath.Join(dir, "none.json")}, {"coverage", "extra"}} {
		if code, stdout, stderr := runCLI(t, "", args...); code != exitUsage || stdout != "" || stderr == "" {
			t.Errorf("nssbench %v: exit %d, stdout %q, stderr %q; want a usage error", args, code, stdout, stderr)
		}
	}
}

// TestVerifyNavigator: verify -navigator writes the layer of the alerts the pipeline decided, scored by
// records; with a changed mapping it follows the decisions, not the expected verdicts.
func TestVerifyNavigator(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	layer := filepath.Join(dir, "observed.json")
	code, _, stderr := runCLI(t, "", "verify", "-navigator", layer, "../../corpus/golden/seed-alerts")
	if code != exitOK {
		t.Fatalf("verify: exit %d\nstderr: %s", code, stderr)
	}
	l, comments := readLayer(t, layer)
	if len(l.Techniques) != 9 || comments["T1021.001"] != "1 record from 1 alert type: RDP Allow (1)" {
		t.Errorf("%d techniques, T1021.001 %q; want 9 and RDP Allow's record", len(l.Techniques), comments["T1021.001"])
	}

	code, _, stderr = runCLI(t, "", "verify", "-navigator", layer, "-mappings", coverageProposed, "../../corpus/golden/seed-alerts")
	if code != exitConformance {
		t.Fatalf("verify -mappings proposed: exit %d, want %d\nstderr: %s", code, exitConformance, stderr)
	}
	if _, comments = readLayer(t, layer); comments["T1021.001"] != "" || !strings.Contains(comments["T1566.002"], "phishing site") {
		t.Errorf("observed layer of the proposed mapping: %v", comments)
	}
}
