package pipeline

import (
	"errors"
	"strings"
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
		off := valueOffset(doc, tc.path...)
		got := ""
		if off >= 0 {
			got = string(doc[off:])[:len(tc.want)]
		}
		if got != tc.want {
			t.Errorf("valueOffset(%v) = %d (%q); want %q", tc.path, off, got, tc.want)
		}
	}
}

func TestTailOffset(t *testing.T) {
	data := []byte(strings.Repeat("x", 100) + "ERROR" + strings.Repeat("y", 100))
	tail := string(data[100:140]) + "..." + string(data[len(data)-40:])
	if got := tailOffset(data, tail); got != 100 {
		t.Errorf("tailOffset(shortened) = %d; want 100", got)
	}
	if got := tailOffset(data, string(data[150:])); got != 150 {
		t.Errorf("tailOffset(short) = %d; want 150", got)
	}
	if got := tailOffset(data, "not a suffix"); got != len(data) {
		t.Errorf("tailOffset(unknown) = %d; want %d", got, len(data))
	}
	fe := syntaxError("f", []byte("{\n"), 1, errors.New("some other error"))
	if got := fe.Error(); got != "f:2:1: invalid JSON: some other error" {
		t.Errorf("syntaxError without a tail = %q", got)
	}
}
