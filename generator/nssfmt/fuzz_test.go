package nssfmt_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
)

// FuzzCompile checks that Compile never panics, that every error is a *CompileError (or a list of
// them) pointing inside the source, and that a compiled format renders arbitrary values without
// panicking, agreeing with the naive reference renderer.
//
//	go test -run '^$' -fuzz FuzzCompile -fuzztime 1m ./generator/nssfmt/
func FuzzCompile(f *testing.F) {
	// The built-in formats.
	for _, name := range feeds.Names() {
		feed, err := feeds.ByName(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(feed.Format, "", "value")
	}
	// Every token kind, with odd values and escapes.
	f.Add(`%s{ehost} %s{ologin} %d{ocip} %5d{dd} %-5s{action} %04x{hh} %lu{inbytes} %% \{\}\t\n\r\\`, "=", "a b\x00é")
	f.Add("line1=%s{action}\r\nline2=%02d{dd}\n", `,"`, "None")
	f.Add(`%s{b64ua} %-9s{b64url} %d{b64dd}`, "=+/", "fo\xffé")
	// Broken formats.
	f.Add("%s{hots}", "", "")
	f.Add("%s{host", "", "")
	f.Add("%", "", "")
	f.Add(`\`, "", "")
	f.Add("{", "", "")
	f.Add("%999d{dd}", "", "")
	f.Add("%s{ho\nst}", "", "")
	f.Add("", "", "")

	f.Fuzz(func(t *testing.T, src, escape, value string) {
		p, err := nssfmt.Compile(src, nssfmt.Options{Escape: escape})
		if err != nil {
			checkCompileError(t, src, err)
			return
		}
		if p.String() != src {
			t.Fatalf("String() = %q; want %q", p.String(), src)
		}
		seen := map[nssfmt.Field]bool{}
		for _, fld := range p.Fields() {
			if seen[fld] || int(fld) >= nssfmt.NumFields() {
				t.Fatalf("Fields() = %v: duplicate or out of range", p.Fields())
			}
			seen[fld] = true
		}
		v := newFieldValues()
		for i := range v.text {
			v.text[i] = []byte(value)
			v.num[i] = int64(len(value)*7919) - 1000
		}
		got := string(p.Append(nil, v))
		if want := newNaive(src, escape).render(v); got != want && !padsMultibyte(src, value) {
			t.Fatalf("Append = %q; naive reference = %q", got, want)
		}
		// Folding every other field with the values v gives them changes nothing.
		folded := p.Fold(func(f nssfmt.Field) (nssfmt.Constant, bool) {
			return nssfmt.Constant{Text: v.text[f], Number: v.num[f]}, f%2 == 0
		})
		if fgot := string(folded.Append(nil, v)); fgot != got {
			t.Fatalf("folded Append = %q; unfolded = %q", fgot, got)
		}
	})
}

// checkCompileError checks that err is made of *CompileErrors located inside src.
func checkCompileError(t *testing.T, src string, err error) {
	t.Helper()
	var list nssfmt.ErrorList
	if !errors.As(err, &list) {
		var ce *nssfmt.CompileError
		if !errors.As(err, &ce) {
			t.Fatalf("Compile(%q) error %T %v; want *CompileError or ErrorList", src, err, err)
		}
		list = nssfmt.ErrorList{ce}
	}
	lines := strings.Split(src, "\n")
	for _, ce := range list {
		if ce.Line < 1 || ce.Line > len(lines) || ce.Column < 1 || ce.Column > len(lines[ce.Line-1])+1 {
			t.Fatalf("Compile(%q) error at line %d col %d: outside the source", src, ce.Line, ce.Column)
		}
		if ce.Msg == "" || !strings.HasPrefix(ce.Error(), "nssfmt: line ") {
			t.Fatalf("Compile(%q) error %q: want a located message", src, ce.Error())
		}
	}
}

// padsMultibyte reports whether a string width may meet a value with multi-byte UTF-8, where
// Program pads by bytes and fmt by runes; the reference does not apply then.
func padsMultibyte(src, value string) bool {
	for _, r := range value {
		if r >= 0x80 {
			return strings.ContainsAny(src, "0123456789")
		}
	}
	return false
}
