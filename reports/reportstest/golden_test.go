package reportstest

import "testing"

func TestFirstDiff(t *testing.T) {
	tests := []struct{ got, want, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nbx\n", "a\nby\n", `2:2: got "x"; want "y"`},
		{"ab", "abc", "1:3: lengths 2 and 3"},
	}
	for _, tt := range tests {
		if d := FirstDiff([]byte(tt.got), []byte(tt.want)); d != tt.diff {
			t.Errorf("FirstDiff(%q, %q) = %q; want %q", tt.got, tt.want, d, tt.diff)
		}
	}
}
