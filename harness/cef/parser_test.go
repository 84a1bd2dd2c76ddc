package cef

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/cef/ceftest"
)

// header is a Record's header as strings, for comparisons.
type header struct {
	Prefix, Version, Vendor, Product, DeviceVersion, SignatureID, Name, Severity, Extension string
}

func headerOf(r *Record) header {
	return header{string(r.Prefix), string(r.Version), string(r.Vendor), string(r.Product),
		string(r.DeviceVersion), string(r.SignatureID), string(r.Name), string(r.Severity), string(r.Extension)}
}

// outcome is what Parse should report in one mode: no error (kind 0) or a kind at a column.
type outcome struct {
	kind ErrorKind
	col  int
}

type parseCase struct {
	name   string
	line   string
	hdr    header   // expected header when the header is readable
	pairs  []string // expected "key=value" pairs when the extension splits
	err    outcome  // expected in both modes
	strict *outcome // overrides err in strict mode
}

var parseCases = []struct {
	group string
	cases []parseCase
}{
	{"happy", []parseCase{
		{name: "no prefix",
			line:  "CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow src=10.0.0.1",
			hdr:   header{"", "0", "Zscaler", "NSSFWlog", "5.7", "Allow", "RDP Allow", "3", " act=Allow src=10.0.0.1"},
			pairs: []string{"act=Allow", "src=10.0.0.1"}},
		{name: "PRI only",
			line:  "<134>CEF:0|V|P|1|sig|n|3|a=b",
			hdr:   header{"<134>", "0", "V", "P", "1", "sig", "n", "3", "a=b"},
			pairs: []string{"a=b"}},
		{name: "RFC 3164 prefix as NSS writes it",
			line:  "Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed",
			hdr:   header{"Jun 11 02:52:44 zscaler-nss", "0", "Zscaler", "NSSWeblog", "5.7", "Allowed", "Allowed", "3", "act=Allowed"},
			pairs: []string{"act=Allowed"}},
		{name: "PRI and RFC 3164 prefix with tag colon",
			line:  "<134>Jun  1 02:52:44 host nss: CEF:0|V|P|1|s|n|3|k=v",
			hdr:   header{"<134>Jun  1 02:52:44 host nss:", "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "RFC 5424 header without structured data",
			line:  "<134>1 2024-06-11T02:52:44Z host app - - - CEF:0|V|P|1|s|n|3|k=v",
			hdr:   header{"<134>1 2024-06-11T02:52:44Z host app - - -", "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "RFC 5424 header with structured data",
			line:  `<134>1 2024-06-11T02:52:44.1+02:00 host app 77 ID47 [ex@32473 iut="3" x="CEF:"] CEF:0|V|P|1|s|n|3|k=v`,
			hdr:   header{`<134>1 2024-06-11T02:52:44.1+02:00 host app 77 ID47 [ex@32473 iut="3" x="CEF:"]`, "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "CEF: inside a host name is not the signature",
			line: "myCEF:host CEF:0|V|P|1|s|n|3|",
			hdr:  header{"myCEF:host", "0", "V", "P", "1", "s", "n", "3", ""}},
		{name: "signature glued to a host name (beats reads it so)",
			line:  "Jun 11 02:52:44 zscaler-nssCEF:0|V|P|1|s|n|3|k=v",
			hdr:   header{"Jun 11 02:52:44 zscaler-nss", "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "signature glued to a word",
			line: "xCEF:0|V|P|1|s|n|3|",
			hdr:  header{"x", "0", "V", "P", "1", "s", "n", "3", ""}},
		{name: "empty extension",
			line: "CEF:0|V|P|1|s|n|3|",
			hdr:  header{"", "0", "V", "P", "1", "s", "n", "3", ""}},
		{name: "blank extension",
			line: "CEF:0|V|P|1|s|n|3|   ",
			hdr:  header{"", "0", "V", "P", "1", "s", "n", "3", "   "}},
		{name: "empty header fields",
			line:  "CEF:0||||||| k=",
			hdr:   header{"", "0", "", "", "", "", "", "", " k="},
			pairs: []string{"k="}},
		{name: "header escapes",
			line:  `CEF:0|V\|x|P\\y|1|s|a \| b \\ c|3|k=v`,
			hdr:   header{"", "0", "V|x", `P\y`, "1", "s", `a | b \ c`, "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "equals sign in header needs no escape",
			line:  "CEF:0|V|P|1|s|a = b|3|k=v",
			hdr:   header{"", "0", "V", "P", "1", "s", "a = b", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "values with spaces, trailing spaces and an empty value",
			line:  "CEF:0|V|P|1|s|n|3|msg=hello world  rt=Jun 11 2024 02:52:44 empty= last=x  ",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "msg=hello world  rt=Jun 11 2024 02:52:44 empty= last=x  "},
			pairs: []string{"msg=hello world ", "rt=Jun 11 2024 02:52:44", "empty=", "last=x"}},
		{name: "value escapes",
			line:  `CEF:0|V|P|1|s|n|3|a=x\=y b=C:\\dir c=l1\nl2\r d=\\`,
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", `a=x\=y b=C:\\dir c=l1\nl2\r d=\\`},
			pairs: []string{"a=x=y", `b=C:\dir`, "c=l1\nl2\r", `d=\`}},
		{name: "key characters",
			line:  "CEF:0|V|P|1|s|n|3|cs6label=a flexString1Label=b ad.Key[0]=c x_y.z=d",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "cs6label=a flexString1Label=b ad.Key[0]=c x_y.z=d"},
			pairs: []string{"cs6label=a", "flexString1Label=b", "ad.Key[0]=c", "x_y.z=d"}},
		{name: "key with a comma (ArcSight's ad.Error_,Code)",
			line:  "CEF:0|Microsoft|Windows|1|4625|Logon failed|5|msg=An account failed to log on ad.Error_,Code=3221225578 src=10.0.0.1",
			hdr:   header{"", "0", "Microsoft", "Windows", "1", "4625", "Logon failed", "5", "msg=An account failed to log on ad.Error_,Code=3221225578 src=10.0.0.1"},
			pairs: []string{"msg=An account failed to log on", "ad.Error_,Code=3221225578", "src=10.0.0.1"}},
		{name: "version 1",
			line:  "<134>CEF:1|V|P|1|s|n|3|k=v",
			hdr:   header{"<134>", "1", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "version 26",
			line: "CEF:26|V|P|1|s|n|3|",
			hdr:  header{"", "26", "V", "P", "1", "s", "n", "3", ""}},
		{name: "signature after a tag colon",
			line:  "host nss:CEF:0|V|P|1|s|n|3|k=v",
			hdr:   header{"host nss:", "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "signature after a quote (flex connectors)",
			line:  `"CEF:0|V|P|1|s|n|3|k=v`,
			hdr:   header{`"`, "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "a CEF: without a version before the signature is prefix",
			line:  "CEF:x| CEF:0|V|P|1|s|n|3|k=v",
			hdr:   header{"CEF:x|", "0", "V", "P", "1", "s", "n", "3", "k=v"},
			pairs: []string{"k=v"}},
		{name: "pipe in extension needs no escape",
			line:  "CEF:0|V|P|1|s|n|3|act=blocked a | dst=1.1.1.1",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "act=blocked a | dst=1.1.1.1"},
			pairs: []string{"act=blocked a |", "dst=1.1.1.1"}},
		{name: "non-ASCII UTF-8",
			line:  "CEF:0|Vendör|P|1|s|Zürich ✓|3|city=Zürich",
			hdr:   header{"", "0", "Vendör", "P", "1", "s", "Zürich ✓", "3", "city=Zürich"},
			pairs: []string{"city=Zürich"}},
	}},
	{"extension rules (rev 27)", []parseCase{
		{name: "all spaces but the last before a key belong to the prior value",
			line:  "CEF:0|V|P|1|s|n|3|a=x   b=y",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "a=x   b=y"},
			pairs: []string{"a=x  ", "b=y"}},
		{name: "spaces after a value before a key make a space value",
			line:  "CEF:0|V|P|1|s|n|3|a=  b=1",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "a=  b=1"},
			pairs: []string{"a= ", "b=1"}},
		{name: "the final value loses trailing whitespace, a tab too",
			line:  "CEF:0|V|P|1|s|n|3|msg=Trailing whitespace preserved\t \t src=10.0.0.192 \t ",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "msg=Trailing whitespace preserved\t \t src=10.0.0.192 \t "},
			pairs: []string{"msg=Trailing whitespace preserved\t \t", "src=10.0.0.192"}},
		{name: "empty values",
			line:  "CEF:0|V|P|1|s|n|3|a= b= c=",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "a= b= c="},
			pairs: []string{"a=", "b=", "c="}},
		{name: "a tab inside a value is kept",
			line:  "CEF:0|V|P|1|s|n|3|msg=a\tb \tc d=e",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "msg=a\tb \tc d=e"},
			pairs: []string{"msg=a\tb \tc", "d=e"}},
		{name: "a tab then a space before a key stays in the value",
			line:  "CEF:0|V|P|1|s|n|3|a=x\t b=y",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "a=x\t b=y"},
			pairs: []string{"a=x\t", "b=y"}},
		{name: "a duplicate key: both pairs, Get gives the last",
			line:  "CEF:0|V|P|1|s|n|3|cs5=a cs5=b x=1",
			hdr:   header{"", "0", "V", "P", "1", "s", "n", "3", "cs5=a cs5=b x=1"},
			pairs: []string{"cs5=a", "cs5=b", "x=1"}},
	}},
	{"lenient only", []parseCase{
		{name: "a tab before key= ends the value (logstash); strict rejects (beats)",
			line:   "CEF:0|V|P|1|s|n|3|msg=Tab is not a separator\tsrc=127.0.0.1",
			hdr:    header{"", "0", "V", "P", "1", "s", "n", "3", "msg=Tab is not a separator\tsrc=127.0.0.1"},
			pairs:  []string{"msg=Tab is not a separator", "src=127.0.0.1"},
			strict: &outcome{ErrBadExtension, 49}},
		{name: "spaces then a tab before key=: the spaces stay in the value",
			line:   "CEF:0|V|P|1|s|n|3|a=x \tb=y",
			hdr:    header{"", "0", "V", "P", "1", "s", "n", "3", "a=x \tb=y"},
			pairs:  []string{"a=x ", "b=y"},
			strict: &outcome{ErrBadExtension, 25}},
		{name: "a hyphen is no key character, so x-y= stays in the value",
			line:   "CEF:0|V|P|1|s|n|3|msg=a x-y=1",
			hdr:    header{"", "0", "V", "P", "1", "s", "n", "3", "msg=a x-y=1"},
			pairs:  []string{"msg=a x-y=1"},
			strict: &outcome{ErrBadExtension, 28}},
		{name: "backslash t is no escape: kept literally",
			line:   `CEF:0|V|P|1|s|n|3|a=x\ty`,
			hdr:    header{"", "0", "V", "P", "1", "s", "n", "3", `a=x\ty`},
			pairs:  []string{`a=x\ty`},
			strict: &outcome{ErrBadExtension, 22}},
		{name: "raw = and | in a URL value (NSS does not escape)",
			line:   "CEF:0|Zscaler|NSSWeblog|5.7|Blocked|r|3|request=a.com/p?x=1&y=|2 dhost=a.com",
			hdr:    header{"", "0", "Zscaler", "NSSWeblog", "5.7", "Blocked", "r", "3", "request=a.com/p?x=1&y=|2 dhost=a.com"},
			pairs:  []string{"request=a.com/p?x=1&y=|2", "dhost=a.com"},
			strict: &outcome{ErrBadExtension, 58}},
		{name: "unknown value escape kept literally",
			line:   `CEF:0|V|P|1|s|n|3|path=C:\dir\x`,
			hdr:    header{"", "0", "V", "P", "1", "s", "n", "3", `path=C:\dir\x`},
			pairs:  []string{`path=C:\dir\x`},
			strict: &outcome{ErrBadExtension, 26}},
		{name: "trailing lone backslash kept",
			line:   `CEF:0|V|P|1|s|n|3|a=x\ b=y`,
			hdr:    header{"", "0", "V", "P", "1", "s", "n", "3", `a=x\ b=y`},
			pairs:  []string{`a=x\`, "b=y"},
			strict: &outcome{ErrBadExtension, 22}},
		{name: "unknown header escape kept literally",
			line:   `CEF:0|V|P|1|s|a\b|3|k=v`,
			hdr:    header{"", "0", "V", "P", "1", "s", `a\b`, "3", "k=v"},
			pairs:  []string{"k=v"},
			strict: &outcome{ErrBadHeader, 16}},
	}},
	{"sad", []parseCase{
		{name: "empty line", line: "", err: outcome{ErrBadHeader, 1}},
		{name: "no signature", line: "Jun 11 02:52:44 zscaler-nss LEEF:1.0|x", err: outcome{ErrBadHeader, 1}},
		{name: "lower-case signature", line: "cef:0|V|P|1|s|n|3|", err: outcome{ErrBadHeader, 1}},
		{name: "version 1 truncated", line: "CEF:1|V|P", err: outcome{ErrTruncated, 10}},
		{name: "version not a number", line: "<134>CEF:1.0|V|P|1|s|n|3|", err: outcome{ErrBadVersion, 10}},
		{name: "empty version", line: "CEF:|V|P|1|s|n|3|", err: outcome{ErrBadVersion, 5}},
		{name: "glued signature, version not a number", line: "zscaler-nssCEF:x|V|P|1|s|n|3|", err: outcome{ErrBadVersion, 16}},
		{name: "CEF: in the prefix and a truncated signature", line: "hostCEF:x CEF:0|V", err: outcome{ErrTruncated, 18}},
		{name: "version with space", line: "CEF: 0|V|P|1|s|n|3|", err: outcome{ErrBadVersion, 5}},
		{name: "signature only", line: "CEF:", err: outcome{ErrTruncated, 5}},
		{name: "version without separator", line: "CEF:0", err: outcome{ErrTruncated, 6}},
		{name: "six separators", line: "CEF:0|V|P|1|s|n|3", err: outcome{ErrTruncated, 18}},
		{name: "escaped last separator", line: `CEF:0|V|P|1|s|n|3\|k=v`, err: outcome{ErrTruncated, 23}},
		{name: "invalid UTF-8 in header", line: "CEF:0|V\xff|P|1|s|n|3|k=v", err: outcome{ErrInvalidUTF8, 8}},
		{name: "invalid UTF-8 before the signature", line: "\xc3(CEF:0|V|P|1|s|n|3|", err: outcome{ErrInvalidUTF8, 1}},
		{name: "truncated UTF-8 sequence at end", line: "CEF:0|V|P|1|s|n|3|k=\xe2\x9c", err: outcome{ErrInvalidUTF8, 21}},
		{name: "extension without key", line: "CEF:0|V|P|1|s|n|3|hello world", err: outcome{ErrBadExtension, 19}},
		{name: "extension first token has no =", line: "CEF:0|V|P|1|s|n|3|  bad key=v", err: outcome{ErrBadExtension, 21}},
		{name: "extension with empty key", line: "CEF:0|V|P|1|s|n|3|=v", err: outcome{ErrBadExtension, 19}},
		{name: "extension key with a bad character", line: "CEF:0|V|P|1|s|n|3|kéy=v", err: outcome{ErrBadExtension, 19}},
	}},
}

func TestParse(t *testing.T) {
	for _, g := range parseCases {
		for _, tc := range g.cases {
			for _, strict := range []bool{false, true} {
				mode := "lenient"
				want := tc.err
				if strict {
					mode = "strict"
					if tc.strict != nil {
						want = *tc.strict
					}
				}
				t.Run(g.group+"/"+tc.name+"/"+mode, func(t *testing.T) {
					p := &Parser{Strict: strict}
					r, err := p.Parse([]byte(tc.line))
					checkOutcome(t, tc.line, err, want)
					if want.kind == 0 || want.kind == ErrBadExtension {
						if r == nil {
							t.Fatalf("Parse(%q) record = nil; want the header", tc.line)
						}
						if got := headerOf(r); got != tc.hdr && want.kind == 0 {
							t.Errorf("Parse(%q) header =\n%+v; want\n%+v", tc.line, got, tc.hdr)
						}
					} else if r != nil {
						t.Errorf("Parse(%q) record = %+v; want nil with %v", tc.line, headerOf(r), want.kind)
					}
					if want.kind != 0 {
						return
					}
					pairs, err := p.Extensions(r)
					if err != nil {
						t.Fatalf("Extensions(%q) error %v", tc.line, err)
					}
					var got []string
					for _, pr := range pairs {
						got = append(got, string(pr.Key)+"="+string(pr.Value))
					}
					if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.pairs) {
						t.Errorf("Extensions(%q) = %q; want %q", tc.line, got, tc.pairs)
					}
					checkGetAgrees(t, r, pairs)
				})
			}
		}
	}
}

// checkOutcome fails t unless err matches want.
func checkOutcome(t *testing.T, line string, err error, want outcome) {
	t.Helper()
	if want.kind == 0 {
		if err != nil {
			t.Fatalf("Parse(%q) error %v; want none", line, err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse(%q) error = %v; want *Error %v at col %d", line, err, want.kind, want.col)
	}
	if e.Kind != want.kind || e.Column != want.col {
		t.Fatalf("Parse(%q) error = %v (%v); want %v at col %d", line, err, e.Kind, want.kind, want.col)
	}
}

// checkGetAgrees fails t unless Get returns, for every key, the value of its last pair.
func checkGetAgrees(t *testing.T, r *Record, pairs []Pair) {
	t.Helper()
	last := map[string][]byte{}
	for _, pr := range pairs {
		last[string(pr.Key)] = bytes.Clone(pr.Value)
	}
	for k, want := range last {
		v, ok := r.Get(k)
		if !ok || !bytes.Equal(v, want) {
			t.Errorf("Get(%q) = %q, %v; want %q, true", k, v, ok, want)
		}
	}
}

// specExamples are the escaping examples of the CEF spec (rev 25, "Special characters").
var specExamples = []struct {
	line  string
	name  string
	pairs []string
}{
	{`Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|detected a \| in message|10|src=10.0.0.1 act=blocked a | dst=1.1.1.1`,
		"detected a | in message", []string{"src=10.0.0.1", "act=blocked a |", "dst=1.1.1.1"}},
	{`Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|detected a \\ in packet|10|src=10.0.0.1 act=blocked a \\ dst=1.1.1.1`,
		`detected a \ in packet`, []string{"src=10.0.0.1", `act=blocked a \`, "dst=1.1.1.1"}},
	{`Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|detected a = in message|10|src=10.0.0.1 act=blocked a \= dst=1.1.1.1`,
		"detected a = in message", []string{"src=10.0.0.1", "act=blocked a =", "dst=1.1.1.1"}},
	{`Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|Detected a threat. No action needed.|10|src=10.0.0.1 msg=Detected a threat.\n No action needed.`,
		"Detected a threat. No action needed.", []string{"src=10.0.0.1", "msg=Detected a threat.\n No action needed."}},
	{`CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232`,
		"worm successfully stopped", []string{"src=10.0.0.1", "dst=2.1.2.2", "spt=1232"}},
}

func TestSpecEscapingExamples(t *testing.T) {
	for i, ex := range specExamples {
		for _, strict := range []bool{false, true} {
			t.Run(fmt.Sprintf("example%d/strict=%v", i+1, strict), func(t *testing.T) {
				p := &Parser{Strict: strict}
				r, err := p.Parse([]byte(ex.line))
				if err != nil {
					t.Fatalf("Parse(%q) error %v", ex.line, err)
				}
				if string(r.Name) != ex.name {
					t.Errorf("Parse(%q).Name = %q; want %q", ex.line, r.Name, ex.name)
				}
				pairs, err := p.Extensions(r)
				if err != nil {
					t.Fatalf("Extensions error %v", err)
				}
				var got []string
				for _, pr := range pairs {
					got = append(got, string(pr.Key)+"="+string(pr.Value))
				}
				if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", ex.pairs) {
					t.Errorf("Extensions(%q) = %q; want %q", ex.line, got, ex.pairs)
				}
				checkGetAgrees(t, r, pairs)
			})
		}
	}
}

// readLines returns the non-comment lines of a testdata file.
func readLines(t testing.TB, name string) [][]byte { return ceftest.ReadLines(t, name) }

func TestDerivedSamples(t *testing.T) {
	lines := readLines(t, "derived-cef-from-zscaler-samples.log")
	if len(lines) != 3 {
		t.Fatalf("got %d sample lines; want 3", len(lines))
	}
	want := []struct {
		hdr   header
		npair int
		get   map[string]string
	}{
		{header{Prefix: "Jun 11 02:52:44 zscaler-nss", Version: "0", Vendor: "Zscaler", Product: "NSSWeblog", DeviceVersion: "5.7", SignatureID: "Allowed", Name: "Allowed", Severity: "3"},
			137, map[string]string{
				"act":                      "Allowed",
				"externalId":               "7379073205867184130",
				"cat":                      "Test Category",
				"in":                       "796584",
				"in_bytes":                 "796584",
				"request":                  "test.zscaler.com/filestreamingservice/files/199",
				"rt":                       "Jun 11 2024 02:52:44",
				"ZscalerNSSWeblogURLClass": "Bandwidth Loss",
				"bypassed_etime":           "Thu Jan  1 00:00:00 1970",
				"devicename":               "928bba62-4009-4035-9af7-4fb69289c011:09E7955C8B03A193391C4484BDDF8E817788D2A0",
				"external_devid":           "",
				"nsssvcip":                 "10.1.2.7",
			}},
		{header{Prefix: "Jun 12 05:02:05 zscaler-nss-fw", Version: "0", Vendor: "Zscaler", Product: "NSSFWlog", DeviceVersion: "5.7", SignatureID: "Drop", Name: "Default Firewall Filtering Rule", Severity: "3"},
			45, map[string]string{
				"Severity":    "3",
				"act":         "Drop",
				"name":        "Default Firewall Filtering Rule",
				"cs2":         "QUIC",
				"cs6label":    "threatname",
				"flexString1": "Miscellaneous or Unknown",
				"avgduration": "2998",
			}},
		{header{Prefix: "Jun 12 04:47:37 zscaler-nss-fw", Version: "0", Vendor: "Zscaler", Product: "NSSDNSlog", DeviceVersion: "5.7", SignatureID: "Req(allow),Res(allow)", Name: "Default Firewall DNS Rule", Severity: "3"},
			30, map[string]string{
				"act":              "Req(allow),Res(allow)",
				"cs2":              "Allow",
				"cs3":              "Allow",
				"cs5":              "edgeservices.bing.com",
				"flexString2Label": "resrulelabel",
				"dvchost":          "NA",
			}},
	}
	for i, line := range lines {
		for _, strict := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/strict=%v", want[i].hdr.Product, strict), func(t *testing.T) {
				p := &Parser{Strict: strict}
				r, err := p.Parse(line)
				if err != nil {
					t.Fatalf("Parse error %v", err)
				}
				got := headerOf(r)
				got.Extension = ""
				if got != want[i].hdr {
					t.Errorf("header = %+v; want %+v", got, want[i].hdr)
				}
				for k, v := range want[i].get {
					if g, ok := r.Get(k); !ok || string(g) != v {
						t.Errorf("Get(%q) = %q, %v; want %q", k, g, ok, v)
					}
				}
				if _, ok := r.Get("noSuchKey"); ok {
					t.Error(`Get("noSuchKey") found a value`)
				}
				pairs, err := p.Extensions(r)
				if err != nil {
					t.Fatalf("Extensions error %v", err)
				}
				if len(pairs) != want[i].npair {
					t.Errorf("Extensions gave %d pairs; want %d", len(pairs), want[i].npair)
				}
				checkGetAgrees(t, r, pairs)
			})
		}
	}
}

// extStart matches what a non-empty extension must start with.
var extStart = regexp.MustCompile(`^ *([A-Za-z0-9_.,\[\]]+=|$)`)

// TestParseTruncations parses every prefix of valid lines and checks the error each one must give.
func TestParseTruncations(t *testing.T) {
	lines := readLines(t, "derived-cef-from-zscaler-samples.log")
	for _, ex := range specExamples {
		lines = append(lines, []byte(ex.line))
	}
	for n, line := range lines {
		sig := bytes.Index(line, []byte("CEF:"))
		hdrEnd := sig
		for range 7 {
			hdrEnd += bytes.IndexByte(line[hdrEnd:], '|') + 1
			for line[hdrEnd-2] == '\\' { // escaped separator: look further
				hdrEnd += bytes.IndexByte(line[hdrEnd:], '|') + 1
			}
		}
		for _, strict := range []bool{false, true} {
			t.Run(fmt.Sprintf("line%d/strict=%v", n+1, strict), func(t *testing.T) {
				p := &Parser{Strict: strict}
				for k := 0; k < len(line); k++ {
					cut := line[:k]
					var want outcome
					switch {
					case k < sig+4:
						want = outcome{ErrBadHeader, 1}
					case k < hdrEnd:
						want = outcome{ErrTruncated, k + 1}
					default:
						ext := cut[hdrEnd:]
						if !extStart.Match(ext) {
							want = outcome{ErrBadExtension, hdrEnd + len(ext) - len(bytes.TrimLeft(ext, " ")) + 1}
						} else if strict && oddTrailingBackslashes(ext) {
							want = outcome{ErrBadExtension, k}
						}
					}
					_, err := p.Parse(cut)
					checkOutcome(t, string(cut), err, want)
				}
			})
		}
	}
}

func oddTrailingBackslashes(b []byte) bool {
	n := len(b) - len(bytes.TrimRight(b, `\`))
	return n%2 == 1
}

func TestGet(t *testing.T) {
	cases := []struct {
		name, ext, key, want string
		ok                   bool
	}{
		{"first key", "a=1 b=2", "a", "1", true},
		{"last key", "a=1 b=2", "b", "2", true},
		{"missing", "a=1 b=2", "c", "", false},
		{"key is a prefix of another key", "in_bytes=1 in=2", "in", "2", true},
		{"key is a suffix of another key", "xin=1 in=2", "in", "2", true},
		{"key=value inside a value is not a key", "request=h/?in=5&x=y in=7", "in", "7", true},
		{"space key= inside a value splits it", "msg=a b=c", "b", "c", true},
		{"duplicate key gives the last", "cs5=a cs5=b", "cs5", "b", true},
		{"duplicate key with a longer last value", "cs5=a x=1 cs5=b c", "cs5", "b c", true},
		{"key after a tab", "msg=a\tsrc=1", "src", "1", true},
		{"final value without trailing blanks", "a=1 b=2 \t ", "b", "2", true},
		{"escaped value", `a=x\=y\\z`, "a", `x=y\z`, true},
		{"empty value", "a= b=1", "a", "", true},
		{"key with spaces is never found", "x=1 a b=1", "a b", "", false},
		{"empty key", "a=1", "", "", false},
		{"key without =", "a=1 b", "b", "", false},
		{"leading spaces", "  Severity=3 act=Drop", "Severity", "3", true},
		// Get searches for the key's rarest adjacent pair ("Id" here), 64 positions at a time.
		{"duplicates blocks apart", "externalId=1 msg=" + strings.Repeat("x", 200) + " externalId=2", "externalId", "2", true},
		{"the pair inside longer keys", "myexternalId=1 externalId=2 deviceEventClassId=3 externalIdx=4", "externalId", "2", true},
		{"the pair at the end without =", "a=1 externalId", "externalId", "", false},
		{"overlapping pairs", "aaa=1 aa=2 xaa=3", "aa", "2", true},
		{"the pair in a value", "msg=" + strings.Repeat("Id ", 40) + "externalId=7", "externalId", "7", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			line := "CEF:0|V|P|1|s|n|3|" + tc.ext
			p := &Parser{}
			r, err := p.Parse([]byte(line))
			if err != nil {
				t.Fatalf("Parse(%q) error %v", line, err)
			}
			got, ok := r.Get(tc.key)
			if string(got) != tc.want || ok != tc.ok {
				t.Errorf("Get(%q) on %q = %q, %v; want %q, %v", tc.key, tc.ext, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestGetEscapesStayValid(t *testing.T) {
	p := &Parser{}
	r, err := p.Parse([]byte(`CEF:0|V\|W|P|1|s|n|3|a=1\=1 b=2\=2 c=3\\3`))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := r.Get("a")
	b, _ := r.Get("b")
	c, _ := r.Get("c")
	if string(a) != "1=1" || string(b) != "2=2" || string(c) != `3\3` || string(r.Vendor) != "V|W" {
		t.Errorf("after three Gets: a=%q b=%q c=%q vendor=%q; want 1=1 2=2 3\\3 V|W", a, b, c, r.Vendor)
	}
}

func TestGetOnHandBuiltRecord(t *testing.T) {
	r := &Record{Extension: []byte(`k=a\nb`)}
	if v, ok := r.Get("k"); !ok || string(v) != "a\nb" {
		t.Errorf("Get(k) = %q, %v; want %q, true", v, ok, "a\nb")
	}
}

func TestParseAndGetDoNotAllocate(t *testing.T) {
	for _, line := range append(readLines(t, "derived-cef-from-zscaler-samples.log"), []byte(specExamples[1].line)) {
		for _, strict := range []bool{false, true} {
			p := &Parser{Strict: strict}
			allocs := testing.AllocsPerRun(100, func() {
				r, err := p.Parse(line)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := r.Get("act"); !ok {
					t.Fatal("no act")
				}
				r.Get("externalId")
			})
			if allocs != 0 {
				t.Errorf("Parse+Get (strict=%v) of %.40q… = %v allocs; want 0", strict, line, allocs)
			}
		}
	}
	p := &Parser{}
	bad := []byte("CEF:0|V|P|1")
	if allocs := testing.AllocsPerRun(100, func() { p.Parse(bad) }); allocs != 0 {
		t.Errorf("Parse of a truncated line = %v allocs; want 0", allocs)
	}
}

func TestErrorKinds(t *testing.T) {
	want := map[ErrorKind]string{
		ErrBadHeader:    "bad_header",
		ErrBadVersion:   "bad_version",
		ErrTruncated:    "truncated",
		ErrBadExtension: "bad_extension",
		ErrInvalidUTF8:  "invalid_utf8",
	}
	for k, d := range want {
		if k.String() != d {
			t.Errorf("%v.String() = %q; want the detail name %q", k, k.String(), d)
		}
	}
	if got := ErrorKind(99).String(); got != "kind(99)" {
		t.Errorf("ErrorKind(99).String() = %q", got)
	}
	e := &Error{Kind: ErrTruncated, Column: 18, Msg: "truncated header"}
	if got, want := e.Error(), "cef: truncated header [col 18]"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

func TestAppendEscapes(t *testing.T) {
	if got, want := string(AppendHeaderField(nil, `a|b\c=d`)), `a\|b\\c=d`; got != want {
		t.Errorf("AppendHeaderField = %q; want %q", got, want)
	}
	if got, want := string(AppendExtensionValue([]byte("k="), "a=b\\c\nd\re|f")), `k=a\=b\\c\nd\re|f`; got != want {
		t.Errorf("AppendExtensionValue = %q; want %q", got, want)
	}
	if !IsKey("cs6label") || !IsKey([]byte("ad.Key[0]")) || !IsKey("ad.Error_,Code") || IsKey("") || IsKey("a b") || IsKey("k=") || IsKey("x-y") {
		t.Error("IsKey disagrees with [A-Za-z0-9_.,[]]+")
	}
	if strings.Contains(string(AppendHeaderField(nil, "plain")), `\`) {
		t.Error("AppendHeaderField escaped a plain field")
	}
}

// TestGetKey checks that a prepared key finds what Get finds, and that a malformed key and the zero Key
// find nothing, even where the extension holds the malformed key's text.
func TestGetKey(t *testing.T) {
	var p Parser
	r, err := p.Parse([]byte(`CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|x=a b=1 externalId=7 act=Allowed externalId=8 cs2=x\=y`))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"externalId", "act", "cs2", "cs3", "b", "a b"} {
		v1, ok1 := r.Get(k)
		v2, ok2 := r.GetKey(NewKey(k))
		if string(v1) != string(v2) || ok1 != ok2 {
			t.Errorf("GetKey(%q) = %q, %v; Get = %q, %v", k, v2, ok2, v1, ok1)
		}
	}
	if v, ok := r.GetKey(NewKey("externalId")); string(v) != "8" || !ok {
		t.Errorf(`GetKey(externalId) = %q, %v; want "8", true`, v, ok)
	}
	if v, ok := r.GetKey(NewKey("a b")); ok {
		t.Errorf("GetKey(a b) = %q, true; want not found", v)
	}
	if v, ok := r.GetKey(Key{}); ok {
		t.Errorf("GetKey(Key{}) = %q, true; want not found", v)
	}
}

// TestTrimRightBlank checks trimRightBlank against bytes.TrimRight(b, " \t").
func TestTrimRightBlank(t *testing.T) {
	for _, s := range []string{"", " ", "\t \t", "a", "a ", " a\t", "a b \t ", "a\n", "a\u00a0", "host \r"} {
		if got, want := trimRightBlank([]byte(s)), bytes.TrimRight([]byte(s), " \t"); string(got) != string(want) {
			t.Errorf("trimRightBlank(%q) = %q; want %q", s, got, want)
		}
	}
}

// TestTrimBlank checks TrimBlank against bytes.Trim(b, " \t") on blanks at either end, inside, alone and
// mixed with other white space, which it keeps.
func TestTrimBlank(t *testing.T) {
	for _, s := range []string{"", " ", "\t \t", "a", " a", "a\t", " \ta b\t ", "\na\n", " \r\n", "\t\u00a0x\u00a0 "} {
		if got, want := string(TrimBlank([]byte(s))), string(bytes.Trim([]byte(s), " \t")); got != want {
			t.Errorf("TrimBlank(%q) = %q; want %q", s, got, want)
		}
	}
}
