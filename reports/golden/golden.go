// Package golden compares what a test produced with a golden file and, when the tests run with
// -update, rewrites the file instead:
//
//	golden.Check(t, got)                                       // testdata/<test name>.golden
//	golden.File(t, filepath.Join("testdata", "web.txt"), got) // any file of the package
//
// It defines the -update flag once for every test package that imports it; tests that keep other
// derived files (corpora, manifests) regenerate them when Update reports true. It imports nothing of
// the project, so the tests of every layer may use it.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files (and other files derived from the code) instead of comparing with them")

// Update reports whether the tests run with -update.
func Update() bool { return *update }

// Check compares got with testdata/<test name>.golden in the calling test's package directory, subtest
// slashes becoming underscores; with -update it rewrites the file instead.
func Check(t testing.TB, got []byte) {
	t.Helper()
	File(t, filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden"), got)
}

// File compares got with the file at path, relative to the calling test's package directory; with
// -update it writes got there instead, creating the file's directory. A difference is reported with the
// line and column where it starts and the text around it on both sides.
func File(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := FirstDiff(got, want); d != "" {
		t.Errorf("%s differs at %s (go test -update rewrites it if the change is intended)", path, d)
	}
}

// aroundBytes is how many bytes of the differing line FirstDiff shows before and after the difference.
const aroundBytes = 40

// FirstDiff describes where got and want first differ: "line:col: got …; want …" with the text of each
// around the difference (at most aroundBytes bytes either side, on the same line), or with the lengths
// when one is a prefix of the other. It is "" when they are equal.
func FirstDiff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	line, col, start := 1, 1, 0 // start: where the current line begins
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("%d:%d: got %s; want %s", line, col, around(got, start, i), around(want, start, i))
		}
		if got[i] == '\n' {
			line, col, start = line+1, 1, i+1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%d:%d: lengths %d and %d", line, col, len(got), len(want))
}

// around quotes the line of b that begins at start, from up to aroundBytes bytes before i to up to aroundBytes
// bytes after it, with … where it is cut.
func around(b []byte, start, i int) string {
	end := len(b)
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		end = i + j
	}
	from, to := max(start, i-aroundBytes), min(end, i+aroundBytes)
	s := fmt.Sprintf("%q", b[from:to])
	if from > start {
		s = "…" + s
	}
	if to < end {
		s += "…"
	}
	return s
}
