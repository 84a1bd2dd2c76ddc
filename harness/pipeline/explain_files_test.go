package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplainerReadFiles(t *testing.T) {
	dir := t.TempDir()
	good := "CEF:0|Zscaler|NSSWeblog|6.0|Allowed|Allowed|3|act=Allowed\n"
	bad := "not a record\n"
	files := map[string]string{"good.log": good, "bad.log": bad, "two.log": good + bad}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name      string
		names     []string
		stdin     string
		lines     int // records explained
		malformed uint64
		errs      []string // each error's start
	}{
		{name: "stdin by default", stdin: good + good, lines: 2},
		{name: "files", names: []string{in("good.log"), in("two.log")}, lines: 3, malformed: 1},
		{name: "stdin among files", names: []string{in("bad.log"), "-", in("good.log")}, stdin: good, lines: 3, malformed: 1},
		{name: "a missing file does not stop the others", names: []string{in("missing.log"), in("good.log"), in("gone.log")}, lines: 1,
			errs: []string{"open " + in("missing.log"), "open " + in("gone.log")}},
		{name: "an input that cannot be read is named", names: []string{dir, in("good.log")}, lines: 1, errs: []string{dir + ": "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			x := New(DefaultRules(), DefaultMappings(), Options{}).NewExplainer(&out, ExplainOptions{JSON: true})
			errs := x.ReadFiles(tt.names, strings.NewReader(tt.stdin))
			if err := x.Flush(); err != nil {
				t.Fatal(err)
			}
			if len(errs) != len(tt.errs) {
				t.Fatalf("errors %v; want %d", errs, len(tt.errs))
			}
			for i, want := range tt.errs {
				if !strings.HasPrefix(errs[i].Error(), want) {
					t.Errorf("error %d: %v; want it to start with %q", i, errs[i], want)
				}
			}
			if n := strings.Count(out.String(), "\n"); n != tt.lines || x.Malformed() != tt.malformed {
				t.Errorf("%d lines, %d malformed; want %d, %d:\n%s", n, x.Malformed(), tt.lines, tt.malformed, out.String())
			}
		})
	}
}
