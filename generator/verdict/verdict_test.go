package verdict

import (
	"encoding/json"
	"testing"
)

func TestAppendJSON(t *testing.T) {
	mal := &Threat{ID: "T1204.002", Name: "Malicious File"}
	tests := []struct {
		name string
		v    Verdict
		want string
	}{
		{"mapped alert", Verdict{RecordID: []byte("7379073205867184130"), Feed: FeedWeb, Stage: StagePlatform, Kind: KindAlert,
			AlertType: []byte("Malware block: malicious file"), Threat: mal},
			`{"recordid":"7379073205867184130","feed":"web","stage":"platform","verdict":"alert","alertType":"Malware block: malicious file","mapped":true,"threatId":"T1204.002","threatName":"Malicious File"}`},
		{"unmapped alert", Verdict{Line: 3, Feed: FeedFirewall, Stage: StagePlatform, Kind: KindAlert, AlertType: []byte(`a"b\c`)},
			`{"line":3,"feed":"firewall","stage":"platform","verdict":"alert","alertType":"a\"b\\c","mapped":false}`},
		{"drop", Verdict{RecordID: []byte("1"), Feed: FeedFirewall, Stage: StagePlatform, Kind: KindDropped, Reason: ReasonDefaultAllow},
			`{"recordid":"1","feed":"firewall","stage":"platform","verdict":"dropped","reason":"default_allow"}`},
		{"malformed", Verdict{Line: 17, Stage: StageCollector, Kind: KindDropped, Reason: ReasonMalformed, Detail: DetailBadHeader},
			`{"line":17,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"bad_header"}`},
		{"position on a connection", Verdict{Conn: 3, Line: 17, Stage: StageCollector, Kind: KindDropped, Reason: ReasonMalformed, Detail: DetailBadHeader},
			`{"connection":3,"line":17,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"bad_header"}`},
		{"record id wins over position", Verdict{RecordID: []byte("42"), Conn: 3, Line: 17, Feed: FeedDNS, Stage: StagePlatform, Kind: KindDropped, Reason: ReasonDefaultAllow},
			`{"recordid":"42","feed":"dns","stage":"platform","verdict":"dropped","reason":"default_allow"}`},
		{"control bytes", Verdict{Line: 1, Stage: StagePlatform, Kind: KindAlert, AlertType: []byte("x\x01\ty")},
			`{"line":1,"stage":"platform","verdict":"alert","alertType":"x\u0001\ty","mapped":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.v.AppendJSON(nil))
			if got != tt.want {
				t.Fatalf("AppendJSON() =\n%s\nwant\n%s", got, tt.want)
			}
			if !json.Valid([]byte(got)) {
				t.Fatalf("AppendJSON() is not valid JSON: %s", got)
			}
		})
	}
}

func TestAppendJSONAllocs(t *testing.T) {
	v := Verdict{RecordID: []byte("42"), Feed: FeedWeb, Stage: StagePlatform, Kind: KindAlert, AlertType: []byte("RDP Allow"), Threat: &Threat{"T1021.001", "Remote Desktop Protocol"}}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = v.AppendJSON(buf[:0]) }); n != 0 {
		t.Fatalf("AppendJSON allocates %v times per call; want 0", n)
	}
}

func TestCheck(t *testing.T) {
	threat := &Threat{ID: "T1021.001", Name: "Remote Desktop Protocol"}
	alert := Verdict{Feed: FeedFirewall, Stage: StagePlatform, Kind: KindAlert, AlertType: []byte("RDP Allow"), Threat: threat}
	tests := []struct {
		name  string
		e     Expectation
		v     Verdict
		field string // "" = match
	}{
		{"match", Expectation{Feed: FeedFirewall, Stage: StagePlatform, Kind: KindAlert, AlertType: "RDP Allow", ThreatID: "T1021.001"}, alert, ""},
		{"dropped instead", Expectation{Stage: StagePlatform, Kind: KindAlert, AlertType: "RDP Allow", ThreatID: "T1021.001"},
			Verdict{Stage: StageCollector, Kind: KindDropped, Reason: ReasonAllowedTraffic}, "verdict"},
		{"other technique", Expectation{Stage: StagePlatform, Kind: KindAlert, AlertType: "RDP Allow", ThreatID: "T1021"}, alert, "threatId"},
		{"unmapped", Expectation{Stage: StagePlatform, Kind: KindAlert, AlertType: "RDP Allow", ThreatID: "T1021.001"},
			Verdict{Stage: StagePlatform, Kind: KindAlert, AlertType: []byte("RDP Allow")}, "threatId"},
		{"reason", Expectation{Stage: StagePlatform, Kind: KindDropped, Reason: ReasonPolicyAccess},
			Verdict{Stage: StagePlatform, Kind: KindDropped, Reason: ReasonSSLHandshake}, "reason"},
		{"detail", Expectation{Stage: StageCollector, Kind: KindDropped, Reason: ReasonMalformed, Detail: DetailTruncated},
			Verdict{Stage: StageCollector, Kind: KindDropped, Reason: ReasonMalformed, Detail: DetailBadHeader}, "detail"},
		{"feed unknown on malformed", Expectation{Feed: FeedDNS, Stage: StageCollector, Kind: KindDropped, Reason: ReasonMalformed, Detail: DetailBadHeader},
			Verdict{Stage: StageCollector, Kind: KindDropped, Reason: ReasonMalformed, Detail: DetailBadHeader}, ""},
		{"feed", Expectation{Feed: FeedDNS, Stage: StagePlatform, Kind: KindDropped, Reason: ReasonDefaultAllow},
			Verdict{Feed: FeedFirewall, Stage: StagePlatform, Kind: KindDropped, Reason: ReasonDefaultAllow}, "feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := tt.e.Check(&tt.v)
			if ok != (tt.field == "") || m.Field != tt.field {
				t.Fatalf("Check() = %+v, %v; want field %q", m, ok, tt.field)
			}
		})
	}
}

func TestNamesRoundTrip(t *testing.T) {
	for _, f := range Feeds() {
		if g, err := ParseFeed(f.String()); err != nil || g != f {
			t.Errorf("ParseFeed(%q) = %v, %v", f, g, err)
		}
		if FeedOfProduct([]byte(f.Product())) != f {
			t.Errorf("FeedOfProduct(%q) != %v", f.Product(), f)
		}
	}
	for _, r := range Reasons() {
		if g, err := ParseReason(r.String()); err != nil || g != r {
			t.Errorf("ParseReason(%q) = %v, %v", r, g, err)
		}
		if r.Stage() == StageNone {
			t.Errorf("%v has no stage", r)
		}
	}
	for _, d := range Details() {
		if g, err := ParseDetail(d.String()); err != nil || g != d {
			t.Errorf("ParseDetail(%q) = %v, %v", d, g, err)
		}
	}
	if _, err := ParseFeed("NSSWeblog"); err == nil {
		t.Error("ParseFeed accepted a product name")
	}
	if FeedOfProduct([]byte("NSSFooLog")) != FeedUnknown {
		t.Error("FeedOfProduct accepted an unknown product")
	}
}

func TestExpectationJSON(t *testing.T) {
	e := Expectation{Feed: FeedWeb, Stage: StagePlatform, Kind: KindAlert, AlertType: "Malware block: malicious file", ThreatID: "T1204.002"}
	got := "{" + string(e.AppendJSON(nil)) + "}"
	want := `{"feed":"web","stage":"platform","verdict":"alert","alertType":"Malware block: malicious file","mapped":true,"threatId":"T1204.002"}`
	if got != want {
		t.Fatalf("AppendJSON() = %s; want %s", got, want)
	}
}
