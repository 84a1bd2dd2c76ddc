package nssfmt_test

import (
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

// strictValues fails the test when asked for a field outside allowed: folded fields must not be read.
type strictValues struct {
	t       *testing.T
	v       *fieldValues
	allowed map[nssfmt.Field]bool
}

func (s strictValues) AppendText(dst []byte, f nssfmt.Field) []byte {
	if !s.allowed[f] {
		s.t.Errorf("AppendText(%s) called for a folded field", f.Name())
	}
	return s.v.AppendText(dst, f)
}

func (s strictValues) Number(f nssfmt.Field) int64 {
	if !s.allowed[f] {
		s.t.Errorf("Number(%s) called for a folded field", f.Name())
	}
	return s.v.Number(f)
}

func TestFold(t *testing.T) {
	type kv = map[string]any
	tests := []struct {
		name   string
		src    string
		escape string
		vals   kv
		fold   []string // fields whose values are constant
	}{
		{"header fields", "CEF:0|Zscaler|NSSFWlog|5.7|%s{action}|%s{rulelabel}|3| act=%s{action} src=%s{csip} spt=%d{csport} rule=%s{rulelabel}",
			"", kv{"action": "Allow", "rulelabel": "Default Firewall Filtering Rule", "csip": "10.0.0.1", "csport": 51000}, []string{"action", "rulelabel"}},
		{"fold at the end", "src=%s{csip} act=%s{action}", "", kv{"action": "Drop", "csip": "10.0.0.1"}, []string{"action"}},
		{"fold everything", "%s{action} %d{csport}!", "", kv{"action": "Drop", "csport": 7}, []string{"action", "csport"}},
		{"widths and flags", "[%5d{csport}][%-6s{action}][%04x{csport}][%X{csport}]", "", kv{"action": "Drop", "csport": 255}, []string{"action", "csport"}},
		{"variants", "%s{ehost} %s{ologin} %d{ocip} %s{host}", "", kv{"host": "a b.example", "login": "jdoe@example.com", "cip": "10.1.2.3"}, []string{"host", "login", "cip"}},
		{"feed escapes", `\{"r":"%s{reason}","u":"%s{url}"\}`, `",`, kv{"reason": `say "hi", then`, "url": "x.example/a,b"}, []string{"reason"}},
		{"nothing to fold", "%s{action}", "", kv{"action": "Allow"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := nssfmt.Compile(tc.src, nssfmt.Options{Escape: tc.escape})
			if err != nil {
				t.Fatal(err)
			}
			v := vals(tc.vals)
			constant := map[nssfmt.Field]bool{}
			for _, name := range tc.fold {
				f, _ := nssfmt.FieldByName(name)
				constant[f] = true
			}
			folded := p.Fold(func(f nssfmt.Field) (nssfmt.Constant, bool) {
				return nssfmt.Constant{Text: v.text[f], Number: v.num[f]}, constant[f]
			})
			allowed := map[nssfmt.Field]bool{}
			for _, f := range p.Fields() {
				allowed[f] = !constant[f]
			}
			want := string(p.Append(nil, v))
			if got := string(folded.Append(nil, strictValues{t, v, allowed})); got != want {
				t.Errorf("folded Append = %q; want %q", got, want)
			}
			if folded.String() != p.String() || len(folded.Fields()) != len(p.Fields()) {
				t.Errorf("folded program reports source %q and %d fields; want the original's", folded.String(), len(folded.Fields()))
			}
		})
	}
}
