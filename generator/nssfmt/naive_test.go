package nssfmt_test

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
)

// naiveRenderer is the slow reference renderer the tests and benchmarks compare Program with. It
// rewrites a format into a fmt format string once and renders each record with fmt.Sprintf over
// freshly allocated strings, encoding with strings.Replacer. It re-implements the documented
// rules independently; only the obfuscation hash is shared.
type naiveRenderer struct {
	format  string
	args    []naiveArg
	control *strings.Replacer // bytes <= 0x20, >= 0x7F as %HH, then escape characters as %hh
	plain   *strings.Replacer // escape characters as %hh
}

type naiveArg struct {
	field   nssfmt.Field
	variant nssfmt.Variant
	conv    byte
	url     bool
}

var naiveDirective = regexp.MustCompile(`%%|%([-0]*)(\d*)l{0,2}([sduxX])\{(\w+)\}`)

var naiveLiteral = strings.NewReplacer(`\{`, "{", `\}`, "}", `\\`, `\`, `\t`, "\t", `\n`, "\n", `\r`, "\r", "%", "%%")

// newNaive builds the reference renderer for a format that is known to compile.
func newNaive(src, escape string) *naiveRenderer {
	src = strings.NewReplacer("\r", "", "\n", "").Replace(src)
	r := &naiveRenderer{}
	var b strings.Builder
	last := 0
	for _, m := range naiveDirective.FindAllStringSubmatchIndex(src, -1) {
		b.WriteString(naiveLiteral.Replace(src[last:m[0]]))
		last = m[1]
		if src[m[0]:m[1]] == "%%" {
			b.WriteString("%%")
			continue
		}
		flags, width, conv, name := src[m[2]:m[3]], src[m[4]:m[5]], src[m[6]], src[m[8]:m[9]]
		f, v, ok := nssfmt.Lookup(name)
		if !ok {
			panic("naive: unknown field " + name)
		}
		goConv := conv
		if conv == 'u' {
			goConv = 'd'
		}
		b.WriteString("%" + flags + width + string(goConv))
		switch f.Name() {
		case "url", "host", "referer", "refererhost", "refererpath", "urlpath":
			r.args = append(r.args, naiveArg{f, v, conv, true})
		default:
			r.args = append(r.args, naiveArg{f, v, conv, false})
		}
	}
	b.WriteString(naiveLiteral.Replace(src[last:]))
	r.format = b.String()

	var control, plain []string
	for c := range 256 {
		if c <= 0x20 || c >= 0x7F {
			control = append(control, string([]byte{byte(c)}), fmt.Sprintf("%%%02X", c))
		}
	}
	for i := 0; i < len(escape); i++ {
		pair := []string{escape[i : i+1], fmt.Sprintf("%%%02x", escape[i])}
		control = append(control, pair...) // after the control range: the first pair for a byte wins
		plain = append(plain, pair...)
	}
	r.control = strings.NewReplacer(control...)
	r.plain = strings.NewReplacer(plain...)
	return r
}

// render renders one record.
func (r *naiveRenderer) render(v nssfmt.Values) string {
	args := make([]any, len(r.args))
	for i, a := range r.args {
		text := string(v.AppendText(nil, a.field))
		obfuscated, marker := uint64(0), true
		if a.variant == nssfmt.Obfuscated {
			n, ok := nssfmt.Obfuscate([]byte(text))
			obfuscated, marker = n, !ok
		}
		switch a.conv {
		case 's':
			if a.variant == nssfmt.Obfuscated && !marker {
				text = strconv.FormatUint(obfuscated, 10)
			}
			if a.variant == nssfmt.Base64 {
				text = base64.StdEncoding.EncodeToString([]byte(text))
			}
			if a.variant == nssfmt.Encoded || a.url && a.variant != nssfmt.Base64 {
				text = r.control.Replace(text)
			} else {
				text = r.plain.Replace(text)
			}
			args[i] = text
		case 'd':
			if a.variant == nssfmt.Obfuscated {
				args[i] = int64(obfuscated)
			} else {
				args[i] = v.Number(a.field)
			}
		default:
			if a.variant == nssfmt.Obfuscated {
				args[i] = obfuscated
			} else {
				args[i] = uint64(v.Number(a.field))
			}
		}
	}
	return fmt.Sprintf(r.format, args...)
}

// dirtyValues returns values that exercise every encoding: spaces, control bytes, UTF-8, escape
// characters, percent signs, empty markers and negative numbers.
func dirtyValues() *fieldValues {
	v := benchValues()
	for _, f := range nssfmt.Fields() {
		switch f.Name() {
		case "url":
			v.text[f] = []byte("x.com/a b/ä?q=\"1\",2%20\x00")
		case "host":
			v.text[f] = []byte("bad host\n")
		case "login":
			v.text[f] = []byte("jdoe@safemarch.com")
		case "location":
			v.text[f] = []byte("Road Warrior")
		case "urlfilterrulelabel":
			v.text[f] = []byte("None")
		case "reason":
			v.text[f] = []byte(`Reputation block: a=b, "c"\d`)
		case "ua":
			v.text[f] = []byte("Mozilla/5.0 (Windows NT 10.0; Win64; x64) (KHTML, like Gecko)")
		}
		if f.Numeric() {
			v.num[f] = -int64(f) * 1000003
		}
	}
	return v
}

func TestAgreesWithNaive(t *testing.T) {
	formats := map[string]string{
		"widths":   `[%5d{dd}|%-5d{hh}|%05d{mm}|%x{ss}|%X{dd}|%04x{hh}|%u{mm}|%lu{ss}|%-12s{ehost}|%12s{action}]`,
		"variants": `%s{ehost} %s{eurl} %s{elogin} %s{ologin} %d{ocip} %s{ourlfilterrulelabel} %s{edepartment} %s{eua}`,
		"b64":      `%s{b64ua} %s{b64url} %s{b64host} %-30s{b64login} %s{b64urlfilterrulelabel} %s{b64dept} %s{b64location}`,
		"escapes":  `\{"k":"%s{reason}"\}\t100%%\\\n` + "\n  next=%s{url}\r\n",
	}
	for _, name := range feeds.Names() {
		feed, err := feeds.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		formats["feed="+name] = feed.Format
	}
	valueSets := map[string]*fieldValues{"bench": benchValues(), "dirty": dirtyValues()}
	for fname, src := range formats {
		for _, escape := range []string{"", "=", `,"\`, "\n "} {
			p := nssfmt.MustCompile(src, nssfmt.Options{Escape: escape})
			naive := newNaive(src, escape)
			for vname, v := range valueSets {
				got, want := string(p.Append(nil, v)), naive.render(v)
				if got != want {
					t.Errorf("format %s escape %q values %s:\n got %q\nwant %q", fname, escape, vname, got, want)
				}
			}
		}
	}
}
