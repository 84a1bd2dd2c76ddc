package probe

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseSelector: a selector that parses prints back (name{k="v",...}) to one that parses the same.
func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{"x", `x{a="b"}`, `x{a="b", c="d\"e"}`, `x{a=b}`, `{}`, `x{a="}"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := parseSelector(s)
		if err != nil {
			return
		}
		if sel.name == "" {
			t.Fatalf("parseSelector(%q) = %+v with no name", s, sel)
		}
		var b strings.Builder
		b.WriteString(sel.name)
		if len(sel.labels) > 0 {
			b.WriteByte('{')
			for i, l := range sel.labels {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(l[0] + "=" + strconv.Quote(l[1]))
			}
			b.WriteByte('}')
		}
		again, err := parseSelector(b.String())
		if err != nil || again.name != sel.name || !reflect.DeepEqual(again.labels, sel.labels) {
			t.Fatalf("parseSelector(%q) = %+v; printed %q parses to %+v, %v", s, sel, b.String(), again, err)
		}
	})
}
