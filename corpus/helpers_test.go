package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/corpus/zst"
)

// copyCorpus copies the corpus directory src into a new temporary directory and returns its path.
func copyCorpus(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// readAll returns the content of a corpus file, decompressed when it ends in ".zst".
func readAll(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if zst.Compressed(path) {
		d, err := zst.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if data, err = io.ReadAll(d); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// writeAll writes data to path, compressed when it ends in ".zst".
func writeAll(t testing.TB, path string, data []byte) {
	t.Helper()
	if zst.Compressed(path) {
		data = zst.Compress(nil, data, zst.Fast)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// expectedRecords decodes a corpus's expected file with encoding/json, independently of the package's
// own parser.
func expectedRecords(t testing.TB, dir string) []map[string]any {
	t.Helper()
	path := filepath.Join(dir, ExpectedFile)
	if _, err := os.Stat(path); err != nil {
		path += zstdSuffix
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(readAll(t, path)))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s:%d: %v", path, len(out)+1, err)
		}
		out = append(out, m)
	}
	return out
}

// inputLines returns the LF-separated records of a CEF corpus's input.
func inputLines(t testing.TB, dir string) []string {
	t.Helper()
	path := filepath.Join(dir, "input.log")
	if _, err := os.Stat(path); err != nil {
		path += zstdSuffix
	}
	return strings.Split(strings.TrimSuffix(string(readAll(t, path)), "\n"), "\n")
}

// mustLoad loads a corpus or fails the test.
func mustLoad(t testing.TB, dir string) *Corpus {
	t.Helper()
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
