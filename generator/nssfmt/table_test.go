package nssfmt

import (
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
)

// TestBuildTableFeedFields checks that the fields a feed's descriptor declares follow the built-in
// table in feed order, resolve by name with their flags, and that a name the table has is refused.
func TestBuildTableFeedFields(t *testing.T) {
	feeds := []verdict.Descriptor{
		{Name: "web"},
		{Name: "tunnel", Fields: []verdict.NSSField{{Name: "tunneltype"}, {Name: "txbytes", Numeric: true}}},
		{Name: "other", Fields: []verdict.NSSField{{Name: "otherfield"}}},
	}
	tab, names := buildTable(feeds)
	want := []fieldInfo{{"tunneltype", 0}, {"txbytes", fNum}, {"otherfield", 0}}
	if len(tab) != len(builtin)+len(want) {
		t.Fatalf("len(table) = %d; want %d built-in + %d declared", len(tab), len(builtin), len(want))
	}
	for i, w := range want {
		f := Field(len(builtin) + i)
		if tab[f] != w {
			t.Errorf("table[%d] = %+v; want %+v", f, tab[f], w)
		}
		if got, ok := names[w.name]; !ok || got != f {
			t.Errorf("names[%q] = %d, %v; want %d, true", w.name, got, ok, f)
		}
	}
	if f, ok := names["department"]; !ok || tab[f].name != "dept" {
		t.Errorf("alias department resolves to %v, %v; want dept", f, ok)
	}

	defer func() {
		if r, _ := recover().(string); !strings.Contains(r, "duplicate field sport") {
			t.Errorf("a declared field the table has: panic %q; want a duplicate field BUG", r)
		}
	}()
	buildTable([]verdict.Descriptor{{Name: "dup", Fields: []verdict.NSSField{{Name: "sport", Numeric: true}}}})
}
