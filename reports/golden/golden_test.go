package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	long := strings.Repeat("a", 50)
	tests := []struct{ got, want, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nbx\n", "a\nby\n", `2:2: got "bx"; want "by"`},
		{"ab", "abc", "1:3: lengths 2 and 3"},
		{"x\n" + long + "X" + long + "\n", "x\n" + long + "Y" + long + "\n", "2:51: got …\"" + long[:40] + "X" + long[:39] + "\"…; want …\"" + long[:40] + "Y" + long[:39] + "\"…"},
		{"ab\x00", "ab\x01", `1:3: got "ab\x00"; want "ab\x01"`},
	}
	for _, tt := range tests {
		if d := FirstDiff([]byte(tt.got), []byte(tt.want)); d != tt.diff {
			t.Errorf("FirstDiff(%q, %q) = %q; want %q", tt.got, tt.want, d, tt.diff)
		}
	}
}

// recorder is a testing.TB that keeps its failures instead of failing the test.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%v", args...) }

func TestFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "out.txt")
	old := *update
	defer func() { *update = old }()

	*update = true
	rec := &recorder{TB: t}
	File(rec, path, []byte("one\ntwo\n"))
	if data, err := os.ReadFile(path); err != nil || string(data) != "one\ntwo\n" || len(rec.errors) > 0 {
		t.Fatalf("File under -update wrote %q, %v (failures %q); want the bytes in a new directory", data, err, rec.errors)
	}

	*update = false
	for _, tt := range []struct {
		name, got string
		want      []string // in the failure; none: it passes
	}{
		{"equal", "one\ntwo\n", nil},
		{"differs", "one\ntwX\n", []string{path, "2:3", `got "twX"; want "two"`, "-update"}},
		{"shorter", "one\n", []string{"lengths 4 and 8"}},
	} {
		rec := &recorder{TB: t}
		File(rec, path, []byte(tt.got))
		if len(tt.want) == 0 && len(rec.errors) > 0 || len(tt.want) > 0 && len(rec.errors) != 1 {
			t.Errorf("%s: failures %q; want %d", tt.name, rec.errors, min(1, len(tt.want)))
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(rec.errors[0], w) {
				t.Errorf("%s: failure %q lacks %q", tt.name, rec.errors[0], w)
			}
		}
	}
	rec = &recorder{TB: t}
	File(rec, filepath.Join(dir, "missing.golden"), nil)
	if !rec.fatal || !strings.Contains(rec.errors[0], "go test -update") {
		t.Errorf("a missing file: failures %q, fatal %v; want a fatal failure naming -update", rec.errors, rec.fatal)
	}
}
