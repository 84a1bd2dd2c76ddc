package collector

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSplitBatch(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		err  int // offset of the expected *batchError; -1 for none
	}{
		// happy
		{"empty", "", nil, -1},
		{"whitespace", " \r\n\t", nil, -1},
		{"empty-array", " [ ] \n", nil, -1},
		{"array", `[{"a":1},{"b":"x"}]`, []string{`{"a":1}`, `{"b":"x"}`}, -1},
		{"ndjson", "{\"a\":1}\n{\"b\":2}\r\n", []string{`{"a":1}`, `{"b":2}`}, -1},
		{"concatenated", `{"a":1}{"b":2}`, []string{`{"a":1}`, `{"b":2}`}, -1},
		{"braces-in-strings", `[{"s":"{[\"]}\\"},{"t":"\\\\"}]`, []string{`{"s":"{[\"]}\\"}`, `{"t":"\\\\"}`}, -1},
		{"empty-object", `[{}]`, []string{`{}`}, -1},
		// sad
		{"unterminated-array", `[{"a":1}`, nil, 8},
		{"unterminated-array-comma", `[{"a":1},`, nil, 9},
		{"unterminated-object", `[{"a":1`, nil, 1},
		{"unterminated-string", `{"a":"1}`, nil, 5},
		{"number-element", `[1]`, nil, 1},
		{"string-top-level", `"x"`, nil, 0},
		{"bad-separator", `[{"a":1};{"b":2}]`, nil, 8},
		{"data-after-array", `[{"a":1}]{"b":2}`, nil, 9},
		{"trailing-comma", `[{"a":1},]`, nil, 9},
		{"invalid-value", `{"a":tru}`, nil, 0},
		{"control-char", "{\"a\":\"x\x01\\n\"}", nil, 7},
		{"bad-escape", `{"a":"\x"}`, nil, 0},
		{"mismatched", `{"a":[1}]`, nil, 0},
		{"too-deep", strings.Repeat("[", 1) + strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65) + "]", nil, 1 + 5*64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spans, err := splitBatch(nil, []byte(tc.in), 0)
			var be *batchError
			if tc.err >= 0 {
				if !errors.As(err, &be) || be.Offset != tc.err {
					t.Fatalf("splitBatch(%q) error = %v; want a *batchError at byte %d", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("splitBatch(%q) error = %v", tc.in, err)
			}
			var got []string
			for _, s := range spans {
				got = append(got, tc.in[s.start:s.end])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("splitBatch(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzSplitBatch: any body gives objects or a *batchError, never a panic; accepted objects are valid
// JSON objects (by encoding/json, a second implementation), in order, not overlapping, and separated
// only by whitespace, commas and the array's brackets.
func FuzzSplitBatch(f *testing.F) {
	for _, s := range []string{
		`[{"a":1},{"b":"x"}]`,           // array notation
		"{\"a\":1}\n{\"b\":2}\n",        // NDJSON
		`[{"s":"{[\"]}\\"}]`,            // brackets and escapes in strings
		`[{"a":1},]`,                    // trailing comma
		`{"a":"\u00e9\ud83d\ude00"}`,    // unicode escapes
		`[{"a":[[[[[[[[[[1]]]]]]]]]]}]`, // nesting
		"\xef\xbb\xbf{}",                // BOM: rejected
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		spans, err := splitBatch(nil, body, 0)
		if err != nil {
			var be *batchError
			if !errors.As(err, &be) || be.Offset < 0 || be.Offset > len(body) {
				t.Fatalf("splitBatch(%q) error = %v; want a *batchError within the body", body, err)
			}
			return
		}
		prev := 0
		for _, s := range spans {
			obj := body[s.start:s.end]
			var m map[string]any
			if json.Unmarshal(obj, &m) != nil && json.Valid(obj) {
				t.Fatalf("splitBatch(%q) accepted %q, valid JSON but not an object", body, obj)
			}
			if !json.Valid(obj) {
				t.Fatalf("splitBatch(%q) accepted %q, which encoding/json rejects", body, obj)
			}
			for _, c := range body[prev:s.start] {
				if !strings.ContainsRune(" \t\r\n,[]", rune(c)) {
					t.Fatalf("splitBatch(%q) skipped %q between objects", body, body[prev:s.start])
				}
			}
			prev = s.end
		}
	})
}
