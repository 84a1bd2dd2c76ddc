package jsonpos

import (
	"errors"
	"testing"
)

func TestValueOffset(t *testing.T) {
	doc := []byte(`{"a\"b": [1, {"x": "y,]}"}], "rules": [ {"k": [true, null]}, {"k": "v", "n": {"m": -1.5e3}} ], "z": 0}`)
	cases := []struct {
		path []any
		want string // the text at the offset
	}{
		{nil, `{"a\"b"`},
		{[]any{"rules"}, `[ {"k"`},
		{[]any{"rules", 0, "k", 1}, `null]`},
		{[]any{"rules", 1, "n", "m"}, `-1.5e3}`},
		{[]any{"z"}, `0}`},
		{[]any{"rules", 2}, ""},
		{[]any{"missing"}, ""},
		{[]any{"z", "deeper"}, ""},
		{[]any{"rules", "k"}, ""},
	}
	for _, tc := range cases {
		off := ValueOffset(doc, tc.path...)
		got := ""
		if off >= 0 {
			got = string(doc[off:])[:len(tc.want)]
		}
		if got != tc.want {
			t.Errorf("ValueOffset(%v) = %d (%q); want %q", tc.path, off, got, tc.want)
		}
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("{\n  \"a\": 1,\n  \"b\": x\n}")
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1}, {2, 2, 1}, {4, 2, 3}, {-5, 1, 1}, {len(data), 4, 2}, {len(data) + 9, 4, 2},
	} {
		if line, col := LineCol(data, tc.off); line != tc.line || col != tc.col {
			t.Errorf("LineCol(%d) = %d:%d; want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
}

func TestScan(t *testing.T) {
	doc := []byte("{\n  \"pacer\": {\"rate\": 5},\n  \"mix\": {\"alert.foo\": 1, \"x\\\"y\": [true, null]},\n  \"classes\": [{}, {\"set\": {\"reason\": \"a\"}}]\n}")
	x, err := Scan(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		line int
		text string // the text at the value's offset; "" for a path the document lacks
	}{
		{"", 1, "{"},
		{"pacer", 2, `{"rate"`},
		{"pacer.rate", 2, "5}"},
		{`mix["alert.foo"]`, 3, "1,"},
		{`mix["x\"y"][1]`, 3, "null]"},
		{"classes[1].set.reason", 4, `"a"`},
		{"pacer.shape", 2, ""},      // missing: the enclosing object's line
		{"classes[1].set.x", 4, ""}, // idem, deeper
		{"nothing", 1, ""},          // the document's
	} {
		off, ok := x.Offset(tc.path)
		if ok != (tc.text != "") || ok && string(doc[off:off+len(tc.text)]) != tc.text {
			t.Errorf("Offset(%s) = %d, %v; want the text %q", tc.path, off, ok, tc.text)
		}
		if got := x.Line(tc.path); got != tc.line {
			t.Errorf("Line(%s) = %d; want %d", tc.path, got, tc.line)
		}
	}
}

// TestScanAgreesWithValueOffset: the two ways to find a value give the same offset.
func TestScanAgreesWithValueOffset(t *testing.T) {
	doc := []byte(`{"rules": [ {"k": [true, null]}, {"k": "v", "n": {"m": -1.5e3}} ], "z": 0}`)
	x, err := Scan(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		steps []any
	}{
		{"rules[0].k[1]", []any{"rules", 0, "k", 1}},
		{"rules[1].n.m", []any{"rules", 1, "n", "m"}},
		{"z", []any{"z"}},
	} {
		off, _ := x.Offset(tc.path)
		if v := ValueOffset(doc, tc.steps...); v != off {
			t.Errorf("%s: Scan %d, ValueOffset %d", tc.path, off, v)
		}
	}
}

func TestScanSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		doc, msg string
		line     int
	}{
		{"{\n  \"seed\": 1,\n  \"duration\": \"1s\"\n  \"pacer\": {}\n}", "expected ',' or '}' in object", 4},
		{"", "unexpected end of input", 1},
		{`{"a": 1} x`, "unexpected data after the top-level value", 1},
		{"{\"a\": [1,\n 2 3]}", "expected ',' or ']' in array", 2},
		{"{\"a\": \"b\n\"}", "control character in string", 1},
		{"{\"a\": \"b", "unterminated string", 1},
		{"{\"a\":\n -x}", "malformed number", 2},
		{"{\"a\": nul}", "invalid literal, want null", 1},
		{"{\"a\" 1}", `expected ':' after object key "a"`, 1},
		{"{1: 2}", "expected a quoted object key", 1},
		{"{\"a\": @}", `unexpected character '@'`, 1},
	} {
		_, err := Scan([]byte(tc.doc))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Msg != tc.msg {
			t.Errorf("Scan(%q) error %v; want %q", tc.doc, err, tc.msg)
			continue
		}
		if line, _ := LineCol([]byte(tc.doc), se.Offset); line != tc.line {
			t.Errorf("Scan(%q): error at line %d; want %d", tc.doc, line, tc.line)
		}
	}
}

func TestKeyElem(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Key("", "pacer"), "pacer"},
		{Key("pacer", "rate"), "pacer.rate"},
		{Key("mix", "alert.foo"), `mix["alert.foo"]`},
		{Key("mix", "9lives"), `mix["9lives"]`},
		{Key("", ""), `[""]`},
		{Elem(Key("", "classes"), 2), "classes[2]"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s; want %s", tc.got, tc.want)
		}
	}
}
