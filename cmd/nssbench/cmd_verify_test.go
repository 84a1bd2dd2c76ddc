package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// golden is the shipped corpora, seen from this package.
const golden = "../../corpus/golden"

// runCorpusCmd runs one of the corpus commands in-process and returns its exit code, stdout and stderr.
func runCorpusCmd(t *testing.T, cmd func(*env, []string) int, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, ctx: context.Background()}
	code := cmd(e, args)
	return code, out.String(), errb.String()
}

// copyGolden copies a shipped corpus into a temporary directory.
func copyGolden(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(golden, name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// remappedMalware writes a mappings file: PIPELINE.md's table, but "Malware block: malicious file" maps to
// T1105.
func remappedMalware(t *testing.T) string {
	t.Helper()
	data := `{"mappings": [
  {"alertType": "Reputation block outbound request: malicious URL", "threatId": "T1598.003", "threatName": "Spearphishing Link"},
  {"alertType": "Reputation block outbound request: phishing site", "threatId": "T1566", "threatName": "Phishing"},
  {"alertType": "IPS block outbound request: cross-site scripting (XSS) attack", "threatId": "T1189", "threatName": "Drive-by Compromise"},
  {"alertType": "IPS block: cryptomining & blockchain traffic", "threatId": "T1496", "threatName": "Resource Hijacking"},
  {"alertType": "Malware block: malicious file", "threatId": "T1105", "threatName": "Ingress Tool Transfer"},
  {"alertType": "Sandbox block inbound response: malicious file", "threatId": "T1204.002", "threatName": "Malicious File"},
  {"alertType": "Not allowed non-RFC compliant HTTP traffic", "threatId": "T1071", "threatName": "Application Layer Protocol"},
  {"alertType": "Not allowed to upload/download encrypted or password-protected archive files", "threatId": "T1027", "threatName": "Obfuscated Files or Information"},
  {"alertType": "RDP Allow", "threatId": "T1021.001", "threatName": "Remote Desktop Protocol"},
  {"alertType": "Remote Backup Failed", "threatId": "T1020", "threatName": "Automated Exfiltration"}
]}
`
	p := filepath.Join(t.TempDir(), "mappings.json")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerifyCLI(t *testing.T) {
	t.Parallel()
	broken := copyGolden(t, "filters")
	exp := filepath.Join(broken, "expected.jsonl")
	data, _ := os.ReadFile(exp)
	os.WriteFile(exp, data[:bytes.LastIndexByte(data[:len(data)-1], '\n')+1], 0o644) // one verdict short
	truncated := copyGolden(t, "seed-alerts")
	in := filepath.Join(truncated, "input.log")
	data, _ = os.ReadFile(in)
	os.WriteFile(in, data[:len(data)-200], 0o644) // the last record cut, with its line feed
	badManifest := copyGolden(t, "seed-alerts")
	os.WriteFile(filepath.Join(badManifest, "corpus.json"), []byte(`{"format": "xml"}`), 0o644)
	maps := remappedMalware(t)

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"all golden", []string{golden}, exitOK, []string{"ok    ../../corpus/golden/filters: 44 records, 44 match, 0 mismatch",
			"warning: ../../corpus/golden/filters/mappings.txt:5: alertType \"Reputation block outbound request: malicious URL\" repeats line 3 identically", "platform/alert/RDP Allow"}, ""},
		{"flags after corpora", []string{golden + "/seed-alerts", "-max-mismatches", "3", golden + "/malformed"}, exitOK,
			[]string{"golden/seed-alerts: 10 records", "golden/malformed: 20 records", "collector/dropped/malformed/oversize"}, ""},
		{"via tcp", []string{"-via", "tcp", golden + "/nss-header-forms-octet", golden + "/seed-alerts-cloud"}, exitOK,
			[]string{"(via tcp", "nss-header-forms-octet: 41 records, 41 match"}, ""},
		{"proposed mapping", []string{"-mappings", maps, "-max-mismatches", "2", golden + "/nss-header-forms"}, exitConformance,
			[]string{"FAIL  ../../corpus/golden/nss-header-forms: 41 records, 33 match, 8 mismatch", "first 2 of 8 mismatches",
				"line 1: threatId: got T1105, want T1204.002", "line 6: threatName: got Ingress Tool Transfer, want Malicious File",
				"  input: Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|"}, ""},
		{"broken corpus", []string{golden + "/seed-alerts", broken}, exitFailure,
			[]string{"ok    ../../corpus/golden/seed-alerts", "ERROR " + broken, "input.log:44: record 44 has no expected verdict"}, ""},
		{"truncated input", []string{golden + "/seed-alerts", truncated}, exitFailure,
			[]string{"ok    ../../corpus/golden/seed-alerts", "ERROR " + truncated,
				"input.log:10: input ends without a line terminator: the last record may be truncated"}, ""},
		{"bad corpus.json", []string{badManifest}, exitUsage, []string{`format: unknown format "xml"`}, ""},
		{"missing corpus", []string{filepath.Join(t.TempDir(), "nothing")}, exitFailure, []string{"ERROR"}, ""},
		{"bad rules file", []string{"-rules", maps, golden + "/seed-alerts"}, exitUsage, []string{"ERROR"}, ""},
		{"no corpus", nil, exitUsage, nil, "no corpus given"},
		{"bad via", []string{"-via", "udp", golden}, exitUsage, nil, `-via "udp"`},
		{"help", []string{"-h"}, exitOK, []string{"Examples:", "nssbench verify -update"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCorpusCmd(t, cmdVerify, tt.args...)
			if code != tt.code {
				t.Errorf("nssbench verify %v exit = %d; want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

// TestVerifyCLIUpdate: -update with a proposed mapping file makes it the corpus's own (copied in and
// named by corpus.json), so that a plain verify passes afterwards; a file that cannot be copied in is a
// usage error that changes nothing.
func TestVerifyCLIUpdate(t *testing.T) {
	t.Parallel()
	dir := copyGolden(t, "nss-header-forms")
	maps := remappedMalware(t)
	code, stdout, stderr := runCorpusCmd(t, cmdVerify, "-update", "-mappings", maps, dir)
	if code != exitOK || !strings.Contains(stdout, "rewrote expected.jsonl: 8 of 41 records changed; corpus.json now names mappings mappings.json") ||
		!strings.Contains(stdout, "ok    "+dir) {
		t.Fatalf("verify -update exit = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if manifest, _ := os.ReadFile(filepath.Join(dir, "corpus.json")); !strings.Contains(string(manifest), `"mappings": "mappings.json"`) {
		t.Errorf("corpus.json after -update -mappings does not name the copied file:\n%s", manifest)
	}
	if code, stdout, _ := runCorpusCmd(t, cmdVerify, dir); code != exitOK {
		t.Errorf("plain verify after -update -mappings: exit %d; want %d\n%s", code, exitOK, stdout)
	}
	if code, stdout, _ := runCorpusCmd(t, cmdVerify, "-mappings", maps, dir); code != exitOK {
		t.Errorf("verify with the proposed mapping after -update: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCorpusCmd(t, cmdVerify, "-mappings", "builtin", dir); code != exitConformance {
		t.Errorf("verify with the built-in mappings after -update: exit %d; want %d", code, exitConformance)
	}

	clash := filepath.Join(t.TempDir(), "input.log")
	data, _ := os.ReadFile(maps)
	os.WriteFile(clash, data, 0o644)
	dir = copyGolden(t, "seed-alerts")
	want, _ := os.ReadFile(filepath.Join(dir, "corpus.json"))
	code, stdout, _ = runCorpusCmd(t, cmdVerify, "-update", "-mappings", clash, dir)
	if code != exitUsage || !strings.Contains(stdout, `cannot copy `+clash+` into the corpus as "input.log"`) {
		t.Errorf("verify -update -mappings .../input.log: exit %d; want %d\n%s", code, exitUsage, stdout)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "corpus.json")); !bytes.Equal(got, want) {
		t.Errorf("a refused -update changed corpus.json:\n%s", got)
	}
}

func TestVerifyCLIJSONAndJUnit(t *testing.T) {
	t.Parallel()
	junit := filepath.Join(t.TempDir(), "verify.xml")
	code, stdout, stderr := runCorpusCmd(t, cmdVerify, "-json", "-junit", junit, "-mappings", remappedMalware(t),
		golden+"/seed-alerts", golden+"/filters")
	if code != exitConformance {
		t.Fatalf("exit = %d; want %d\nstderr: %s", code, exitConformance, stderr)
	}
	var doc struct {
		OK      bool
		Corpora []struct {
			Corpus, Status string
			Mismatched     int
			Mismatches     []struct {
				Line   int
				Fields []struct{ Field, Got, Want string }
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("-json stdout is not JSON: %v\n%s", err, stdout)
	}
	if doc.OK || len(doc.Corpora) != 2 || doc.Corpora[0].Status != "FAIL" || doc.Corpora[0].Mismatched != 1 ||
		doc.Corpora[0].Mismatches[0].Line != 5 || doc.Corpora[0].Mismatches[0].Fields[0].Got != "T1105" || doc.Corpora[1].Status != "ok" {
		t.Errorf("-json summary = %+v", doc)
	}
	f, err := os.Open(junit)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	var suites, cases, failures int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("-junit file is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "testsuite":
				suites++
			case "testcase":
				cases++
			case "failure":
				failures++
			}
		}
	}
	if suites != 2 || failures != 2 || cases < 2+10 {
		t.Errorf("JUnit: %d suites, %d cases, %d failures; want 2 suites, a case per corpus and class, 2 failures (corpus and class)", suites, cases, failures)
	}
}
