package sink

import (
	"strconv"
	"testing"
)

func TestExtract(t *testing.T) {
	const web = "Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|act=Blocked externalId=7379073205867184130 threatId=T1204.002"
	tests := []struct {
		name   string
		opts   Options
		format Format
		rec    string
		want   Fields
		err    error
	}{
		// happy
		{name: "cef", rec: web, want: Fields{ID: 7379073205867184130, AlertType: []byte("Malware block: malicious file")}},
		{name: "cef threat", opts: Options{ThreatField: "threatId"}, rec: web,
			want: Fields{ID: 7379073205867184130, AlertType: []byte("Malware block: malicious file"), Threat: []byte("T1204.002"), HasThreat: true}},
		{name: "cef threat absent", opts: Options{ThreatField: "cs9"}, rec: web,
			want: Fields{ID: 7379073205867184130, AlertType: []byte("Malware block: malicious file")}},
		{name: "cef name trimmed, as the pipeline compares it", rec: "CEF:0|Zscaler|NSSWeblog|5.7|Blocked| \tMalware block: malicious file \t|3|externalId=7",
			want: Fields{ID: 7, AlertType: []byte("Malware block: malicious file")}},
		{name: "cef pri prefix, other id key", opts: Options{IDField: "cn3"}, rec: "<134>CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3|cn3=42 act=Allow",
			want: Fields{ID: 42, AlertType: []byte("RDP Allow")}},
		{name: "json string id", format: FormatJSON, rec: `{"name":"RDP Allow","externalId":"18446744073709551615"}`,
			want: Fields{ID: 1<<64 - 1, AlertType: []byte("RDP Allow")}},
		{name: "json number id, nested paths", format: FormatJSON,
			opts: Options{IDField: "event.id", AlertField: "alert.type", ThreatField: "alert.threat.id"},
			rec:  `{"event":{"id":12},"alert":{"type":"x","threat":{"id":"T1"}}}`,
			want: Fields{ID: 12, AlertType: []byte("x"), Threat: []byte("T1"), HasThreat: true}},
		{name: "json null threat is absent", format: FormatJSON, opts: Options{ThreatField: "threatId"},
			rec: `{"externalId":"5","threatId":null}`, want: Fields{ID: 5}},
		// sad
		{name: "not cef", rec: "Jun 11 02:52:44 host sshd[1]: hello externalId=5", err: ErrUnreadable},
		{name: "cef truncated", rec: "CEF:0|Zscaler|NSSWeblog|5.7", err: ErrUnreadable},
		{name: "cef invalid utf8", rec: "CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|externalId=\xff5", err: ErrUnreadable},
		{name: "cef bad extension", rec: "CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|garbage without pairs", err: ErrUnreadable},
		{name: "cef no id", rec: "CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|act=Blocked", err: ErrNoID},
		{name: "cef empty id", rec: "CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|externalId= act=x", err: ErrBadID},
		{name: "cef id not a number", rec: "CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|externalId=None", err: ErrBadID},
		{name: "cef id overflows", rec: "CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|externalId=18446744073709551616", err: ErrBadID},
		{name: "json invalid", format: FormatJSON, rec: `{"externalId":`, err: ErrUnreadable},
		{name: "json not an object", format: FormatJSON, rec: `[1,2]`, err: ErrUnreadable},
		{name: "json no id", format: FormatJSON, rec: `{"name":"x"}`, err: ErrNoID},
		{name: "json negative id", format: FormatJSON, rec: `{"externalId":-1}`, err: ErrBadID},
		{name: "json fractional id", format: FormatJSON, rec: `{"externalId":1.5}`, err: ErrBadID},
		{name: "json bool id", format: FormatJSON, rec: `{"externalId":true}`, err: ErrBadID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewExtractor(tc.opts).Extract([]byte(tc.rec), tc.format)
			if err != tc.err {
				t.Fatalf("Extract(%q) error = %v; want %v", tc.rec, err, tc.err)
			}
			if got.ID != tc.want.ID || string(got.AlertType) != string(tc.want.AlertType) ||
				string(got.Threat) != string(tc.want.Threat) || got.HasThreat != tc.want.HasThreat {
				t.Fatalf("Extract(%q) = {%d %q %q %t}; want {%d %q %q %t}", tc.rec, got.ID, got.AlertType, got.Threat, got.HasThreat,
					tc.want.ID, tc.want.AlertType, tc.want.Threat, tc.want.HasThreat)
			}
		})
	}
}

// TestExtractGenerated reads the record id back from generated lines of every class, CEF and Cloud NSS
// JSON: well-formed records give their label's record id, and the generator maps it back to the seq.
func TestExtractGenerated(t *testing.T) {
	for _, cloud := range []bool{false, true} {
		format := FormatCEF
		if cloud {
			format = FormatJSON
		}
		t.Run(format.String(), func(t *testing.T) {
			g := smokeGenerator(t, cloud)
			x := NewExtractor(Options{})
			classes := g.Classes()
			var line []byte
			for seq := uint64(0); seq < 2000; seq++ {
				var lb = g.LabelOf(seq)
				line, _ = g.Append(line[:0], seq)
				f, err := x.Extract(line, format)
				c := &classes[lb.Class]
				if c.Malform != 0 {
					if err == nil && f.ID != lb.RecordID {
						t.Fatalf("seq %d (%s): malformed record read with id %d, not its own %d", seq, c.Name, f.ID, lb.RecordID)
					}
					continue
				}
				if err != nil || f.ID != lb.RecordID {
					t.Fatalf("seq %d (%s): Extract = %d, %v; want %d\n%s", seq, c.Name, f.ID, err, lb.RecordID, line)
				}
				if back, ok := g.SeqOf(f.ID); !ok || back != seq {
					t.Fatalf("SeqOf(%d) = %d, %t; want %d", f.ID, back, ok, seq)
				}
				if c.Expect.AlertType != "" && string(f.AlertType) != c.Expect.AlertType {
					t.Fatalf("seq %d (%s): alert type %q; want %q", seq, c.Name, f.AlertType, c.Expect.AlertType)
				}
			}
		})
	}
}

// TestLabelOf checks generator.LabelOf and SeqOf against Append, the functions the tracker relies on.
func TestLabelOf(t *testing.T) {
	g := smokeGenerator(t, false)
	for seq := uint64(0); seq < 5000; seq += 7 {
		_, want := g.Append(nil, seq)
		if got := g.LabelOf(seq); got != want {
			t.Fatalf("LabelOf(%d) = %+v; Append says %+v", seq, got, want)
		}
		if back, ok := g.SeqOf(want.RecordID); !ok || back != seq {
			t.Fatalf("SeqOf(%d) = %d, %t; want %d", want.RecordID, back, ok, seq)
		}
	}
	base := g.LabelOf(0).RecordID
	for _, id := range []uint64{0, base - 1, base + 1<<60} {
		if seq, ok := g.SeqOf(id); ok {
			t.Errorf("SeqOf(%d) = %d, true; want false (base %d)", id, seq, base)
		}
	}
}

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		in string
		n  uint64
		ok bool
	}{{"0", 0, true}, {"007", 7, true}, {"18446744073709551615", 1<<64 - 1, true},
		{"", 0, false}, {"18446744073709551616", 0, false}, {"99999999999999999999", 0, false}, {"1 ", 0, false}, {"+1", 0, false},
		{"000000000000000000001", 0, false}} {
		n, ok := parseID([]byte(tc.in))
		if n != tc.n || ok != tc.ok {
			t.Errorf("parseID(%q) = %d, %t; want %d, %t", tc.in, n, ok, tc.n, tc.ok)
		}
		if want, err := strconv.ParseUint(tc.in, 10, 64); tc.ok && (err != nil || want != n) {
			t.Errorf("parseID(%q) disagrees with strconv: %d vs %d, %v", tc.in, n, want, err)
		}
	}
}
