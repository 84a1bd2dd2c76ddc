package nssfmt_test

import (
	"encoding/base64"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

func TestAppend(t *testing.T) {
	type kv = map[string]any
	tests := []struct {
		name   string
		src    string
		escape string
		vals   kv
		want   string
	}{
		// Literals and escapes.
		{"literal", "CEF:0|Zscaler|", "", nil, "CEF:0|Zscaler|"},
		{"percent", "100%% sure", "", nil, "100% sure"},
		{"braces", `\{"a":1\}`, "", nil, `{"a":1}`},
		{"backslash", `a\\b`, "", nil, `a\b`},
		{"tab newline cr", `a\tb\nc\rd`, "", nil, "a\tb\nc\rd"},
		{"raw tab kept", "a\tb", "", nil, "a\tb"},

		// Line layout: raw line breaks are dropped, \n prints one.
		{"multi-line LF", "act=%s{action}\n name=%s{reason}", "", kv{"action": "Drop", "reason": "R"}, "act=Drop name=R"},
		{"multi-line CRLF", "a\r\nb\r\n", "", nil, "ab"},
		{"escaped newline", `%s{action}\n`, "", kv{"action": "Allow"}, "Allow\n"},
		{"json across lines", "\\{\n  \"act\":\"%s{action}\",\n  \"n\":%d{dd}\n\\}", "", kv{"action": "Allow", "dd": 7}, `{  "act":"Allow",  "n":7}`},

		// %s and %d.
		{"text", "%s{reason}", "", kv{"reason": "Not allowed to browse this category"}, "Not allowed to browse this category"},
		{"decimal", "%d{respsize}", "", kv{"respsize": 796584}, "796584"},
		{"negative", "%d{respsize}", "", kv{"respsize": -3}, "-3"},
		{"min int64", "%d{respsize}", "", kv{"respsize": int64(math.MinInt64)}, "-9223372036854775808"},
		{"%02d pads", "%02d{dd}", "", kv{"dd": 5}, "05"},
		{"%02d wide value", "%02d{dd}", "", kv{"dd": 123}, "123"},
		{"%04d{yyyy}", "%04d{yyyy}", "", kv{"yy": 987}, "0987"},
		{"%5d", "[%5d{dd}]", "", kv{"dd": 42}, "[   42]"},
		{"%-5d", "[%-5d{dd}]", "", kv{"dd": 42}, "[42   ]"},
		{"%-05d ignores 0", "[%-05d{dd}]", "", kv{"dd": 42}, "[42   ]"},
		{"%05d negative", "%05d{dd}", "", kv{"dd": -42}, "-0042"},
		{"%5d negative", "[%5d{dd}]", "", kv{"dd": -42}, "[  -42]"},
		{"%ld", "%ld{inbytes}", "", kv{"inbytes": 1 << 40}, "1099511627776"},
		{"%lu negative", "%lu{inbytes}", "", kv{"inbytes": -1}, "18446744073709551615"},
		{"%llu", "%llu{recordid}", "", kv{"recordid": 7379073205867184130}, "7379073205867184130"},
		{"%u", "%u{dd}", "", kv{"dd": 9}, "9"},
		{"%x", "%x{dd}", "", kv{"dd": 255}, "ff"},
		{"%X", "%X{dd}", "", kv{"dd": 255}, "FF"},
		{"%04x", "%04x{dd}", "", kv{"dd": 255}, "00ff"},
		{"%x negative", "%x{dd}", "", kv{"dd": -1}, "ffffffffffffffff"},
		{"%10s", "[%10s{action}]", "", kv{"action": "Allow"}, "[     Allow]"},
		{"%-10s", "[%-10s{action}]", "", kv{"action": "Allow"}, "[Allow     ]"},
		{"%3s narrower than value", "[%3s{action}]", "", kv{"action": "Allow"}, "[Allow]"},
		{"%s of a number field", "%s{dd}", "", kv{"dd": 3}, "3"},

		// Encoded variants: bytes <= 0x20 and >= 0x7F become %HH, upper-case.
		{"ehost", "%s{ehost}", "", kv{"host": "a b\x01\x7f"}, "a%20b%01%7F"},
		{"eurl utf-8", "%s{eurl}", "", kv{"url": "café.fr/ä"}, "caf%C3%A9.fr/%C3%A4"},
		{"eurl keeps %", "%s{eurl}", "", kv{"url": "x.com/a%20b?q=1&r=2"}, "x.com/a%20b?q=1&r=2"},
		{"elogin", "%s{elogin}", "", kv{"login": "jdoe@safemarch.com"}, "jdoe@safemarch.com"},
		{"elocation", "%s{elocation}", "", kv{"location": "Road Warrior"}, "Road%20Warrior"},
		{"edepartment is dept", "%s{edepartment}", "", kv{"dept": "Default Department"}, "Default%20Department"},
		{"ednsreq is req", "%s{ednsreq}", "", kv{"req": "a b.com"}, "a%20b.com"},
		{"eua", "%s{eua}", "", kv{"ua": "Mozilla/5.0 (Windows NT 10.0; Win64)"}, "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64)"},
		{"encoded then padded", "[%-12s{ehost}]", "", kv{"host": "a b"}, "[a%20b       ]"},
		{"encoded number prints number", "%d{edd}", "", kv{"dd": 4}, "4"},

		// URL, host and referer fields are encoded in plain form too; other fields are not.
		{"plain url", "%s{url}", "", kv{"url": "x.com/a b"}, "x.com/a%20b"},
		{"plain host", "%s{host}", "", kv{"host": "a\nb"}, "a%0Ab"},
		{"plain referer", "%s{referer}", "", kv{"referer": "r.com/ x"}, "r.com/%20x"},
		{"plain login", "%s{login}", "", kv{"login": "a b\n"}, "a b\n"},

		// Feed escape characters: %hh, lower-case, in every string value, never in literals.
		{"escape =", "k=%s{reason} n=%d{dd}", "=", kv{"reason": "a=b", "dd": 1}, "k=a%3db n=1"},
		{"escape json", `"x":"%s{reason}"`, `,"\`, kv{"reason": `a,"b\c`}, `"x":"a%2c%22b%5cc"`},
		{"escape lower-case hex", "%s{reason}", ":", kv{"reason": "a:b"}, "a%3ab"},
		{"escape control in plain field", "%s{reason}", "\n", kv{"reason": "a\nb"}, "a%0ab"},
		{"escape control in url field", "%s{url}", "\n", kv{"url": "a\nb"}, "a%0Ab"},
		{"escape and control in ehost", "%s{ehost}", ",", kv{"host": "a, b"}, "a%2c%20b"},
		{"escape counts toward width", "[%6s{reason}]", "=", kv{"reason": "="}, "[   %3d]"},

		// Obfuscated variants: a stable number; empty markers unchanged.
		{"ologin", "%s{ologin}", "", kv{"login": "jdoe@safemarch.com"}, "4386973150"},
		{"ologin again", "%s{ologin} %s{ologin}", "", kv{"login": "jdoe@safemarch.com"}, "4386973150 4386973150"},
		{"ourlfilterrulelabel None", "%s{ourlfilterrulelabel}", "", kv{"urlfilterrulelabel": "None"}, "None"},
		{"o marker NA", "%s{odevicehostname}", "", kv{"devicehostname": "NA"}, "NA"},
		{"o marker N/A", "%s{odevicehostname}", "", kv{"devicehostname": "N/A"}, "N/A"},
		{"o marker empty", "[%s{odevicehostname}]", "", kv{"devicehostname": ""}, "[]"},
		{"%d{ocip}", "%d{ocip}", "", kv{"cip": "10.1.2.3"}, "6649165853"},
		{"%d{ocip} of None", "%d{ocip}", "", kv{"cip": "None"}, "0"},
		{"%012d{ocip}", "%012d{ocip}", "", kv{"cip": "10.1.2.3"}, "006649165853"},

		// Base64 variants: RFC 4648 standard alphabet with = padding, of the raw value.
		{"b64 empty", "[%s{b64ua}]", "", kv{"ua": ""}, "[]"},
		{"b64 one byte pads ==", "%s{b64ua}", "", kv{"ua": "f"}, "Zg=="},
		{"b64 two bytes pad =", "%s{b64ua}", "", kv{"ua": "fo"}, "Zm8="},
		{"b64 three bytes no pad", "%s{b64ua}", "", kv{"ua": "foo"}, "Zm9v"},
		{"b64 rfc 4648 foobar", "%s{b64ua}", "", kv{"ua": "foobar"}, "Zm9vYmFy"},
		{"b64ua sample", "%s{b64ua}", "", kv{"ua": "curl/7.68.0"}, "Y3VybC83LjY4LjA="},
		{"b64 standard alphabet + /", "%s{b64filename}", "", kv{"filename": "\xfb\xff\xbf"}, "+/+/"},
		{"b64 control and utf-8 bytes", "%s{b64threatname}", "", kv{"threatname": "a b\x01\xff"}, "YSBiAf8="},
		{"b64url of the raw url", "%s{b64url}", "", kv{"url": "x.com/a b"}, "eC5jb20vYSBi"},
		{"b64dept is dept", "%s{b64dept}", "", kv{"dept": "Default Department"}, "RGVmYXVsdCBEZXBhcnRtZW50"},
		{"b64department alias", "%s{b64department}", "", kv{"dept": "Sales"}, "U2FsZXM="},
		{"b64 marker encoded", "%s{b64urlfilterrulelabel}", "", kv{"urlfilterrulelabel": "None"}, "Tm9uZQ=="},
		{"b64 then escape", "%s{b64login}", "=", kv{"login": "jdoe"}, "amRvZQ%3d%3d"},
		{"b64 then padded", "[%-10s{b64host}]", "", kv{"host": "ab"}, "[YWI=      ]"},
		{"b64 twice in a record", "%s{b64ua}|%s{ua}|%s{b64ua}", "", kv{"ua": "fo"}, "Zm8=|fo|Zm8="},
		{"b64 number prints number", "%d{b64dd}", "", kv{"dd": 4}, "4"},

		// Names that start with e or o but are fields.
		{"epochtime", "%d{epochtime}", "", kv{"epochtime": 1578128400}, "1578128400"},
		{"eedone", "%s{eedone}", "", kv{"eedone": "Yes"}, "Yes"},
		{"outbytes", "%ld{outbytes}", "", kv{"outbytes": 4134}, "4134"},
		{"external_devid", "%s{external_devid}", "", kv{"external_devid": "1234"}, "1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := nssfmt.Compile(tt.src, nssfmt.Options{Escape: tt.escape})
			if err != nil {
				t.Fatalf("Compile(%q) error: %v", tt.src, err)
			}
			prefix := []byte("prefix|")
			got := p.Append(prefix, vals(tt.vals))
			if !strings.HasPrefix(string(got), "prefix|") {
				t.Fatalf("Append(%q) clobbered dst: %q", tt.src, got)
			}
			if got := string(got[len(prefix):]); got != tt.want {
				t.Errorf("Append(%q) = %q; want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
		token     string
		msg       string // substring of Msg
		suggest   []string
	}{
		{"unknown field", "%s{hots}", 1, 4, "hots", `unknown field "hots"`, []string{"host", "ehost"}},
		{"unknown field on line 2", "abc\n  %s{hots}", 2, 6, "hots", "unknown field", []string{"host", "ehost"}},
		{"unknown field after CRLF", "a\r\n%d{rcordid}", 2, 4, "rcordid", "unknown field", []string{"recordid"}},
		{"case", "%s{Host}", 1, 4, "Host", "unknown field", []string{"host", "ehost"}},
		{"unknown e variant", "%s{ehots}", 1, 4, "ehots", "unknown field", []string{"ehost", "host"}},
		{"no suggestion", "%s{zzzzzzzz}", 1, 4, "zzzzzzzz", "unknown field", nil},
		{"unknown conversion", "a %q{host}", 1, 3, "%q", "unknown conversion", nil},
		{"unknown conversion utf-8", "%é{host}", 1, 1, "%é", "unknown conversion", nil},
		{"missing name", "%s host", 1, 1, "%s", "missing {field}", nil},
		{"empty name", "x%d{}", 1, 2, "%d{}", "empty field name", nil},
		{"unterminated", "%s{host", 1, 1, "%s{host", "unterminated field name", nil},
		{"bad name byte", "%s{ho-st}", 1, 6, "-", "bad character", nil},
		{"newline in name", "%s{ho\nst}", 1, 6, "\n", "bad character", nil},
		{"unescaped {", "a{b", 1, 2, "{", "unescaped '{'", nil},
		{"unescaped }", "\n\n  }", 3, 3, "}", "unescaped '}'", nil},
		{"unknown escape", `a\qb`, 1, 2, `\q`, "unknown escape", nil},
		{"dangling backslash", `ab\`, 1, 3, `\`, "dangling", nil},
		{"trailing percent", "50%", 1, 3, "%", "incomplete directive", nil},
		{"trailing flags", "%-0", 1, 1, "%-0", "incomplete directive", nil},
		{"width too large", "%256d{dd}", 1, 1, "%256", "too large", nil},
		{"huge width", "%99999999999999999999d{dd}", 1, 1, "%99999999999999999999", "too large", nil},
		{"l with s", "%ls{host}", 1, 1, "%ls", "length modifier", nil},
		{"0 with s", "%05s{host}", 1, 1, "%05s", "flag 0", nil},
		{"lll", "%llld{dd}", 1, 1, "%lll", "unknown conversion", nil},
		{"empty", "", 1, 1, "", "empty format", nil},
		{"only line breaks", "\n\r\n", 1, 1, "", "empty format", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := nssfmt.Compile(tt.src, nssfmt.Options{})
			if err == nil {
				t.Fatalf("Compile(%q) = %v; want an error", tt.src, p)
			}
			var ce *nssfmt.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile(%q) error %T %v; want *CompileError", tt.src, err, err)
			}
			if ce.Line != tt.line || ce.Column != tt.col || ce.Token != tt.token {
				t.Errorf("Compile(%q) error at line %d col %d token %q; want line %d col %d token %q",
					tt.src, ce.Line, ce.Column, ce.Token, tt.line, tt.col, tt.token)
			}
			if !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("Compile(%q) error %q; want it to contain %q", tt.src, ce.Msg, tt.msg)
			}
			if !slices.Equal(ce.Suggest, tt.suggest) {
				t.Errorf("Compile(%q) suggestions %q; want %q", tt.src, ce.Suggest, tt.suggest)
			}
		})
	}
}

func TestCompileErrorMessage(t *testing.T) {
	_, err := nssfmt.Compile("act=%s{action}\n dhost=%s{hots}", nssfmt.Options{})
	want := `nssfmt: line 2 col 11: unknown field "hots" (did you mean host, ehost?)`
	if err == nil || err.Error() != want {
		t.Errorf("Compile error = %v; want %s", err, want)
	}
}

func TestCompileErrorList(t *testing.T) {
	// Unknown fields are all reported, up to the first syntax error.
	_, err := nssfmt.Compile("%s{aa1} %s{host} %s{bb2}\n%s{cc3} { %s{dd4}", nssfmt.Options{})
	var list nssfmt.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Compile error %T %v; want ErrorList", err, err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Token)
	}
	if want := []string{"aa1", "bb2", "cc3", "{"}; !slices.Equal(got, want) {
		t.Errorf("ErrorList tokens = %q; want %q", got, want)
	}
	var first *nssfmt.CompileError
	if !errors.As(err, &first) || first.Token != "aa1" {
		t.Errorf("errors.As(ErrorList) = %v; want the first error", first)
	}
	if lines := strings.Count(err.Error(), "\n") + 1; lines != 4 {
		t.Errorf("ErrorList.Error() has %d lines; want 4:\n%v", lines, err)
	}

	// The list stops at 10 problems.
	_, err = nssfmt.Compile(strings.Repeat("%s{nosuchfield} ", 50), nssfmt.Options{})
	if !errors.As(err, &list) || len(list) != 10 {
		t.Errorf("Compile(50 unknown fields) reported %d problems; want 10", len(list))
	}
}

func TestProgramFields(t *testing.T) {
	p := nssfmt.MustCompile("%s{ehost} %s{host} %02d{dd} %s{ologin} %s{login} %s{edepartment} %04d{yyyy} %d{yy}", nssfmt.Options{})
	var got []string
	for _, f := range p.Fields() {
		got = append(got, f.Name())
	}
	if want := []string{"host", "dd", "login", "dept", "yy"}; !slices.Equal(got, want) {
		t.Errorf("Fields() = %q; want %q", got, want)
	}
}

func TestProgramString(t *testing.T) {
	src := "a=%s{action}\n b=%02d{dd}\\n"
	if got := nssfmt.MustCompile(src, nssfmt.Options{}).String(); got != src {
		t.Errorf("String() = %q; want %q", got, src)
	}
}

func TestMustCompilePanics(t *testing.T) {
	defer func() {
		r := recover()
		if s, ok := r.(string); !ok || !strings.HasPrefix(s, "BUG: nssfmt:") {
			t.Errorf("MustCompile(bad) panicked with %v; want a BUG: message", r)
		}
	}()
	nssfmt.MustCompile("%s{nosuchfield}", nssfmt.Options{})
}

func TestCompileErrorQuotesLongTokens(t *testing.T) {
	src := "%s{" + strings.Repeat("x", 500)
	_, err := nssfmt.Compile(src, nssfmt.Options{})
	var ce *nssfmt.CompileError
	if !errors.As(err, &ce) || ce.Token != src {
		t.Fatalf("Compile(long unterminated) error %v; want a CompileError with the whole token", err)
	}
	if len(ce.Msg) > 120 || !strings.Contains(ce.Msg, "…") {
		t.Errorf("Compile(long unterminated) message %q; want the token shortened to head…tail", ce.Msg)
	}
}

// TestBase64RoundTrip renders every documented b64 field of the web page over values of every length
// modulo 3, with every byte value, and decodes the output with encoding/base64's strict standard
// decoder: it must give back the value.
func TestBase64RoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	values := []string{"", "a", "ab", "abc", "jdoe@safemarch.com", "Road Warrior\t\n", "café ä", string(all), string(all[:255]), string(all[:254])}
	for _, name := range b64Fields {
		p := nssfmt.MustCompile("%s{"+name+"}", nssfmt.Options{})
		f, variant, ok := nssfmt.Lookup(name)
		if !ok || variant != nssfmt.Base64 {
			t.Fatalf("Lookup(%q) = %v, %v, %v; want its Base64 variant", name, f, variant, ok)
		}
		for _, value := range values {
			out := p.Append(nil, vals(map[string]any{f.Name(): value}))
			got, err := base64.StdEncoding.Strict().DecodeString(string(out))
			if err != nil {
				t.Fatalf("%s of %q rendered %q, which does not decode: %v", name, value, out, err)
			}
			if string(got) != value {
				t.Errorf("%s of %q rendered %q, which decodes to %q", name, value, out, got)
			}
		}
	}
}

// b64Fields are the web page's "b64 Fields" list (ZHELP nss-feed-output-format-web-logs).
var b64Fields = []string{
	"b64ua", "b64filename", "b64upload_filename", "b64threatname", "b64mobappname", "b64host",
	"b64url", "b64referer", "b64login", "b64location", "b64dept", "b64urlcat", "b64rulelabel",
	"b64urlfilterrulelabel", "b64apprulelabel", "b64dlprulename", "b64rdr_rulename", "b64fwd_gw_name",
	"b64zpa_app_seg_name", "b64userlocationname",
}
