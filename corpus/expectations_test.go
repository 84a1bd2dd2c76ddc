package corpus

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// These tests restate PIPELINE.md's key decisions by hand and hold the shipped expected files to them,
// so that an expected file rewritten with -update cannot silently drift from the specification. They
// read expected files with encoding/json, not the package's parser.

// pipelineMappings is PIPELINE.md's mapping table, copied by hand.
var pipelineMappings = map[string][2]string{
	"Reputation block outbound request: malicious URL":                             {"T1598.003", "Spearphishing Link"},
	"Reputation block outbound request: phishing site":                             {"T1566", "Phishing"},
	"IPS block outbound request: cross-site scripting (XSS) attack":                {"T1189", "Drive-by Compromise"},
	"IPS block: cryptomining & blockchain traffic":                                 {"T1496", "Resource Hijacking"},
	"Malware block: malicious file":                                                {"T1204.002", "Malicious File"},
	"Sandbox block inbound response: malicious file":                               {"T1204.002", "Malicious File"},
	"Not allowed non-RFC compliant HTTP traffic":                                   {"T1071", "Application Layer Protocol"},
	"Not allowed to upload/download encrypted or password-protected archive files": {"T1027", "Obfuscated Files or Information"},
	"RDP Allow":            {"T1021.001", "Remote Desktop Protocol"},
	"Remote Backup Failed": {"T1020", "Automated Exfiltration"},
}

// verdictOf renders the fields of an expected record that define its fate, e.g.
// "platform/alert/RDP Allow/T1021.001" or "collector/dropped/malformed/truncated".
func verdictOf(m map[string]any) string {
	s := fmt.Sprint(m["stage"], "/", m["verdict"])
	for _, k := range []string{"reason", "detail", "alertType", "threatId"} {
		if v, ok := m[k]; ok {
			s += fmt.Sprint("/", v)
		}
	}
	if m["verdict"] == "alert" && m["mapped"] != true {
		s += "/unmapped"
	}
	return s
}

func TestSeedAlertsExpectations(t *testing.T) {
	for _, name := range []string{"seed-alerts", "seed-alerts-cloud"} {
		t.Run(name, func(t *testing.T) {
			recs := expectedRecords(t, filepath.Join("golden", name))
			seen := map[string]bool{}
			for i, r := range recs {
				at, _ := r["alertType"].(string)
				want, ok := pipelineMappings[at]
				if !ok || r["stage"] != "platform" || r["verdict"] != "alert" || r["mapped"] != true ||
					r["threatId"] != want[0] || r["threatName"] != want[1] {
					t.Errorf("line %d: %v; want a platform alert mapped per PIPELINE.md (%q → %v)", i+1, r, at, want)
				}
				seen[at] = true
			}
			if len(seen) != len(pipelineMappings) || len(recs) != len(pipelineMappings) {
				t.Errorf("%d records of %d alert types; want each of the %d mapping rows once", len(recs), len(seen), len(pipelineMappings))
			}
		})
	}
}

func TestFiltersExpectations(t *testing.T) {
	dir := filepath.Join("golden", "filters")
	recs := expectedRecords(t, dir)
	want := map[int]string{ // line → fate, from PIPELINE.md
		1: "collector/dropped/allowed_traffic", 2: "collector/dropped/allowed_traffic",
		3: "collector/dropped/allowed_traffic", 4: "collector/dropped/allowed_traffic",
		5:  "platform/alert/Reputation block outbound request: malicious URL/T1598.003", // allowed, but a mapped name
		6:  "platform/alert/allowed/unmapped",                                           // not a plain-allow reason: case matters
		7:  "platform/alert/RDP Allow/T1021.001",                                        // RDP Allow survives
		8:  "platform/alert/RDP Allow/T1021.001",
		9:  "platform/alert/RDP Allow/T1021.001", // header name " RDP Allow  " trimmed
		10: "platform/alert/rdp allow/unmapped",
		11: "platform/dropped/default_allow", 12: "platform/dropped/default_allow", 13: "platform/dropped/default_allow",
		14: "platform/dropped/default_allow", 15: "platform/dropped/default_allow", 16: "platform/dropped/default_allow",
		17: "platform/dropped/default_allow",
		18: "platform/alert/Default Firewall Filtering Rule/unmapped", // a Drop is no default allow
		19: "platform/alert/Allow DNS/unmapped",
		20: "platform/alert/Block|Legacy Apps/unmapped",
		21: "collector/dropped/allowed_traffic", // DNS both allowed by the default DNS rule: C2 before P2
		22: "collector/dropped/allowed_traffic", 23: "collector/dropped/allowed_traffic", 24: "collector/dropped/allowed_traffic",
		25: "platform/dropped/default_allow", // DNS default rule, request allowed, no response
		26: "platform/alert/Default Firewall DNS Rule/unmapped",
		27: "platform/alert/Default Firewall DNS Rule/unmapped",
		28: "platform/alert/Critical Risk DNS Categories/unmapped",
		42: "platform/alert/IPS block outbound request: botnet command and control traffic/unmapped",
		43: "platform/alert/Access denied due to bad server certificate/unmapped",
		44: "platform/alert/Malware block: Malicious File/unmapped",
	}
	for l := 29; l <= 35; l++ {
		want[l] = "platform/dropped/policy_access"
	}
	for l := 36; l <= 41; l++ {
		want[l] = "platform/dropped/ssl_handshake"
	}
	if len(recs) != len(want) {
		t.Fatalf("%s holds %d records; this test knows %d", dir, len(recs), len(want))
	}
	for l, w := range want {
		if got := verdictOf(recs[l-1]); got != w {
			t.Errorf("line %d: %s; want %s", l, got, w)
		}
	}
	// The integration page's listing repeats a row identically: one warning, no effect.
	res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "Reputation block outbound request: malicious URL") {
		t.Errorf("warnings = %q; want one about the repeated malicious-URL row", res.Warnings)
	}
	if !res.OK() {
		t.Errorf("filters with the listing's mappings: %d mismatches; want none", res.Mismatched)
	}
}

func TestMalformedExpectations(t *testing.T) {
	recs := expectedRecords(t, filepath.Join("golden", "malformed"))
	want := []string{
		"bad_header", "bad_header", "bad_header", "bad_header",
		"platform/alert/Malware block: malicious file/T1204.002", // zscaler-nssCEF:0|: the first CEF: anywhere
		"bad_version", "bad_version", "truncated", "truncated", "oversize",
		"collector/dropped/allowed_traffic", // exactly 64 KiB: not over the limit
		"oversize", "invalid_utf8", "invalid_utf8", "bad_extension", "bad_extension",
		"unknown_feed", "unknown_feed", "bad_header",
		"platform/alert/Malware block: malicious file/T1204.002", // the stream goes on
	}
	if len(recs) != len(want) {
		t.Fatalf("malformed holds %d records; this test knows %d", len(recs), len(want))
	}
	lines := inputLines(t, filepath.Join("golden", "malformed"))
	if len(lines[10]) != 64<<10 || len(lines[9]) != 64<<10+1 {
		t.Errorf("lines 10 and 11 are %d and %d bytes; want 64 KiB + 1 and 64 KiB", len(lines[9]), len(lines[10]))
	}
	for i, w := range want {
		if !strings.Contains(w, "/") {
			w = "collector/dropped/malformed/" + w
		}
		if got := verdictOf(recs[i]); got != w {
			t.Errorf("line %d: %s; want %s", i+1, got, w)
		}
	}
}

func TestHeaderFormsExpectations(t *testing.T) {
	lf := expectedRecords(t, filepath.Join("golden", "nss-header-forms"))
	octet := expectedRecords(t, filepath.Join("golden", "nss-header-forms-octet"))
	if fmt.Sprint(lf) != fmt.Sprint(octet) {
		t.Error("nss-header-forms and nss-header-forms-octet expect different verdicts; the framing must not matter")
	}
	fates := []string{ // the five records behind every prefix
		"platform/alert/Malware block: malicious file/T1204.002",
		"collector/dropped/allowed_traffic",
		"platform/alert/RDP Allow/T1021.001",
		"platform/dropped/default_allow",
		"platform/dropped/default_allow",
	}
	if len(lf) != 8*len(fates)+1 {
		t.Fatalf("%d records; want 8 prefixes × %d records + 1", len(lf), len(fates))
	}
	for i := 0; i < 8*len(fates); i++ {
		if got, w := verdictOf(lf[i]), fates[i%len(fates)]; got != w {
			t.Errorf("line %d: %s; want %s", i+1, got, w)
		}
	}
	if got := verdictOf(lf[len(lf)-1]); got != "platform/dropped/policy_access" {
		t.Errorf("the CRLF line: %s; want platform/dropped/policy_access", got)
	}
}

func TestPublicSamplesExpectations(t *testing.T) {
	recs := expectedRecords(t, filepath.Join("golden", "public-samples-cef"))
	derived := []string{"collector/dropped/allowed_traffic", "platform/alert/Default Firewall Filtering Rule/unmapped",
		"collector/dropped/allowed_traffic"}
	for i, r := range recs {
		w := "collector/dropped/malformed/bad_header" // CSV, key=value, NSS-JSON, Sentinel rows: not CEF
		if i < len(derived) {
			w = derived[i]
		}
		if got := verdictOf(r); got != w {
			t.Errorf("public-samples-cef line %d: %s; want %s", i+1, got, w)
		}
	}
	for i, r := range expectedRecords(t, filepath.Join("golden", "public-samples-json")) {
		if r["stage"] == "collector" && r["reason"] == "malformed" {
			t.Errorf("public-samples-json line %d: %v; Zscaler's Cloud NSS samples are well-formed", i+1, r)
		}
	}
}
