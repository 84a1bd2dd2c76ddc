package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpusNewClock: corpus new -clock wall stamps the records from now and records the start in
// corpus.json, and the corpus verifies; the default stays the virtual clock.
func TestCorpusNewClock(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "wall")
	before := time.Now().UTC()
	if code, out, errOut := runCLI(t, "", "corpus", "new", "-scenario", "smoke", "-count", "20", "-clock", "wall", "-out", dir); code != 0 {
		t.Fatalf("corpus new -clock wall: exit %d\n%s%s", code, out, errOut)
	}
	m, err := os.ReadFile(filepath.Join(dir, "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(m), `"clock": "wall"`) || !strings.Contains(string(m), `"start": "`+before.Format("2006-01-02T")) {
		t.Errorf("corpus.json =\n%s\nwant clock wall and a start today (%s)", m, before.Format(time.DateOnly))
	}
	in, err := os.ReadFile(filepath.Join(dir, "input.log"))
	if err != nil {
		t.Fatal(err)
	}
	if stamp := before.Format("Jan 02 "); !strings.HasPrefix(string(in), stamp) { // smoke's time zone is UTC
		t.Errorf("record 0 = %.40q; want it stamped today, %q", in, stamp)
	}
	if code, out, errOut := runCLI(t, "", "verify", dir); code != 0 {
		t.Errorf("verify the wall corpus: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "corpus", "new", "-count", "5", "-clock", "utc", "-out", filepath.Join(t.TempDir(), "x")); code != exitUsage || !strings.Contains(errOut, `clock "utc"`) {
		t.Errorf("corpus new -clock utc: exit %d, %s; want a usage error", code, errOut)
	}
}
