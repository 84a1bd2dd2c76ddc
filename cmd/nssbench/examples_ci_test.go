package main

import (
	"context"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/replicates"
)

// shBlocks returns the fenced ```sh blocks of a Markdown file, in order.
func shBlocks(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?ms)^```sh\n(.*?)^```$").FindAllStringSubmatch(string(data), -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// TestExamplesCI runs docs/examples-ci.md's recipe, as written, against a freshly built nssbench: a
// proposed mapping that unmaps RDP Allow and moves phishing site to T1566.002, checked against a golden
// corpus, with two replicates a side. Every file the page lists must be there and say what it should,
// and the script must exit 3 (the decisions changed).
func TestExamplesCI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the A/B recipe")
	}
	blocks := shBlocks(t, "../../docs/examples-ci.md")
	if len(blocks) != 1 {
		t.Fatalf("docs/examples-ci.md has %d sh blocks, want the one recipe", len(blocks))
	}
	t.Parallel() // a subprocess: it overlaps the in-process tests' idle time
	dir := t.TempDir()
	bin := builtBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{coverageProposed: "mappings.json", "../../harness/pipeline/defaults/mappings.json": "base-mappings.json"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	corpora, err := filepath.Abs("../../corpus/golden/seed-alerts")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", blocks[0])
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CORPORA="+corpora, "REPEAT=2", "DURATION=1s", "RATE=2000/s")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitConformance {
		t.Fatalf("the recipe: %v, want exit %d\n%s", err, exitConformance, out)
	}
	if !strings.Contains(string(out), "exit codes: verify 3, coverage 0, run base 0, run new 3, compare 3") {
		t.Errorf("the recipe's exit codes:\n%s", out)
	}

	ci := filepath.Join(work, "ci")
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(ci, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if v := read("verify.txt"); !strings.Contains(v, "RDP Allow: alert T1021.001 → alert unmapped, 1 record") {
		t.Errorf("verify.txt lacks the change by alert type:\n%s", v)
	}
	var suites struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []struct {
			Failures int `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(read("verify.xml")), &suites); err != nil || len(suites.Suites) != 1 || suites.Suites[0].Failures == 0 {
		t.Errorf("verify.xml: %v, %+v", err, suites)
	}
	if _, comments := readLayer(t, filepath.Join(ci, "observed-layer.json")); comments["T1021.001"] != "" || comments["T1566.002"] == "" {
		t.Errorf("observed layer: %v", comments)
	}
	if _, comments := readLayer(t, filepath.Join(ci, "layer.json")); comments["T1021.001"] != "" || comments["T1071.004"] == "" {
		t.Errorf("coverage layer: %v", comments)
	}
	if c := read("coverage.txt"); !strings.Contains(c, "against base-mappings.json: 2 gained, 1 lost") {
		t.Errorf("coverage.txt:\n%s", c)
	}
	for _, side := range []string{"base", "new"} {
		if names, err := replicates.Names(filepath.Join(ci, side)); err != nil || !slices.Equal(names, []string{"run-1.json", "run-2.json"}) {
			t.Errorf("ci/%s holds %v (%v)", side, names, err)
		}
	}
	// The scenario's ground truth still expects RDP Allow mapped: the new runs' mismatches regress.
	s := decodeSignal(t, []byte(read("signal.json")))
	if s.Verdict != abtest.Regressed || !slices.Contains(s.Regressions, "mismatch.ratio") {
		t.Errorf("signal: %s, regressions %v", s.Verdict, s.Regressions)
	}
	comment := read("pr-comment.md")
	for _, want := range []string{"### nssbench verify", "seed-alerts: 2 records changed in 2 alert types", "T1021.001", "### nssbench A/B comparison", "mismatch.ratio"} {
		if !strings.Contains(comment, want) {
			t.Errorf("pr-comment.md lacks %q:\n%s", want, comment)
		}
	}
}
