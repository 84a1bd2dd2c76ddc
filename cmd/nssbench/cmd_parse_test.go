package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/pipeline"
)

// TestParseZstdByMagic: parse reads a zstd file by its magic bytes whatever its name, and "-" for stdin
// among files, numbering lines across them.
func TestParseZstdByMagic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	zst := filepath.Join(dir, "fw.log.zst")
	if code, _, stderr := runCLI(t, "", "gen", "-count", "20", "-seed", "3", "-o", zst); code != exitOK {
		t.Fatalf("gen exit = %d; stderr: %s", code, stderr)
	}
	_, plain, _ := runCLI(t, "", "gen", "-count", "20", "-seed", "3")
	noSuffix := filepath.Join(dir, "recorded")
	if err := os.Rename(zst, noSuffix); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(noSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "CEF:") {
		t.Fatal("gen -o x.zst did not compress")
	}

	code, out, stderr := runCLI(t, plain, "parse", "-json", "-check", noSuffix, "-")
	if code != exitOK {
		t.Fatalf("parse exit = %d; stderr: %s", code, stderr)
	}
	if n := strings.Count(out, `{"ok":true`); n != 40 {
		t.Errorf("parse of 20 zstd + 20 stdin lines printed %d ok lines; want 40:\n%.2000s", n, out)
	}
	if strings.Contains(out, "UTF-8") {
		t.Errorf("compressed bytes were parsed as lines:\n%.500s", out)
	}
	if want := "nssbench parse: 40 lines, none malformed\n"; stderr != want {
		t.Errorf("stderr = %q; want %q", stderr, want)
	}
	// The same records, whichever the form.
	_, fromZst, _ := runCLI(t, "", "parse", noSuffix)
	_, fromPlain, _ := runCLI(t, plain, "parse", "-")
	if fromZst != fromPlain || fromZst == "" {
		t.Errorf("parse of the zstd file and of the plain lines differ:\n%.500s\n---\n%.500s", fromZst, fromPlain)
	}
}

func TestParseBadInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt")
	if err := os.WriteFile(corrupt, []byte("\x28\xb5\x2f\xfdnot a zstd frame at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"corrupt zstd", []string{"parse", corrupt}, "nssbench parse: " + corrupt + ": zstd"},
		{"missing file", []string{"parse", "-check", filepath.Join(dir, "nope")}, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tc.args...)
			if code != exitFailure || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitFailure, tc.stderr)
			}
		})
	}
}

// TestParseCheck: -check exits 3 when any line is malformed and counts them by detail on stderr; a
// CEF:1 record is parsed (its header shown) and its verdict is malformed/bad_version.
func TestParseCheck(t *testing.T) {
	t.Parallel()
	good := "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=1"
	v1 := "Jun 11 02:52:44 zscaler-nss-fw CEF:1|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=2"
	input := strings.Join([]string{good, v1, "not cef", "CEF:0|Zscaler|NSSFWlog|5.7", v1, good}, "\n") + "\n"

	code, out, stderr := runCLI(t, input, "parse", "-check", "-json", "-verdict")
	if code != exitConformance {
		t.Errorf("exit = %d; want %d", code, exitConformance)
	}
	if want := "nssbench parse: 4 of 6 lines malformed: bad_header 1, bad_version 2, truncated 1\n"; stderr != want {
		t.Errorf("stderr = %q; want %q", stderr, want)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("stdout has %d lines; want 6:\n%s", len(lines), out)
	}
	for _, want := range []string{`"ok":true`, `"header":{"version":"1","vendor":"Zscaler","product":"NSSFWlog"`,
		`"externalId":"2"`, `"reason":"malformed","detail":"bad_version"`} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("CEF:1 line lacks %s:\n%s", want, lines[1])
		}
	}

	// The text form shows the version too.
	_, out, _ = runCLI(t, v1+"\n", "parse", "-verdict")
	if !strings.HasPrefix(out, `line 1: ok CEF:1 NSSFWlog Allow "RDP Allow" (2 extensions)`) || !strings.Contains(out, `"detail":"bad_version"`) {
		t.Errorf("text output:\n%s", out)
	}

	// Without -check the exit code does not depend on the records.
	if code, _, stderr := runCLI(t, input, "parse"); code != exitOK || stderr != "" {
		t.Errorf("parse without -check: exit %d, stderr %q", code, stderr)
	}
	// Oversize lines count too.
	long := "CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3|msg=" + strings.Repeat("x", pipeline.DefaultMaxLine) + "\n"
	if code, _, stderr := runCLI(t, long+good+"\n", "parse", "-check"); code != exitConformance ||
		stderr != "nssbench parse: 1 of 2 lines malformed: oversize 1\n" {
		t.Errorf("oversize: exit %d, stderr %q", code, stderr)
	}
}
