package nssfmt_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

func TestFieldTable(t *testing.T) {
	fields := nssfmt.Fields()
	n := nssfmt.NumFields()
	if len(fields) != n {
		t.Fatalf("len(Fields()) = %d; want NumFields() = %d", len(fields), n)
	}
	seen := map[string]bool{}
	for i, f := range fields {
		name := f.Name()
		if f != nssfmt.Field(i) {
			t.Errorf("Fields()[%d] = %d; want %d", i, f, i)
		}
		if seen[name] {
			t.Errorf("field name %q appears twice", name)
		}
		seen[name] = true
		if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("field name %q: want lower-case letters, digits and _", name)
		}
		if g, ok := nssfmt.FieldByName(name); !ok || g != f {
			t.Errorf("FieldByName(%q) = %d, %v; want %d, true", name, g, ok, f)
		}
		// A field named e+X or o+X would shadow the variant of field X.
		if len(name) > 1 && (name[0] == 'e' || name[0] == 'o') {
			if g, ok := nssfmt.FieldByName(name[1:]); ok {
				t.Errorf("field %q shadows the %c variant of field %q", name, name[0], g.Name())
			}
		}
	}
	if got := nssfmt.Field(n).Name(); got != "field("+strconv.Itoa(n)+")" {
		t.Errorf("out-of-range Field.Name() = %q", got)
	}
	if nssfmt.Field(n).Numeric() {
		t.Errorf("out-of-range Field.Numeric() = true")
	}
}

func TestFieldByName(t *testing.T) {
	tests := []struct {
		name string
		want string // "" = not found
	}{
		{"host", "host"}, {"recordid", "recordid"}, {"epochtime", "epochtime"}, {"eedone", "eedone"},
		{"department", "dept"}, {"yyyy", "yy"}, {"dnsreq", "req"},
		{"ehost", ""}, {"ologin", ""}, {"b64ua", ""}, {"Host", ""}, {"", ""},
	}
	for _, tt := range tests {
		f, ok := nssfmt.FieldByName(tt.name)
		if got := map[bool]string{true: f.Name(), false: ""}[ok]; got != tt.want {
			t.Errorf("FieldByName(%q) = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name    string
		field   string // "" = not found
		variant nssfmt.Variant
	}{
		{"host", "host", nssfmt.Plain},
		{"ehost", "host", nssfmt.Encoded},
		{"eurl", "url", nssfmt.Encoded},
		{"ereferer", "referer", nssfmt.Encoded},
		{"erefererhost", "refererhost", nssfmt.Encoded},
		{"erefererpath", "refererpath", nssfmt.Encoded},
		{"eurlpath", "urlpath", nssfmt.Encoded},
		{"euserlocationname", "userlocationname", nssfmt.Encoded},
		{"erulelabel", "rulelabel", nssfmt.Encoded},
		{"eurlfilterrulelabel", "urlfilterrulelabel", nssfmt.Encoded},
		{"eapprulelabel", "apprulelabel", nssfmt.Encoded},
		{"elogin", "login", nssfmt.Encoded},
		{"edepartment", "dept", nssfmt.Encoded},
		{"elocation", "location", nssfmt.Encoded},
		{"ednsreq", "req", nssfmt.Encoded},
		{"ologin", "login", nssfmt.Obfuscated},
		{"ourlfilterrulelabel", "urlfilterrulelabel", nssfmt.Obfuscated},
		{"odepartment", "dept", nssfmt.Obfuscated},
		{"b64ua", "ua", nssfmt.Base64},
		{"b64url", "url", nssfmt.Base64},
		{"b64dept", "dept", nssfmt.Base64},
		{"b64department", "dept", nssfmt.Base64},
		{"b64zpa_app_seg_name", "zpa_app_seg_name", nssfmt.Base64},
		{"b64", "", nssfmt.Plain},
		{"b64b64ua", "", nssfmt.Plain},
		{"b64eua", "", nssfmt.Plain},
		{"bamd5", "bamd5", nssfmt.Plain},
		{"epochtime", "epochtime", nssfmt.Plain},
		{"eedone", "eedone", nssfmt.Plain},
		{"outbytes", "outbytes", nssfmt.Plain},
		{"error", "error", nssfmt.Plain},
		{"xhost", "", nssfmt.Plain},
		{"eehost", "", nssfmt.Plain},
		{"e", "", nssfmt.Plain},
		{"", "", nssfmt.Plain},
	}
	for _, tt := range tests {
		f, v, ok := nssfmt.Lookup(tt.name)
		got := ""
		if ok {
			got = f.Name()
		}
		if got != tt.field || v != tt.variant {
			t.Errorf("Lookup(%q) = %q, %v, %v; want %q, %v", tt.name, got, v, ok, tt.field, tt.variant)
		}
	}
}

func TestNumeric(t *testing.T) {
	for name, want := range map[string]bool{
		"dd": true, "yy": true, "recordid": true, "inbytes": true, "epochtime": true, "sport": true,
		"mon": false, "host": false, "respcode": false, "action": false,
	} {
		f, _ := nssfmt.FieldByName(name)
		if got := f.Numeric(); got != want {
			t.Errorf("Field(%q).Numeric() = %v; want %v", name, got, want)
		}
	}
}

func TestVariantString(t *testing.T) {
	for v, want := range map[nssfmt.Variant]string{
		nssfmt.Plain: "plain", nssfmt.Encoded: "encoded", nssfmt.Obfuscated: "obfuscated", nssfmt.Base64: "b64", 7: "variant(7)",
	} {
		if got := v.String(); got != want {
			t.Errorf("Variant(%d).String() = %q; want %q", v, got, want)
		}
	}
}
