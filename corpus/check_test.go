package corpus

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// repeatReader yields the same line forever.
type repeatReader struct {
	line []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.line[r.off:])
		n += c
		r.off = (r.off + c) % len(r.line)
	}
	return n, nil
}

// newRepeatChecker returns a checker of corpus seed-alerts whose expected file repeats line forever.
func newRepeatChecker(t testing.TB, line string) *checker {
	t.Helper()
	c := mustLoad(t, filepath.Join("golden", "seed-alerts"))
	exp := &expectedReader{file: "expected.jsonl", lineReader: lineReader{br: bufio.NewReaderSize(&repeatReader{line: []byte(line + "\n")}, 64<<10)}}
	p := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
	return newChecker(c, p, exp, &Result{}, 0)
}

// rdpAllow is a firewall RDP Allow record and its verdict, canonical and reordered.
const (
	rdpAllow          = "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| Severity=3 name=RDP Allow deviceEventClassId=Allow act=Allow suser=bob.jones@example.com src=10.10.0.98 spt=52601 dst=198.51.100.20 dpt=3389 proto=TCP externalId=42"
	rdpVerdict        = `{"recordid":"42","feed":"firewall","stage":"platform","verdict":"alert","alertType":"RDP Allow","mapped":true,"threatId":"T1021.001","threatName":"Remote Desktop Protocol"}`
	rdpVerdictReorder = `{"threatName":"Remote Desktop Protocol","threatId":"T1021.001","mapped":true,"alertType":"RDP Allow","verdict":"alert","stage":"platform","feed":"firewall","recordid":"42"}`
)

// TestCheckAllocs: checking a record does not allocate, on the byte-equal fast path and on the parsed
// path alike, once buffers and the class map have warmed up.
func TestCheckAllocs(t *testing.T) {
	for _, tt := range []struct{ name, line string }{{"canonical", rdpVerdict}, {"reordered", rdpVerdictReorder}} {
		t.Run(tt.name, func(t *testing.T) {
			k := newRepeatChecker(t, tt.line)
			r := &inputRecord{data: []byte(rdpAllow)}
			if err := k.check(r); err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(1000, func() {
				if err := k.check(r); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("check allocates %v times per record; want 0", allocs)
			}
			if k.res.Mismatched != 0 || k.res.Matched != k.res.Records {
				t.Errorf("%d of %d records matched; want all", k.res.Matched, k.res.Records)
			}
		})
	}
}

// TestCheckFields: each field of a verdict is compared, and each difference is reported.
func TestCheckFields(t *testing.T) {
	tests := []struct {
		name, want string
		diffs      string // "field:got:want ..." of the kept mismatch; "" for a match
	}{
		{"equal", rdpVerdict, ""},
		{"other recordid", strings.Replace(rdpVerdict, `"42"`, `"43"`, 1), "recordid:42:43"},
		{"line instead of recordid", strings.Replace(rdpVerdict, `"recordid":"42"`, `"line":1`, 1), "recordid:42:"},
		{"wrong line", strings.Replace(rdpVerdict, `"recordid":"42"`, `"recordid":"42","line":7`, 1), "line:1:7"},
		{"feed", strings.Replace(rdpVerdict, `"firewall"`, `"web"`, 1), "feed:firewall:web"},
		{"dropped", `{"recordid":"42","feed":"firewall","stage":"platform","verdict":"dropped","reason":"default_allow"}`,
			"verdict:alert:dropped reason::default_allow alertType:RDP Allow: mapped:true: threatId:T1021.001: threatName:Remote Desktop Protocol:"},
		{"unmapped", `{"recordid":"42","feed":"firewall","stage":"platform","verdict":"alert","alertType":"RDP Allow","mapped":false}`,
			"mapped:true:false threatId:T1021.001: threatName:Remote Desktop Protocol:"},
		{"malformed", `{"recordid":"42","feed":"firewall","stage":"collector","verdict":"dropped","reason":"malformed","detail":"truncated"}`,
			"stage:platform:collector verdict:alert:dropped reason::malformed detail::truncated alertType:RDP Allow: mapped:true: threatId:T1021.001: threatName:Remote Desktop Protocol:"},
		{"alert type", strings.Replace(rdpVerdict, `"alertType":"RDP Allow"`, `"alertType":"RDP allow"`, 1), "alertType:RDP Allow:RDP allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newRepeatChecker(t, tt.want)
			if err := k.check(&inputRecord{data: []byte(rdpAllow)}); err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(k.res.Mismatches) > 0 {
				var parts []string
				for _, d := range k.res.Mismatches[0].Fields {
					parts = append(parts, d.Field+":"+d.Got+":"+d.Want)
				}
				got = strings.Join(parts, " ")
			}
			if got != tt.diffs || (tt.diffs == "") != k.res.OK() {
				t.Errorf("check(%s) diffs = %q (ok=%v); want %q", tt.want, got, k.res.OK(), tt.diffs)
			}
		})
	}
}

// TestVerdictRoundTrip: every verdict AppendJSON writes parses back to the same fields.
func TestVerdictRoundTrip(t *testing.T) {
	threat := &verdict.Threat{ID: "T1204.002", Name: `Malicious "File"`}
	var vs []verdict.Verdict
	for _, f := range append([]verdict.Feed{verdict.FeedUnknown}, verdict.Feeds()...) {
		vs = append(vs,
			verdict.Verdict{RecordID: []byte("1"), Feed: f, Stage: verdict.StagePlatform, Kind: verdict.KindAlert, AlertType: []byte("a\tb\\c"), Threat: threat},
			verdict.Verdict{Line: 9, Feed: f, Stage: verdict.StagePlatform, Kind: verdict.KindAlert, AlertType: []byte("x")})
		for _, r := range verdict.Reasons() {
			vs = append(vs, verdict.Verdict{Line: 3, Feed: f, Stage: r.Stage(), Kind: verdict.KindDropped, Reason: r})
		}
		for _, d := range verdict.Details() {
			vs = append(vs, verdict.Verdict{Line: 4, Feed: f, Stage: verdict.StageCollector, Kind: verdict.KindDropped, Reason: verdict.ReasonMalformed, Detail: d})
		}
	}
	var wp wantParser
	var w want
	for _, v := range vs {
		line := v.AppendJSON(nil)
		if !json.Valid(line) {
			t.Fatalf("AppendJSON wrote invalid JSON %s", line)
		}
		if err := wp.parse("x", 1, line, &w); err != nil {
			t.Fatalf("parse(%s): %v", line, err)
		}
		for f := range numFields {
			if !w.equal(&v, v.Line, f) {
				t.Errorf("parse(%s).%s = %q; want %q", line, f, w.text(f), gotText(&v, v.Line, f))
			}
		}
	}
}

// FuzzExpectedLine: any line is parsed or rejected with a typed error, never a panic; a parsed line
// rendered from the parsed fields parses to the same fields.
func FuzzExpectedLine(f *testing.F) {
	f.Add([]byte(rdpVerdict))                                                                                       // canonical
	f.Add([]byte(rdpVerdictReorder))                                                                                // other member order
	f.Add([]byte(`{"line":17,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"bad_header"}`)) // by line
	f.Add([]byte(`{"line":0,"stage":"x"}`))                                                                         // bad values
	f.Add([]byte(`{"recordid":1}`))                                                                                 // wrong type
	f.Add([]byte(`[1,2]`))                                                                                          // not an object
	f.Add([]byte(`{"recordid":"\u00e9\ud83d\ude00","stage":"platform","verdict":"alert","alertType":"\u0001"}`))    // escapes
	f.Fuzz(func(t *testing.T, line []byte) {
		var wp wantParser
		var w want
		err := wp.parse("expected.jsonl", 3, line, &w)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Kind != ErrExpected || e.Line != 3 {
				t.Fatalf("parse(%q) error %v is not an ErrExpected *Error at line 3", line, err)
			}
			return
		}
		v := verdict.Verdict{RecordID: w.recordID, Line: w.line, Feed: w.feed, Stage: w.stage, Kind: w.kind, Reason: w.reason,
			Detail: w.detail, AlertType: w.alertType}
		if w.kind == verdict.KindAlert && w.mapped == mappedTrue {
			v.Threat = &verdict.Threat{ID: string(w.threatID), Name: string(w.threatName)}
		}
		again := v.AppendJSON(nil)
		var wp2 wantParser
		var w2 want
		if err := wp2.parse("again", 1, again, &w2); err != nil {
			t.Fatalf("parse(AppendJSON(parse(%q))) = %v", line, err)
		}
		for _, fl := range []field{fieldRecordID, fieldFeed, fieldStage, fieldVerdict, fieldReason, fieldDetail} {
			if w2.text(fl) != gotText(&v, v.Line, fl) {
				t.Errorf("field %s: %q after the round trip; want %q", fl, w2.text(fl), gotText(&v, v.Line, fl))
			}
		}
	})
}
