package nssfmt_test

import (
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

// TestBind: a bound program reads the bound fields from their slots at each Append, and renders the
// directives it does not bind (widths, variants, %s of a number) through the Values as before.
func TestBind(t *testing.T) {
	p := nssfmt.MustCompile("act=%s{action} spt=%d{csport} [%6d{csport}] %s{ologin} %s{login} n=%s{csport} dpt=%d{cdport} t=%02d{csport}", nssfmt.Options{})
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
		{"Allow", "y", -42}, {"Allow", "y", 9}, {"Allow", "y", 99}, {"Allow", "y", 100}, {"Allow", "z", 99_999_999}, {"Allow", "z", 100_000_000}, {"Allow", "z", 7123456789012345678}} {
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

// TestBindBlockCopies: Append copies literals and slot values in 32-byte blocks into a room it keeps
// ahead; the bytes are exact for values of every length around the block size, with and without
// capacity beyond them, literals of one, two and three blocks, and a dst with and without room.
func TestBindBlockCopies(t *testing.T) {
	long := "a literal of well over sixty-four bytes, so that it takes three blocks to copy: "
	p := nssfmt.MustCompile("<%s{login}>"+long+"%s{action}|"+long[:40]+"%d{csport}", nssfmt.Options{})
	var login, action []byte
	var csport int64
	bound := p.Bind(func(f nssfmt.Field) (*[]byte, *int64) {
		switch f.Name() {
		case "login":
			return &login, nil
		case "action":
			return &action, nil
		case "csport":
			return nil, &csport
		}
		return nil, nil
	})
	src := []byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
	for n := 0; n <= 70; n++ {
		for _, c := range []int{n, 32, 64, 72} {
			if c < n {
				continue
			}
			login, action, csport = src[:n:c], src[n/2:n:c], int64(n)*1_000_003
			want := string(p.Append(nil, vals(map[string]any{"login": string(login), "action": string(action), "csport": csport})))
			for _, room := range []int{0, 1, 31, 200, 4096} {
				dst := append(make([]byte, 0, 3+room), "pre"...)
				if got := string(bound.Append(dst, nil)); got != "pre"+want {
					t.Fatalf("value length %d, capacity %d, room %d: %q; want %q", n, c, room, got, "pre"+want)
				}
			}
		}
	}
}
