package zst

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func decompress(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestRoundTrip(t *testing.T) {
	text := strings.Repeat("<134>Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|\n", 1000)
	for _, l := range []Level{Fast, Small, Smallest} {
		for i := 0; i < 2; i++ { // the second time with pooled coders
			var buf bytes.Buffer
			zw := NewWriter(&buf, l)
			if _, err := io.WriteString(zw, text); err != nil {
				t.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if buf.Len() == 0 || buf.Len() >= len(text) {
				t.Errorf("level %d: %d bytes compressed from %d", l, buf.Len(), len(text))
			}
			if got := decompress(t, buf.Bytes()); got != text {
				t.Errorf("level %d: round trip gives %d bytes; want %d", l, len(got), len(text))
			}
			if got := decompress(t, Compress(nil, []byte(text), l)); got != text {
				t.Errorf("level %d: Compress round trip gives %d bytes; want %d", l, len(got), len(text))
			}
		}
	}
}

func TestDiscard(t *testing.T) {
	var buf bytes.Buffer
	zw := NewWriter(&buf, Fast)
	io.WriteString(zw, "lost")
	zw.Discard()
	if err := zw.Close(); err != nil { // after Discard, Close does nothing
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "lost") {
		t.Errorf("discarded data reached the writer: %q", buf.String())
	}
}

func TestCreate(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"plain.log", "packed.log.zst"} {
		path := filepath.Join(dir, name)
		w, err := Create(path, Fast)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "line\n")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got := string(data)
		if Compressed(path) {
			got = decompress(t, data)
		}
		if got != "line\n" || Compressed(path) == (string(data) == "line\n") {
			t.Errorf("%s: %q (content %q)", name, data, got)
		}
	}
	if _, err := Create(filepath.Join(dir, "no", "such.zst"), Fast); err == nil {
		t.Error("Create in a missing directory: no error")
	}
}

func TestBadInput(t *testing.T) {
	zr, err := NewReader(strings.NewReader("not zstd at all"))
	if err == nil {
		_, err = io.ReadAll(zr)
		zr.Close()
	}
	if err == nil {
		t.Error("reading data that is not zstd: no error")
	}
}

// TestCreateOrStdout: "" writes to stdout, and closing it leaves stdout usable; a path is Create's.
func TestCreateOrStdout(t *testing.T) {
	var stdout bytes.Buffer
	w, err := CreateOrStdout("", &stdout, Fast)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "a\n")
	if err := w.Close(); err != nil || stdout.String() != "a\n" {
		t.Errorf("stdout %q, Close %v; want %q, nil", stdout.String(), err, "a\n")
	}
	path := filepath.Join(t.TempDir(), "x.log.zst")
	if w, err = CreateOrStdout(path, &stdout, Fast); err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "b\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || decompress(t, data) != "b\n" || stdout.String() != "a\n" {
		t.Errorf("%s: %q, %v; stdout %q", path, data, err, stdout.String())
	}
}
