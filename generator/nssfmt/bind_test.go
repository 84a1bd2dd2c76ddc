package nssfmt_test

import (
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

// TestBind: a bound program reads the bound fields from their slots at each Append, and renders the
// directives it does not bind (widths, variants, %s of a number) through the Values as before.
func TestBind(t *testing.T) {
	p := nssfmt.MustCompile("act=%s{action} spt=%d{csport} [%6d{csport}] %s{ologin} %s{login} n=%s{csport} dpt=%d{cdport}", nssfmt.Options{})
	var action, login []byte
	var csport int64
	bound := p.Bind(func(f nssfmt.Field) (*[]byte, *int64) {
		switch f.Name() {
		case "action":
			return &action, nil
		case "login":
			return &login, nil
		case "csport":
			return nil, &csport
		}
		return nil, nil
	})
	for _, r := range []struct {
		action, login string
		csport        int64
	}{{"Allow", "jdoe@example.com", 51000}, {"Drop", "a.b@example.org", 7}, {"Drop", "x", 0},
		{"Allow", "y", -42}, {"Allow", "z", 99_999_999}, {"Allow", "z", 100_000_000}, {"Allow", "z", 7123456789012345678}} {
		v := vals(map[string]any{"action": r.action, "login": r.login, "csport": r.csport, "cdport": 443})
		action, login, csport = []byte(r.action), []byte(r.login), r.csport
		want := string(p.Append(nil, v))
		for _, dst := range [][]byte{nil, make([]byte, 0, 1024)} { // with and without room to spare
			if got := string(bound.Append(dst, v)); got != want {
				t.Errorf("bound Append = %q; want %q", got, want)
			}
		}
		// The slots, not the Values, give the bound directives: action is read only from its slot
		// (login and csport also through directives that are not bound).
		stale := vals(map[string]any{"action": "Stale", "login": r.login, "csport": r.csport, "cdport": 443})
		if got := string(bound.Append(nil, strictValues{t, stale, map[nssfmt.Field]bool{
			field("login"): true, field("csport"): true, field("cdport"): true}})); got != want {
			t.Errorf("bound Append with stale Values = %q; want %q", got, want)
		}
	}
}

func field(name string) nssfmt.Field {
	f, ok := nssfmt.FieldByName(name)
	if !ok {
		panic("test: unknown field " + name)
	}
	return f
}
