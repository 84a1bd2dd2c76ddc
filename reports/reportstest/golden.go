// Package reportstest holds what the tests of the packages that render reports share: golden files.
package reportstest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden compares got with testdata/<test name>.golden (subtest slashes become underscores) in the
// calling test's package directory; with update, it rewrites the file instead. A difference is reported
// with the line and column where it starts.
func Golden(t testing.TB, update bool, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden")
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs at %s (go test -update rewrites it if the change is intended)", path, FirstDiff(got, want))
	}
}

// FirstDiff describes where got and want first differ: "line:col: got …; want …" with the rest of each
// line, or the lengths when one is a prefix of the other. It is "" when they are equal.
func FirstDiff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	line, col := 1, 1
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("%d:%d: got %q; want %q", line, col, lineAt(got, i), lineAt(want, i))
		}
		if got[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%d:%d: lengths %d and %d", line, col, len(got), len(want))
}

// lineAt returns the rest of the line of b from i.
func lineAt(b []byte, i int) string {
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		return string(b[i : i+j])
	}
	return string(b[i:])
}
