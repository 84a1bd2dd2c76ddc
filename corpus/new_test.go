package corpus

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
)

// TestNewAndGroundTruth makes a small generated corpus, verifies it, checks it against the ground
// truth, and shows that a wrong expected verdict or a changed input is caught.
func TestNewAndGroundTruth(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gen")
	st, err := New(context.Background(), dir, NewOptions{Scenario: "smoke", Seed: 3, Count: 3000})
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 3000 || st.Disagreements != 0 {
		t.Fatalf("New = %+v; want 3000 records agreeing with the ground truth", st)
	}
	c := mustLoad(t, dir)
	if c.Manifest.Provenance.Scenario != "smoke" || *c.Manifest.Provenance.Seed != 3 || c.Manifest.Provenance.Count != 3000 ||
		filepath.Base(c.Input) != "input.log" {
		t.Errorf("manifest = %+v, input %s", c.Manifest, c.Input)
	}
	res, err := Verify(context.Background(), c, VerifyOptions{})
	if err != nil || !res.OK() || res.Records != 3000 {
		t.Fatalf("Verify(new corpus) = %v, %+v", err, res)
	}
	truth, err := CheckGroundTruth(context.Background(), c, 0)
	if err != nil || !truth.OK() || truth.Records != 3000 {
		t.Fatalf("CheckGroundTruth(new corpus) = %v, %+v", err, truth)
	}
	classes := map[string]bool{}
	for _, cs := range truth.Classes {
		classes[cs.Name] = true
	}
	for _, want := range []string{"alert.rdp_allow", "noise.web_allowed", "malformed.oversize"} {
		if !classes[want] {
			t.Errorf("ground truth has no class %s: %v", want, classes)
		}
	}

	// A wrong expected verdict disagrees with the ground truth.
	exp := filepath.Join(dir, ExpectedFile)
	data := readAll(t, exp)
	i := bytes.Index(data, []byte(`"threatId":"T1021.001"`))
	if i < 0 {
		t.Fatal("no RDP Allow record in the smoke corpus")
	}
	line := uint64(bytes.Count(data[:i], []byte("\n")) + 1)
	writeAll(t, exp, bytes.Replace(data, []byte(`"threatId":"T1021.001"`), []byte(`"threatId":"T1021"`), 1))
	truth, err = CheckGroundTruth(context.Background(), mustLoad(t, dir), 0)
	if err != nil || truth.Mismatched != 1 || truth.Mismatches[0].Line != line || truth.Mismatches[0].Class != "alert.rdp_allow" ||
		truth.Mismatches[0].Fields[0].Field != "threatId" {
		t.Fatalf("CheckGroundTruth(one wrong verdict) = %v, %+v; want one threatId mismatch at line %d", err, truth, line)
	}

	// A changed input is not what the generator renders.
	in := filepath.Join(dir, "input.log")
	lines := strings.SplitAfter(string(readAll(t, in)), "\n")
	lines[41] = strings.Replace(lines[41], "CEF:0", "CEF:0 ", 1)
	writeAll(t, in, []byte(strings.Join(lines, "")))
	if _, err := CheckGroundTruth(context.Background(), mustLoad(t, dir), 0); !errors.Is(err, ErrGroundTruth) || !strings.Contains(err.Error(), "input.log:42:") {
		t.Errorf("CheckGroundTruth(changed input) = %v; want ErrGroundTruth at input.log:42", err)
	}
}

func TestNewErrors(t *testing.T) {
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "x"), nil, 0o644)
	tests := []struct {
		name string
		dir  string
		opts NewOptions
		want string
	}{
		{"no count", filepath.Join(t.TempDir(), "a"), NewOptions{Scenario: "smoke"}, "count > 0"},
		{"unknown scenario", filepath.Join(t.TempDir(), "b"), NewOptions{Scenario: "nope", Count: 1}, "nope"},
		{"busy dir", busy, NewOptions{Scenario: "smoke", Count: 1}, "exists and is not empty"},
		{"bad mappings", filepath.Join(t.TempDir(), "c"), NewOptions{Scenario: "smoke", Count: 1, Mappings: "golden/filters/input.log"}, "input.log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.dir, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New() = %v; want an error containing %q", err, tt.want)
			}
			if tt.dir != busy {
				if _, err := os.Stat(tt.dir); err == nil {
					t.Errorf("New left %s behind", tt.dir)
				}
			}
		})
	}
}

// TestNewCustomMappings: the mappings file is copied into the corpus and named by corpus.json.
func TestNewCustomMappings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gen")
	st, err := New(context.Background(), dir, NewOptions{Scenario: "smoke", Seed: 1, Count: 500, Compress: true,
		Mappings: "golden/filters/mappings.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Warnings) != 1 {
		t.Errorf("warnings = %v; want the repeated row", st.Warnings)
	}
	c := mustLoad(t, dir)
	if c.Manifest.Mappings != "mappings.txt" || filepath.Base(c.Expected) != "expected.jsonl.zst" || filepath.Base(c.Input) != "input.log.zst" {
		t.Errorf("corpus = %+v", c)
	}
	if res, err := Verify(context.Background(), c, VerifyOptions{}); err != nil || !res.OK() || len(res.Warnings) != 1 {
		t.Errorf("Verify = %v, %+v", err, res)
	}
}

// TestNewWallClock makes a corpus stamped from a wall-clock start: its provenance records the start,
// the records carry it (record 500 in the next second), CheckGroundTruth regenerates them byte for byte,
// and a different start in corpus.json is caught as a changed input.
func TestNewWallClock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "wall")
	start := time.Date(2026, time.December, 2, 16, 6, 26, 500_000_000, time.UTC)
	st, err := New(context.Background(), dir, NewOptions{Scenario: "smoke", Seed: 3, Count: 1500, Clock: generator.ClockWall, Start: start})
	if err != nil || st.Records != 1500 || st.Disagreements != 0 {
		t.Fatalf("New(wall) = %+v, %v; want 1500 records agreeing with the ground truth", st, err)
	}
	c := mustLoad(t, dir)
	if pr := c.Manifest.Provenance; pr.Clock != "wall" || pr.Start != "2026-12-02T16:06:26.5Z" {
		t.Fatalf("provenance = %+v; want clock wall, start 2026-12-02T16:06:26.5Z", pr)
	}
	lines := strings.Split(string(readAll(t, filepath.Join(dir, "input.log"))), "\n")
	// The smoke scenario's time zone is UTC; records are 1ms apart from 16:06:26.5, so record 499 is the
	// last of that second and 500 the first of the next.
	for _, tt := range []struct {
		i    int
		want string
	}{{0, "Dec 02 16:06:26 "}, {499, "Dec 02 16:06:26 "}, {500, "Dec 02 16:06:27 "}, {1499, "Dec 02 16:06:27 "}} {
		if !strings.HasPrefix(lines[tt.i], tt.want) {
			t.Errorf("record %d = %.40q…; want it stamped %q", tt.i, lines[tt.i], tt.want)
		}
	}
	truth, err := CheckGroundTruth(context.Background(), c, 0)
	if err != nil || !truth.OK() || truth.Records != 1500 {
		t.Fatalf("CheckGroundTruth(wall corpus) = %v, %+v", err, truth)
	}

	// Another start renders other records: the corpus no longer matches its provenance.
	mf := filepath.Join(dir, ManifestFile)
	writeAll(t, mf, bytes.Replace(readAll(t, mf), []byte("16:06:26.5Z"), []byte("17:06:26.5Z"), 1))
	if _, err := CheckGroundTruth(context.Background(), mustLoad(t, dir), 0); !errors.Is(err, ErrGroundTruth) || !strings.Contains(err.Error(), "input.log:1:") {
		t.Errorf("CheckGroundTruth(other start) = %v; want ErrGroundTruth at input.log:1", err)
	}

	// The virtual clock (the default) records no clock and stays the generator's virtual time.
	vdir := filepath.Join(t.TempDir(), "virtual")
	if _, err := New(context.Background(), vdir, NewOptions{Scenario: "smoke", Seed: 3, Count: 10}); err != nil {
		t.Fatal(err)
	}
	if m := readAll(t, filepath.Join(vdir, ManifestFile)); bytes.Contains(m, []byte(`"clock"`)) || bytes.Contains(m, []byte(`"start"`)) {
		t.Errorf("virtual corpus.json =\n%s\nwant no clock or start", m)
	}
	if in := readAll(t, filepath.Join(vdir, "input.log")); !bytes.HasPrefix(in, []byte("Jun 11 02:52:44 ")) {
		t.Errorf("virtual record 0 = %.40q; want the virtual clock's Jun 11 02:52:44", in)
	}
}
