package output

import (
	"slices"
	"testing"
)

func TestJoinOptional(t *testing.T) {
	isDir := func(s string) bool { return s == "corpus" }
	for _, tt := range []struct{ in, want []string }{
		{[]string{"-json", "corpus"}, []string{"-json", "corpus"}},
		{[]string{"-json", "-junit", "x.xml", "corpus"}, []string{"-json", "-junit", "x.xml", "corpus"}},
		{[]string{"-json", "out.json", "corpus"}, []string{"-json=out.json", "corpus"}},
		{[]string{"--json", "-", "corpus"}, []string{"--json=-", "corpus"}},
		{[]string{"-json=f", "corpus"}, []string{"-json=f", "corpus"}},
		{[]string{"--", "-json", "f"}, []string{"--", "-json", "f"}},
		{[]string{"-other", "f"}, []string{"-other", "f"}},
	} {
		if got := JoinOptional(tt.in, isDir, "json"); !slices.Equal(got, tt.want) {
			t.Errorf("JoinOptional(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	var f FileOrStdout
	for _, tt := range []struct{ set, want string }{{"true", "-"}, {"false", ""}, {"a.json", "a.json"}} {
		if f.Set(tt.set); f.Path != tt.want {
			t.Errorf("Set(%q): Path %q; want %q", tt.set, f.Path, tt.want)
		}
	}
}
