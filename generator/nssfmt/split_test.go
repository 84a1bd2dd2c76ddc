package nssfmt_test

import (
	"slices"
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

func TestSplit(t *testing.T) {
	v := vals(map[string]any{"mon": "Jun", "dd": 4, "hh": 2, "mm": 52, "ss": 44, "action": "Allow", "csport": 51000})
	tests := []struct {
		name, src  string
		head, tail []string // the fields each part reads
	}{
		{"syslog header", "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} fw act=%s{action} spt=%d{csport} ss=%d{ss}",
			[]string{"mon", "dd", "hh", "mm", "ss"}, []string{"action", "csport", "ss"}},
		{"no lead field first", "act=%s{action} %s{mon}", nil, []string{"action", "mon"}},
		{"only lead fields", "[%s{mon}-%5d{dd}]", []string{"mon", "dd"}, nil},
		{"literal only", "just text", nil, nil},
		{"JSON", `\{"t":"%d{hh}:%02d{mm}","a":"%s{action}"\}`, []string{"hh", "mm"}, []string{"action"}},
	}
	lead := map[string]bool{"mon": true, "dd": true, "hh": true, "mm": true, "ss": true}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := nssfmt.MustCompile(tc.src, nssfmt.Options{})
			head, tail := p.Split(func(f nssfmt.Field) bool { return lead[f.Name()] })
			want := string(p.Append(nil, v))
			if got := string(tail.Append(head.Append(nil, v), v)); got != want {
				t.Errorf("head + tail = %q; want %q", got, want)
			}
			if got := names(head.Fields()); !slices.Equal(got, tc.head) {
				t.Errorf("head reads %q; want %q", got, tc.head)
			}
			if got := names(tail.Fields()); !slices.Equal(got, tc.tail) {
				t.Errorf("tail reads %q; want %q", got, tc.tail)
			}
			if got := string(p.Append(nil, v)); got != want {
				t.Errorf("p renders %q after Split; want %q", got, want)
			}
		})
	}
}

func names(fs []nssfmt.Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name())
	}
	return out
}
