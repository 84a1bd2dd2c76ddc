package corpus

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpdateWith: updating with other rules or mappings makes them the corpus's own (copied in, named
// by corpus.json, the rest of corpus.json unchanged), so that a plain Verify passes afterwards; a copy
// that would take another corpus file's name is refused before anything is written.
func TestUpdateWith(t *testing.T) {
	remapped := filepath.Join(t.TempDir(), "proposed.json")
	writeAll(t, remapped, mappingsJSON(map[string][2]string{"Malware block: malicious file": {"T1105", "Ingress Tool Transfer"}}))
	defaultRules := filepath.Join("..", "harness", "pipeline", "defaults", "rules.json")
	named := func(name string, data []byte) string { // a file of that name outside the corpus
		p := filepath.Join(t.TempDir(), name)
		writeAll(t, p, data)
		return p
	}
	tests := []struct {
		name    string
		src     string
		prepare func(t *testing.T, dir string) PipelineSpec
		changed uint64
		// manifest replaces these in corpus.json's text (old, new, …): what the update must change, and
		// nothing else
		manifest []string
		stats    UpdateStats // its Rules and Mappings
		files    []string    // files the corpus must now hold
	}{
		// happy
		{"mappings", "nss-header-forms", func(*testing.T, string) PipelineSpec { return PipelineSpec{Mappings: remapped} }, 8,
			[]string{`"mappings": "builtin"`, `"mappings": "proposed.json"`}, UpdateStats{Mappings: "proposed.json"}, []string{"proposed.json"}},
		{"rules and mappings", "seed-alerts", func(*testing.T, string) PipelineSpec {
			return PipelineSpec{Rules: defaultRules, Mappings: remapped}
		}, 1, []string{`"rules": "builtin"`, `"rules": "rules.json"`, `"mappings": "builtin"`, `"mappings": "proposed.json"`},
			UpdateStats{Rules: "rules.json", Mappings: "proposed.json"}, []string{"rules.json", "proposed.json"}},
		{"builtin replaces a file", "filters", func(*testing.T, string) PipelineSpec { return PipelineSpec{Mappings: Builtin} }, 0,
			[]string{`"mappings": "mappings.txt"`, `"mappings": "builtin"`}, UpdateStats{Mappings: Builtin}, []string{"mappings.txt"}},
		{"the corpus's own file", "filters", func(_ *testing.T, dir string) PipelineSpec {
			return PipelineSpec{Rules: Builtin, Mappings: filepath.Join(dir, "mappings.txt")}
		}, 0, nil, UpdateStats{}, nil},
		{"a new file of the same name", "filters", func(*testing.T, string) PipelineSpec {
			return PipelineSpec{Mappings: named("mappings.txt", mappingsJSON(map[string][2]string{"RDP Allow": {"T1021", "Remote Services"}}))}
		}, 3, nil, UpdateStats{Mappings: "mappings.txt"}, []string{"mappings.txt"}},
		{"member absent", "seed-alerts", func(t *testing.T, dir string) PipelineSpec {
			p := filepath.Join(dir, ManifestFile)
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`  "mappings": "builtin",`+"\n"), nil, 1))
			return PipelineSpec{Mappings: remapped}
		}, 1, []string{"{\n", "{\n  \"mappings\": \"proposed.json\",\n"}, UpdateStats{Mappings: "proposed.json"}, []string{"proposed.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyCorpus(t, filepath.Join("golden", tt.src))
			spec := tt.prepare(t, dir)
			mpath := filepath.Join(dir, ManifestFile)
			want := string(readAll(t, mpath))
			for i := 0; i < len(tt.manifest); i += 2 {
				if !strings.Contains(want, tt.manifest[i]) {
					t.Fatalf("corpus.json lacks %q", tt.manifest[i])
				}
				want = strings.Replace(want, tt.manifest[i], tt.manifest[i+1], 1)
			}
			st, err := UpdateWith(context.Background(), mustLoad(t, dir), spec)
			if err != nil {
				t.Fatal(err)
			}
			if st.Changed != tt.changed || st.Rules != tt.stats.Rules || st.Mappings != tt.stats.Mappings {
				t.Errorf("UpdateWith = %+v; want %d changed, rules %q, mappings %q", st, tt.changed, tt.stats.Rules, tt.stats.Mappings)
			}
			if got := string(readAll(t, mpath)); got != want {
				t.Errorf("corpus.json after UpdateWith:\n%s\nwant\n%s", got, want)
			}
			for _, f := range tt.files {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("the corpus lacks %s: %v", f, err)
				}
			}
			res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{})
			if err != nil || !res.OK() {
				t.Errorf("Verify without overrides after UpdateWith = %v, %+v; want a pass", err, res)
			}
		})
	}

	sad := []struct {
		name  string
		src   string
		spec  func(dir string) PipelineSpec
		where string // substring of the error
	}{
		{"named like the input", "seed-alerts", func(string) PipelineSpec {
			return PipelineSpec{Mappings: named("input.log", mappingsJSON(nil))}
		}, `into the corpus as "input.log", which is an input file; rename it`},
		{"named like another input", "seed-alerts", func(string) PipelineSpec {
			return PipelineSpec{Mappings: named("input.jsonl", mappingsJSON(nil))}
		}, `as "input.jsonl", which is an input file`},
		{"named like the sources file", "public-samples-cef", func(string) PipelineSpec {
			return PipelineSpec{Mappings: named("sources.txt", mappingsJSON(nil))}
		}, `as "sources.txt", which is the sources file`},
		{"named like the manifest", "seed-alerts", func(string) PipelineSpec {
			return PipelineSpec{Mappings: named("corpus.json", mappingsJSON(nil))}
		}, `as "corpus.json", which is the manifest`},
		{"named builtin", "seed-alerts", func(string) PipelineSpec {
			return PipelineSpec{Mappings: named("builtin", mappingsJSON(nil))}
		}, `as "builtin", which is how corpus.json names the built-in ones`},
		{"another file of that name", "seed-alerts", func(dir string) PipelineSpec {
			os.WriteFile(filepath.Join(dir, "proposed.json"), []byte("notes\n"), 0o644)
			return PipelineSpec{Mappings: remapped}
		}, `as "proposed.json": another file has that name; rename one of them`},
		{"the other role's file", "filters", func(string) PipelineSpec {
			return PipelineSpec{Rules: named("mappings.txt", readAll(t, defaultRules))}
		}, `corpus.json: rules: cannot copy `},
		{"rules and mappings of one name", "seed-alerts", func(string) PipelineSpec {
			return PipelineSpec{Rules: named("pipeline.json", readAll(t, defaultRules)), Mappings: named("pipeline.json", mappingsJSON(nil))}
		}, `mappings: rules and mappings would both be "pipeline.json"`},
	}
	for _, tt := range sad {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyCorpus(t, filepath.Join("golden", tt.src))
			spec := tt.spec(dir)
			before := map[string][]byte{}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				before[e.Name()] = readAll(t, filepath.Join(dir, e.Name()))
			}
			_, err := UpdateWith(context.Background(), mustLoad(t, dir), spec)
			if !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), tt.where) {
				t.Errorf("UpdateWith = %v; want ErrManifest with %q", err, tt.where)
			}
			entries, _ = os.ReadDir(dir)
			if len(entries) != len(before) {
				t.Errorf("UpdateWith left %d files; want the %d there were", len(entries), len(before))
			}
			for name, data := range before {
				if got := readAll(t, filepath.Join(dir, name)); !bytes.Equal(got, data) {
					t.Errorf("a refused UpdateWith changed %s", name)
				}
			}
		})
	}
}
