// Package ceftest holds what tests that feed CEF lines share.
package ceftest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// ReadLines returns the lines of testdata/<name> in the calling test's package directory, leaving out
// empty lines and comments (lines starting with '#'). Lines may be up to 1 MiB long.
func ReadLines(t testing.TB, name string) [][]byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if len(sc.Bytes()) > 0 && sc.Bytes()[0] != '#' {
			lines = append(lines, bytes.Clone(sc.Bytes()))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
