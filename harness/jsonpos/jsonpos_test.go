package jsonpos

import "testing"

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
