package corpus

import (
	"errors"
	"strings"
	"testing"
)

func TestParseManifest(t *testing.T) {
	tests := []struct {
		name string
		data string
		errs []string // substrings, one per expected problem; none for a valid manifest
	}{
		// happy
		{"minimal", `{}`, nil},
		{"full", `{"description": "d", "format": "cef", "framing": "octet", "rules": "builtin", "mappings": "m.txt",
  "provenance": {"scenario": "default", "seed": 0, "count": 10, "source": "s"},
  "patterns": [{"field": "alertType", "match": "A.*", "recordids": ["1"], "lines": [2]}]}`, nil},
		{"json", `{"format": "json"}`, nil},
		{"wall clock", `{"provenance": {"scenario": "default", "seed": 1, "count": 10, "clock": "wall", "start": "2026-12-02T16:06:26.5Z"}}`, nil},
		// sad
		{"unknown field", `{
  "format": "cef",
  "framings": "lf"
}`, []string{`m.json:3: framings: unknown field`}},
		{"bad format and framing", `{"format": "csv",
"framing": "cr"}`, []string{`m.json:1: format: unknown format "csv"`, `m.json:2: framing: unknown framing "cr"`}},
		{"framing for json", `{"format": "json", "framing": "lf"}`, []string{"framing: framing applies to cef input only"}},
		{"absolute rules", `{"rules": "/etc/rules.json"}`, []string{`rules: "/etc/rules.json": want a path relative to the corpus`}},
		{"empty mappings", `{"mappings": ""}`, []string{`mappings: want "builtin" or a path`}},
		{"seed without scenario", `{"provenance": {"seed": 3}}`, []string{"provenance.scenario: seed and count describe a generator run"}},
		{"negative count", `{"provenance": {"scenario": "x", "count": -1}}`, []string{"provenance.count: want a non-negative integer"}},
		{"pattern problems", `{"patterns": [
  {"field": "alerttype", "match": "x"},
  {"field": "threatId"},
  {"field": "feed", "match": "(", "lines": [0]}
]}`, []string{`m.json:2: patterns[0].field: unknown verdict field "alerttype"`, `m.json:3: patterns[1].match: missing`,
			"m.json:4: patterns[2].match: error parsing regexp", "m.json:4: patterns[2].lines[0]: want a positive integer"}},
		{"unknown clock", `{"provenance": {"scenario": "x", "clock": "utc"}}`, []string{`provenance.clock: "utc": want wall or virtual`}},
		{"wall without start", `{"provenance": {"scenario": "x", "clock": "wall"}}`, []string{"provenance.start: a wall clock needs a start time"}},
		{"bad start", `{"provenance": {"scenario": "x", "clock": "wall", "start": "yesterday"}}`, []string{`provenance.start: start "yesterday": want an RFC 3339 time`}},
		{"start without wall", `{"provenance": {"scenario": "x", "start": "2026-12-02T16:06:26Z"}}`, []string{`provenance.start: a start time needs "clock": "wall"`}},
		{"wall without scenario", `{"provenance": {"clock": "wall", "start": "2026-12-02T16:06:26Z"}}`, []string{"provenance.clock: a clock describes a generator run"}},
		{"not an object", `[1]`, []string{"m.json:1: want an object, got array"}},
		{"syntax", `{"format": }`, []string{"m.json: invalid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseManifest("m.json", []byte(tt.data))
			if len(tt.errs) == 0 {
				if err != nil {
					t.Fatalf("parseManifest() = %v; want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("parseManifest() = nil; want %q", tt.errs)
			}
			if !errors.Is(err, ErrManifest) {
				t.Errorf("parseManifest() = %v; not ErrManifest", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.errs) {
				t.Errorf("parseManifest() reported %d problems:\n%s\nwant %d", len(lines), err, len(tt.errs))
			}
			for _, w := range tt.errs {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("parseManifest() =\n%s\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

func TestManifestRoundTrip(t *testing.T) {
	seed := uint64(0)
	m := &Manifest{Description: "d", Format: FormatCEF, Framing: "octet", Rules: Builtin, Mappings: "m.txt",
		Provenance: Provenance{Scenario: "default", Seed: &seed, Count: 5},
		Patterns:   []Pattern{{Field: "alertType", Match: "A.*", RecordIDs: []string{"1"}, Lines: []uint64{2}}}}
	got, err := parseManifest("m.json", m.AppendJSON(nil))
	if err != nil {
		t.Fatal(err)
	}
	if string(got.AppendJSON(nil)) != string(m.AppendJSON(nil)) || got.Provenance.Seed == nil || *got.Provenance.Seed != 0 {
		t.Errorf("round trip:\n%s\nwant\n%s", got.AppendJSON(nil), m.AppendJSON(nil))
	}
}

func TestSetManifestString(t *testing.T) {
	tests := []struct {
		name, data, key, value, want string
	}{
		{"replace", "{\n  \"rules\": \"builtin\",\n  \"mappings\": \"builtin\"\n}\n", "mappings", "m.json",
			"{\n  \"rules\": \"builtin\",\n  \"mappings\": \"m.json\"\n}\n"},
		{"replace an escaped value", `{"rules":"a\"b.json" , "format": "cef"}`, "rules", "builtin",
			`{"rules":"builtin" , "format": "cef"}`},
		{"insert first, indented like the next", "{\n\t\"format\": \"cef\"\n}", "rules", "r.json",
			"{\n\t\"rules\": \"r.json\",\n\t\"format\": \"cef\"\n}"},
		{"insert into an empty object", " { } ", "mappings", "m <1>.txt", ` { "mappings": "m \u003c1\u003e.txt"} `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := setManifestString("corpus.json", []byte(tt.data), tt.key, tt.value)
			if err != nil || string(got) != tt.want {
				t.Errorf("setManifestString(%q, %s, %q) = %q, %v; want %q", tt.data, tt.key, tt.value, got, err, tt.want)
			}
		})
	}
	if _, err := setManifestString("corpus.json", []byte(`{"rules": "/abs"}`), "mappings", "m.json"); !errors.Is(err, ErrManifest) {
		t.Errorf("setManifestString(invalid manifest) = %v; want ErrManifest", err)
	}
}

// FuzzManifest: any corpus.json is accepted or rejected with ErrManifest errors, never a panic.
func FuzzManifest(f *testing.F) {
	f.Add([]byte(`{"format": "cef", "framing": "lf", "rules": "builtin", "mappings": "mappings.txt"}`)) // typical
	f.Add([]byte(`{"patterns": [{"field": "alertType", "match": "A.*", "lines": [1]}]}`))               // pattern
	f.Add([]byte(`{"provenance": {"scenario": "default", "seed": 1, "count": 100000}}`))                // generated
	f.Add([]byte(`{"patterns": [{"field": 1, "match": [], "recordids": {}}]}`))                         // wrong types
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseManifest("corpus.json", data)
		if err != nil {
			if !errors.Is(err, ErrManifest) {
				t.Fatalf("parseManifest(%q) = %v; not ErrManifest", data, err)
			}
			return
		}
		compilePatterns(m.Patterns) // must not panic on anything parseManifest accepted
	})
}
