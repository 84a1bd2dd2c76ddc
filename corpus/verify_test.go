package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMappingChange: remapping one alert type makes exactly the records of that type mismatch, in
// threatId and threatName; Update then rewrites exactly those and verification passes again.
func TestMappingChange(t *testing.T) {
	dir := copyCorpus(t, filepath.Join("golden", "nss-header-forms"))
	maps := filepath.Join(t.TempDir(), "mappings.json")
	writeAll(t, maps, mappingsJSON(map[string][2]string{"Malware block: malicious file": {"T1105", "Ingress Tool Transfer"}}))

	var affected []uint64 // lines whose expected alert type is the remapped one
	for i, r := range expectedRecords(t, dir) {
		if r["alertType"] == "Malware block: malicious file" {
			affected = append(affected, uint64(i+1))
		}
	}
	if len(affected) != 8 {
		t.Fatalf("%d malware records; want one per header form (8)", len(affected))
	}
	c := mustLoad(t, dir)
	res, err := Verify(context.Background(), c, VerifyOptions{Spec: PipelineSpec{Mappings: maps}, MaxMismatches: -1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mismatched != uint64(len(affected)) || len(res.Mismatches) != 0 {
		t.Fatalf("Verify = %d mismatches, %d kept; want %d counted, none kept with MaxMismatches -1", res.Mismatched, len(res.Mismatches), len(affected))
	}
	res, err = Verify(context.Background(), c, VerifyOptions{Spec: PipelineSpec{Mappings: maps}, MaxMismatches: 100})
	if err != nil {
		t.Fatal(err)
	}
	var lines []uint64
	for _, m := range res.Mismatches {
		lines = append(lines, m.Line)
		want := []FieldDiff{{"threatId", "T1105", "T1204.002"}, {"threatName", "Ingress Tool Transfer", "Malicious File"}}
		if !slices.Equal(m.Fields, want) || m.Class != "platform/alert/Malware block: malicious file" {
			t.Errorf("mismatch at line %d: %+v in class %q; want %+v", m.Line, m.Fields, m.Class, want)
		}
		if !strings.Contains(m.Input, "|Malware block: malicious file|") {
			t.Errorf("mismatch at line %d shows input %q; want the malware record", m.Line, m.Input)
		}
	}
	if !slices.Equal(lines, affected) {
		t.Errorf("mismatched lines %v; want exactly %v", lines, affected)
	}
	wantText := "line 1: threatId: got T1105, want T1204.002\nline 1: threatName: got Ingress Tool Transfer, want Malicious File\n  input: Jun 11"
	if got := res.Mismatches[0].String(); !strings.HasPrefix(got, wantText) {
		t.Errorf("Mismatch.String() = %q; want prefix %q", got, wantText)
	}
	if !slices.Equal(res.Fields, []FieldCount{{"threatId", 8}, {"threatName", 8}}) {
		t.Errorf("Fields = %v; want threatId and threatName 8 each", res.Fields)
	}

	p, _, err := c.Pipeline(PipelineSpec{Mappings: maps})
	if err != nil {
		t.Fatal(err)
	}
	st, err := Update(context.Background(), c, p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != uint64(len(affected)) || st.Records != 41 {
		t.Errorf("Update = %+v; want %d of 41 records changed", st, len(affected))
	}
	res, err = Verify(context.Background(), mustLoad(t, dir), VerifyOptions{Spec: PipelineSpec{Mappings: maps}})
	if err != nil || !res.OK() {
		t.Fatalf("after Update: %v, %+v; want a pass", err, res)
	}
	if st, err := Update(context.Background(), mustLoad(t, dir), p); err != nil || st.Changed != 0 {
		t.Errorf("second Update = %+v, %v; want nothing changed", st, err)
	}
	// The corpus's own (built-in) mappings now disagree on exactly those records.
	res, err = Verify(context.Background(), mustLoad(t, dir), VerifyOptions{})
	if err != nil || res.Mismatched != uint64(len(affected)) {
		t.Errorf("built-in mappings after the update: %v, %d mismatches; want %d", err, res.Mismatched, len(affected))
	}
}

// mappingsJSON renders PIPELINE.md's mapping table with some rows changed as a mappings file.
func mappingsJSON(changed map[string][2]string) []byte {
	var rows []string
	for at, th := range pipelineMappings {
		if c, ok := changed[at]; ok {
			th = c
		}
		rows = append(rows, fmt.Sprintf(`{"alertType": %q, "threatId": %q, "threatName": %q}`, at, th[0], th[1]))
	}
	slices.Sort(rows)
	return []byte(`{"mappings": [` + "\n  " + strings.Join(rows, ",\n  ") + "\n]}\n")
}

// TestBrokenCorpora: every way a corpus can be broken is an error naming the file and line, never a
// pass.
func TestBrokenCorpora(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		break_ func(t *testing.T, dir string)
		kind   error
		where  string // substring of the error: file and line
	}{
		{"missing expected", "seed-alerts", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "expected.jsonl"))
		}, ErrMissing, "expected.jsonl: no expected verdicts"},
		{"missing corpus.json", "seed-alerts", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "corpus.json"))
		}, ErrMissing, "corpus.json: not a corpus"},
		{"missing input", "seed-alerts", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "input.log"))
		}, ErrMissing, "input.log: no input"},
		{"two inputs", "seed-alerts", func(t *testing.T, dir string) {
			writeAll(t, filepath.Join(dir, "input.log.zst"), readAll(t, filepath.Join(dir, "input.log")))
		}, ErrMissing, "input.log.zst: a corpus has one input"},
		{"missing mappings file", "filters", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "mappings.txt"))
		}, ErrMissing, "mappings.txt: mappings file"},
		{"truncated expected zstd", "malformed", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl.zst")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)*2/3], 0o644)
		}, ErrExpected, "expected.jsonl.zst:"},
		{"truncated input zstd", "malformed", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "input.log.zst")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/2], 0o644)
		}, ErrInput, "input.log.zst:"},
		{"corrupt input zstd", "malformed", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "input.log.zst")
			data, _ := os.ReadFile(p)
			for i := 20; i < 60; i++ {
				data[i] ^= 0x5a
			}
			os.WriteFile(p, data, 0o644)
		}, ErrInput, "input.log.zst:"},
		{"expected one short", "filters", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			lines := strings.SplitAfter(string(readAll(t, p)), "\n")
			writeAll(t, p, []byte(strings.Join(lines[:43], "")))
		}, ErrCount, "input.log:44: record 44 has no expected verdict: expected.jsonl ends after 43 lines"},
		{"expected one long", "filters", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			writeAll(t, p, append(readAll(t, p), `{"line":45,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"bad_header"}`+"\n"...))
		}, ErrCount, "expected.jsonl:45: verdict for a record the input does not have: input.log holds 44 records"},
		{"input one short", "seed-alerts", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "input.log")
			lines := strings.SplitAfter(string(readAll(t, p)), "\n")
			writeAll(t, p, []byte(strings.Join(lines[:9], "")))
		}, ErrCount, "expected.jsonl:10: verdict for a record the input does not have"},
		{"bad JSON line", "filters", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			lines := strings.SplitAfter(string(readAll(t, p)), "\n")
			lines[6] = `{"recordid":"7379073205867185007","feed":"firewall","stage":"platform"` + "\n"
			writeAll(t, p, []byte(strings.Join(lines, "")))
		}, ErrExpected, "expected.jsonl:7: invalid JSON"},
		{"unknown field", "seed-alerts", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"threatId":"T1189"`), []byte(`"threatID":"T1189"`), 1))
		}, ErrExpected, "expected.jsonl:3: threatID: unknown field"},
		{"unknown reason", "filters", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"reason":"policy_access"`), []byte(`"reason":"policy"`), 1))
		}, ErrExpected, `expected.jsonl:29: reason: unknown drop reason "policy"`},
		{"blank line", "seed-alerts", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte("}\n"), []byte("}\n\n"), 1))
		}, ErrExpected, "expected.jsonl:2: blank line"},
		{"no identity", "seed-alerts", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "expected.jsonl")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`{"line":10,`), []byte(`{`), 1))
		}, ErrExpected, `expected.jsonl:10: a verdict record needs "recordid" or "line"`},
		{"framing mismatch", "nss-header-forms-octet", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "corpus.json")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"framing": "octet"`), []byte(`"framing": "lf"`), 1))
		}, ErrInput, "input.log:1: corpus.json declares lf framing, but the collector reads this input as octet"},
		{"bad corpus.json field", "seed-alerts", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "corpus.json")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"mappings": "builtin",`), []byte(`"mappings": "builtin",`+"\n"+`  "patterns": [{"field": "threat", "match": "T1.*"}],`), 1))
		}, ErrManifest, `corpus.json:7: patterns[0].field: unknown verdict field "threat"`},
		{"corpus.json syntax", "seed-alerts", func(t *testing.T, dir string) {
			writeAll(t, filepath.Join(dir, "corpus.json"), []byte(`{"format": "cef",}`))
		}, ErrManifest, "corpus.json: invalid JSON"},
		{"format does not fit", "seed-alerts-cloud", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "corpus.json")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"format": "json"`), []byte(`"format": "cef"`), 1))
		}, ErrManifest, `corpus.json: format: format "cef" does not fit the input input.jsonl`},
		{"invalid Cloud NSS object", "seed-alerts-cloud", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "input.jsonl")
			writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"Severity":"3",`), []byte(`"Severity":3,,`), 1))
		}, ErrInput, "input.jsonl:1: invalid JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyCorpus(t, filepath.Join("golden", tt.src))
			tt.break_(t, dir)
			c, err := Load(dir)
			var res *Result
			if err == nil {
				res, err = Verify(context.Background(), c, VerifyOptions{})
			}
			if err == nil {
				t.Fatalf("Verify(broken corpus) = %+v, nil; want an error", res)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %v", err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.where) {
				t.Errorf("error %q does not name %q", err, tt.where)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.File == "" {
				t.Errorf("error %q is not an *Error naming a file", err)
			}
		})
	}
}

// TestTruncatedInput: an input cut short is an error naming the file and the record, in-process, over
// loopback and for Update (which writes nothing), never a pass. A LF-framed input must end with a line
// feed: an unterminated last line is a record that may have lost its tail. An octet-counted input cut
// inside a frame fails its framing.
func TestTruncatedInput(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		input string
		cut   int    // bytes cut off the end of the input's text
		where string // substring of the error: file, record and cause
	}{
		{"lf", "seed-alerts", "input.log", 200,
			"input.log:10: input ends without a line terminator: the last record may be truncated"},
		{"lf zstd text", "malformed", "input.log.zst", 200,
			"input.log.zst:20: input ends without a line terminator: the last record may be truncated"},
		{"lf CR without LF", "nss-header-forms", "input.log", 1, // the last record ends with CR LF
			"input.log:41: input ends without a line terminator"},
		{"octet", "nss-header-forms-octet", "input.log", 200, "input.log:41: cannot read record: framing: octet counting at offset "},
	}
	for _, tt := range tests {
		for _, via := range []string{ViaInproc, ViaTCP} {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				dir := copyCorpus(t, filepath.Join("golden", tt.src))
				p := filepath.Join(dir, tt.input)
				data := readAll(t, p)
				writeAll(t, p, data[:len(data)-tt.cut])
				res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{Via: via, Timeout: 5 * time.Second})
				if err == nil {
					t.Fatalf("Verify(input cut by %d bytes) = %+v, nil; want an error", tt.cut, res)
				}
				if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tt.where) {
					t.Errorf("Verify(input cut by %d bytes) = %q; want ErrInput naming %q", tt.cut, err, tt.where)
				}
			})
		}
		t.Run(tt.name+"/update", func(t *testing.T) {
			dir := copyCorpus(t, filepath.Join("golden", tt.src))
			c := mustLoad(t, dir)
			want := readAll(t, c.Expected)
			data := readAll(t, c.Input)
			writeAll(t, c.Input, data[:len(data)-tt.cut])
			if _, err := Update(context.Background(), c, nil); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tt.where) {
				t.Errorf("Update(input cut by %d bytes) = %v; want ErrInput naming %q", tt.cut, err, tt.where)
			}
			if got := readAll(t, c.Expected); !bytes.Equal(got, want) {
				t.Errorf("Update of a truncated input rewrote %s", c.Expected)
			}
		})
	}
}

// TestExpectedFormsAndPatterns: expected lines in another member order or spacing match; patterns let
// fields vary, and a value outside the pattern is a mismatch showing the pattern.
func TestExpectedFormsAndPatterns(t *testing.T) {
	dir := copyCorpus(t, filepath.Join("golden", "seed-alerts"))
	p := filepath.Join(dir, "expected.jsonl")
	lines := strings.SplitAfter(string(readAll(t, p)), "\n")
	lines[0] = `{ "threatName": "Spearphishing Link", "threatId": "T1598.003", "mapped": true, "alertType": "Reputation block outbound request: malicious URL", "verdict": "alert", "stage": "platform", "feed": "web", "recordid": "7379073205867184201" }` + "\n"
	lines[1] = strings.Replace(lines[1], `"threatId":"T1566"`, `"threatId":"T9999"`, 1)     // varies: covered by a pattern
	lines[4] = strings.Replace(lines[4], `"threatId":"T1204.002"`, `"threatId":"T1204"`, 1) // varies too
	lines[9] = strings.Replace(lines[9], `{"line":10,`, `{"recordid":"x","line":10,`, 1)
	writeAll(t, p, []byte(strings.Join(lines, "")))
	mp := filepath.Join(dir, "corpus.json")
	writeAll(t, mp, bytes.Replace(readAll(t, mp), []byte(`"mappings": "builtin",`), []byte(`"mappings": "builtin",
  "patterns": [
    {"field": "threatId", "match": "T15[0-9]{2}", "recordids": ["7379073205867184202"]},
    {"field": "threatId", "match": "T1204\\.00[1-3]", "recordids": ["7379073205867184205"]},
    {"field": "recordid", "match": "x?", "lines": [10]}
  ],`), 1))
	res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 10 || !res.OK() {
		t.Fatalf("Verify = %d records, %d mismatches %+v; want 10 records, all matching", res.Records, res.Mismatched, res.Mismatches)
	}

	// Tighten the pattern so that record 5's actual value falls outside it.
	writeAll(t, mp, bytes.Replace(readAll(t, mp), []byte(`T1204\\.00[1-3]`), []byte(`T1204\\.00[13]`), 1))
	res, err = Verify(context.Background(), mustLoad(t, dir), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Mismatches) != 1 || !slices.Equal(res.Mismatches[0].Fields, []FieldDiff{{"threatId", "T1204.002", `~/T1204\.00[13]/`}}) {
		t.Errorf("mismatches = %+v; want record 5's threatId outside the pattern", res.Mismatches)
	}
}

// TestUpdate: Update writes a missing expected file (compressed like the input), reports what changed
// and removes stale lines.
func TestUpdate(t *testing.T) {
	dir := copyCorpus(t, filepath.Join("golden", "malformed"))
	orig := readAll(t, filepath.Join(dir, "expected.jsonl.zst"))
	os.Remove(filepath.Join(dir, "expected.jsonl.zst"))
	c := mustLoad(t, dir)
	if _, err := Verify(context.Background(), c, VerifyOptions{}); !errors.Is(err, ErrMissing) {
		t.Fatalf("Verify without expected = %v; want ErrMissing", err)
	}
	st, err := Update(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 20 || st.Changed != 20 || filepath.Base(st.File) != "expected.jsonl.zst" {
		t.Errorf("Update = %+v; want 20 of 20 records changed into expected.jsonl.zst", st)
	}
	if got := readAll(t, st.File); !bytes.Equal(got, orig) {
		t.Errorf("rewritten expected differs from the shipped one:\n%s\nwant\n%s", got, orig)
	}

	dir = copyCorpus(t, filepath.Join("golden", "seed-alerts"))
	p := filepath.Join(dir, "expected.jsonl")
	data := bytes.Replace(readAll(t, p), []byte(`"threatId":"T1566"`), []byte(`"threatId":"T1567"`), 1)
	data = append(data, "{\"line\":11,\"stage\":\"platform\",\"verdict\":\"alert\",\"alertType\":\"x\",\"mapped\":false}\nnot json\n"...)
	writeAll(t, p, data)
	st, err = Update(context.Background(), mustLoad(t, dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 10 || st.Changed != 1 || st.Removed != 2 {
		t.Errorf("Update = %+v; want 1 of 10 changed, 2 removed", st)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("Update left %s behind", e.Name())
		}
	}
}

// TestVerifyViaTCP runs the shipped corpora through a real loopback collector: CEF over TCP in both
// framings (the malformed corpus's oversize lines cut by the collector), Cloud NSS JSON over HTTP.
func TestVerifyViaTCP(t *testing.T) {
	for _, dir := range goldenDirs(t) {
		if filepath.Base(dir) == "generated" {
			continue // 100 k records: BenchmarkVerify covers volume
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			res, err := Verify(ctx, mustLoad(t, dir), VerifyOptions{Via: ViaTCP, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK() || res.Records == 0 || res.Via != ViaTCP {
				t.Fatalf("via tcp: %d records, %d mismatches %v", res.Records, res.Mismatched, res.Mismatches)
			}
		})
	}
	// A mismatch is found over the wire too.
	dir := copyCorpus(t, filepath.Join("golden", "seed-alerts-cloud"))
	p := filepath.Join(dir, "expected.jsonl")
	writeAll(t, p, bytes.Replace(readAll(t, p), []byte(`"threatId":"T1496"`), []byte(`"threatId":"T1497"`), 1))
	res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{Via: ViaTCP})
	if err != nil || res.Mismatched != 1 || res.Mismatches[0].Line != 4 {
		t.Fatalf("via http with one changed verdict: %v, %+v; want one mismatch at line 4", err, res)
	}
}

// TestJSONArrayInput: a Cloud NSS input may be one JSON array (NSS's "JSON Array Notation").
func TestJSONArrayInput(t *testing.T) {
	dir := copyCorpus(t, filepath.Join("golden", "seed-alerts-cloud"))
	objs := strings.Split(strings.TrimSpace(string(readAll(t, filepath.Join(dir, "input.jsonl")))), "\n")
	os.Remove(filepath.Join(dir, "input.jsonl"))
	writeAll(t, filepath.Join(dir, "input.json.zst"), []byte("[\n  "+strings.Join(objs, ",\n  ")+"\n]\n"))
	for _, via := range []string{ViaInproc, ViaTCP} {
		res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{Via: via})
		if err != nil || !res.OK() || res.Records != 10 {
			t.Errorf("Verify(array input, via %s) = %v, %+v; want 10 matching records", via, err, res)
		}
	}
	writeAll(t, filepath.Join(dir, "input.json.zst"), []byte(`[{"a":1}, 2]`))
	if _, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{}); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "[1]: want a JSON object") {
		t.Errorf("Verify(array with a number) = %v; want ErrInput at [1]", err)
	}
}

// TestVerifyCancelled: a cancelled context stops verification with its error.
func TestVerifyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Verify(ctx, mustLoad(t, filepath.Join("golden", "filters")), VerifyOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify(cancelled) = %v; want context.Canceled", err)
	}
}

func ExampleVerify() {
	c, err := Load("golden/seed-alerts")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := Verify(context.Background(), c, VerifyOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d records, %d match, ok=%v\n", res.Records, res.Matched, res.OK())
	fmt.Println(res.Classes[0].Name)
	// Output:
	// 10 records, 10 match, ok=true
	// platform/alert/IPS block outbound request: cross-site scripting (XSS) attack
}

// TestLoadMappings: "builtin" is the built-in table; a file is loaded with its warnings; a missing one
// is an error.
func TestLoadMappings(t *testing.T) {
	if m, w, err := LoadMappings(Builtin); err != nil || m == nil || m.Len() == 0 || len(w) != 0 {
		t.Errorf("LoadMappings(builtin) = %v, %v, %v; want the built-in table", m, w, err)
	}
	m, w, err := LoadMappings(filepath.Join("golden", "filters", "mappings.txt"))
	if err != nil || m == nil || m.Len() == 0 || len(w) != 1 {
		t.Errorf("LoadMappings(filters) = %v, %v; want its rows and the repeated row's warning", w, err)
	}
	if _, _, err := LoadMappings(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("LoadMappings of a missing file: no error")
	}
}
