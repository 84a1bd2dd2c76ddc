package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
)

// pipelineTable is PIPELINE.md's default mapping table.
var pipelineTable = []string{
	"Reputation block outbound request: malicious URL|web|T1598.003|Spearphishing Link",
	"Reputation block outbound request: phishing site|web|T1566|Phishing",
	"IPS block outbound request: cross-site scripting (XSS) attack|web|T1189|Drive-by Compromise",
	"IPS block: cryptomining & blockchain traffic|web|T1496|Resource Hijacking",
	"Malware block: malicious file|web|T1204.002|Malicious File",
	"Sandbox block inbound response: malicious file|web|T1204.002|Malicious File",
	"Not allowed non-RFC compliant HTTP traffic|web|T1071|Application Layer Protocol",
	"Not allowed to upload/download encrypted or password-protected archive files|web|T1027|Obfuscated Files or Information",
	"RDP Allow|firewall|T1021.001|Remote Desktop Protocol",
	"Remote Backup Failed|firewall|T1020|Automated Exfiltration",
}

func rowsOf(m *Mappings, withFeed bool) []string {
	var rows []string
	for _, r := range m.Rows() {
		feed := ""
		if withFeed {
			feed = r.Feed.String() + "|"
		}
		rows = append(rows, r.AlertType+"|"+feed+r.Threat.ID+"|"+r.Threat.Name)
	}
	return rows
}

func TestDefaultMappings(t *testing.T) {
	m := DefaultMappings()
	if got := rowsOf(m, true); strings.Join(got, "\n") != strings.Join(pipelineTable, "\n") {
		t.Errorf("DefaultMappings rows =\n%s\nwant PIPELINE.md's\n%s", strings.Join(got, "\n"), strings.Join(pipelineTable, "\n"))
	}
	if m.Len() != 10 || m != DefaultMappings() {
		t.Errorf("Len() = %d, same table twice = %v; want 10, true", m.Len(), m == DefaultMappings())
	}
}

// TestIntegrationListing loads the integration page's own listing (copied verbatim into testdata): it
// repeats the malicious-URL row, which is a warning, and otherwise equals PIPELINE.md's table.
func TestIntegrationListing(t *testing.T) {
	path := "testdata/sophos-integration-mappings.txt"
	m, warnings, err := LoadMappings(path)
	if err != nil {
		t.Fatal(err)
	}
	wantW := []Warning{{File: path, Line: 4, Msg: `alertType "Reputation block outbound request: malicious URL" repeats line 2 identically (T1598.003 Spearphishing Link); the duplicate is ignored`}}
	if fmt.Sprint(warnings) != fmt.Sprint(wantW) {
		t.Errorf("warnings = %v; want %v", warnings, wantW)
	}
	got := map[string]bool{}
	for _, r := range rowsOf(m, false) {
		got[r] = true
	}
	for _, row := range pipelineTable {
		f := strings.Split(row, "|")
		if !got[f[0]+"|"+f[2]+"|"+f[3]] {
			t.Errorf("listing lacks PIPELINE.md row %q", row)
		}
	}
	if m.Len() != len(pipelineTable) {
		t.Errorf("listing has %d rows; want %d", m.Len(), len(pipelineTable))
	}
	for _, r := range m.Rows() {
		if r.Feed != verdict.FeedUnknown {
			t.Errorf("listing row %q has feed %v; the listing names none", r.AlertType, r.Feed)
		}
	}
}

func TestLookup(t *testing.T) {
	m := DefaultMappings()
	cases := []struct{ in, want string }{
		{"RDP Allow", "T1021.001"},
		{"  RDP Allow\t", "T1021.001"},
		{"rdp allow", ""},
		{"RDP  Allow", ""},
		{"", ""},
		{"Malware block: malicious file", "T1204.002"},
	}
	for _, tc := range cases {
		got := ""
		if th := m.Lookup([]byte(tc.in)); th != nil {
			got = th.ID
		}
		if got != tc.want {
			t.Errorf("Lookup(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	if (*Mappings)(nil).Lookup([]byte("RDP Allow")) != nil || (*Mappings)(nil).Len() != 0 || (*Mappings)(nil).Rows() != nil {
		t.Error("a nil table is not empty")
	}
	in := []byte(" Remote Backup Failed ")
	if a := testing.AllocsPerRun(100, func() { m.Lookup(in) }); a != 0 {
		t.Errorf("Lookup = %v allocs; want 0", a)
	}
}

func TestParseMappings(t *testing.T) {
	cases := []struct {
		name, data string
		rows       []string // with want errors empty
		warnings   []string
		errs       []string
	}{
		{name: "clean format without feed",
			data: `{"mappings": [{"alertType": "A", "threatId": "T1000", "threatName": "X"}]}`,
			rows: []string{"A||T1000|X"}},
		{name: "empty clean table", data: `{"mappings": []}`},
		{name: "listing with blank and comment lines, trailing commas and CRLF",
			data: "# comment\r\n\r\n{\"alertType\": \" A \", \"threatId\": \"T1000\",\"threatName\": \"X\", } ,\r\n{\"alertType\": \"B\", \"threatId\": \"T1001.001\", \"threatName\": \"Y\"}\n",
			rows: []string{"A||T1000|X", "B||T1001.001|Y"}},
		{name: "identical duplicate in the clean format",
			data:     "{\"mappings\": [\n{\"alertType\": \"A\", \"threatId\": \"T1000\", \"threatName\": \"X\"},\n{\"alertType\": \"A\", \"threatId\": \"T1000\", \"threatName\": \"X\"}]}",
			rows:     []string{"A||T1000|X"},
			warnings: []string{`m:3: alertType "A" repeats line 2 identically (T1000 X); the duplicate is ignored`}},
		{name: "conflicting duplicate in the listing",
			data: "{\"alertType\": \"A\", \"threatId\": \"T1000\", \"threatName\": \"X\"}\n{\"alertType\": \"A\", \"threatId\": \"T1001\", \"threatName\": \"Y\"}",
			errs: []string{`m:2:15: alertType: alertType "A" maps to T1001 "Y" here but to T1000 "X" at line 1`}},
		{name: "conflicting duplicate in the clean format",
			data: "{\"mappings\": [\n {\"alertType\": \"A\", \"threatId\": \"T1000\", \"threatName\": \"X\"},\n {\"alertType\": \"A\", \"threatId\": \"T1000\", \"threatName\": \"Z\"}]}",
			errs: []string{`m:3:16: mappings[1].alertType: alertType "A" maps to T1000 "Z" here but to T1000 "X" at line 2`}},
		{name: "listing syntax error",
			data: "{\"alertType\": \"A\", \"threatId\": \"T1000\", \"threatName\": \"X\"}\n{\"alertType\": \"B\" \"threatId\": \"T1000\", \"threatName\": \"X\"}",
			errs: []string{`m:2:19: invalid JSON: cannot parse object: missing ',' after object value`}},
		{name: "clean syntax error",
			data: "{\"mappings\": [\n  {\"alertType\": \"A\", \"threatId\": T1000}]}",
			errs: []string{`m:2:34: invalid JSON: cannot parse object: cannot parse object value: cannot parse array: cannot parse array value: cannot parse object: cannot parse object value: cannot parse number: unexpected char: "T"`}},
		{name: "bad threat id", data: `{"alertType": "A", "threatId": "1000", "threatName": "X"}`,
			errs: []string{`m:1:32: threatId: "1000" is not a MITRE ATT&CK technique id like T1566 or T1204.002`}},
		{name: "missing field", data: `{"alertType": "A", "threatName": "X"}`, errs: []string{`m:1:1: missing "threatId"`}},
		{name: "unknown field", data: `{"mappings": [{"alertType": "A", "threatId": "T1000", "threatName": "X", "tactic": "TA0001"}]}`,
			errs: []string{`m:1:84: mappings[0].tactic: unknown field (want alertType, feed, threatId, threatName)`}},
		{name: "field not a string", data: `{"alertType": "A", "threatId": "T1000", "threatName": 7}`,
			errs: []string{`m:1:55: threatName: want a string, got number`}},
		{name: "empty alert type", data: `{"mappings": [{"alertType": "  ", "threatId": "T1000", "threatName": "X"}]}`,
			errs: []string{`m:1:29: mappings[0].alertType: empty alert type`}},
		{name: "empty threat name", data: `{"alertType": "A", "threatId": "T1000", "threatName": ""}`,
			errs: []string{`m:1:55: threatName: empty threat name`}},
		{name: "bad feed", data: `{"mappings": [{"alertType": "A", "feed": "proxy", "threatId": "T1000", "threatName": "X"}]}`,
			errs: []string{`m:1:42: mappings[0].feed: unknown feed "proxy" (want web, firewall or dns)`}},
		{name: "row not an object", data: `{"mappings": [["A"]]}`, errs: []string{`m:1:15: mappings[0]: want an object {"alertType": …, "threatId": …, "threatName": …}`}},
		{name: "mappings not a list", data: `{"mappings": {}}`, errs: []string{`m:1:14: mappings: want a list of mapping objects`}},
		{name: "missing mappings", data: `{}`, errs: []string{`m:1:1: mappings: want a list of mapping objects`}},
		{name: "unknown top-level field", data: `{"mappings": [], "rows": []}`, errs: []string{`m:1:26: rows: unknown field (want "mappings")`}},
		{name: "top is a list", data: `[]`, errs: []string{`m:1:1: want {"mappings": [...]} or one {"alertType": …} object per line`}},
		{name: "empty file", data: ``, errs: []string{`m:1:1: invalid JSON: cannot parse empty string`}},
		{name: "every bad row is reported",
			data: "{\"alertType\": \"A\", \"threatId\": \"x\", \"threatName\": \"X\"}\n{\"alertType\": \"B\", \"threatId\": \"y\", \"threatName\": \"X\"}",
			errs: []string{`m:1:32: threatId: "x" is not a MITRE ATT&CK technique id like T1566 or T1204.002`, `m:2:32: threatId: "y" is not a MITRE ATT&CK technique id like T1566 or T1204.002`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, warnings, err := ParseMappings("m", []byte(tc.data))
			if len(tc.errs) > 0 {
				if err == nil {
					t.Fatalf("ParseMappings(%q) = %v; want errors %q", tc.data, rowsOf(m, true), tc.errs)
				}
				if m != nil || warnings != nil {
					t.Errorf("ParseMappings(%q) returned a table or warnings with the error", tc.data)
				}
				checkFileErrors(t, err, tc.errs)
				return
			}
			if err != nil {
				t.Fatalf("ParseMappings(%q) error %v", tc.data, err)
			}
			if got := rowsOf(m, true); fmt.Sprint(got) != fmt.Sprint(tc.rows) {
				t.Errorf("rows = %q; want %q", got, tc.rows)
			}
			var gotW []string
			for _, w := range warnings {
				gotW = append(gotW, fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg))
			}
			if fmt.Sprint(gotW) != fmt.Sprint(tc.warnings) {
				t.Errorf("warnings = %q; want %q", gotW, tc.warnings)
			}
		})
	}
}

func TestLoadMappingsMissingFile(t *testing.T) {
	if _, _, err := LoadMappings(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadMappings(missing) error = %v; want ErrNotExist", err)
	}
}

func TestWarningString(t *testing.T) {
	for _, tt := range []struct {
		w    Warning
		want string
	}{
		{Warning{File: "m.csv", Line: 4, Msg: "duplicate row"}, "m.csv:4: duplicate row"},
		{Warning{File: "/a/b.csv", Line: 12, Msg: "x"}, "/a/b.csv:12: x"},
	} {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("%#v.String() = %q; want %q", tt.w, got, tt.want)
		}
	}
}
