package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/scenarios"
)

// syslogngCEF is a syslog-ng configuration that parses CEF with syslog-ng's own parsers and writes, per
// line read, the raw line, the header fields and the extension pairs as one JSON object. %s are the
// input and output paths.
//
// Debian's syslog-ng (3.38, bookworm) has no cef-parser(): that is syslog-ng Premium Edition's, and
// AxoSyslog's parse_cef() is FilterX, neither packaged. So the CEF parser here is built from what
// syslog-ng OSE has, as its users do: a regexp-parser() for the signature and version (the first
// "CEF:<digits>|" anywhere, as nssbench reads it), csv-parser() with "|" for the header, and
// kv-parser() for the extension. kv-parser() is syslog-ng's own code for values with spaces and raw '=' (its boundary is
// " key="), which is what this test checks nssbench's split against. Where it reads otherwise by
// design: its default pair separator also splits at ", " (so a user agent's "(KHTML, like Gecko)"), so
// the configuration sets one that never occurs and only blanks separate; its keys have no ',' and no
// "[n]"; it resolves no CEF escape; it strips every value's blanks. csv-parser() has no escaped
// delimiter ("\|"). NSS writes neither such keys nor header escapes.
const syslogngCEF = `@version: 3.38
options { stats-freq(0); use-dns(no); };
source s_in { file("%s" flags(no-parse) follow-freq(0.1) log-msg-size(262144)); };
parser p_cef {
  regexp-parser(patterns("CEF:(?<version>[0-9]+)\\|(?<rest>.*)$") prefix(".cef.") template("$MSG"));
  csv-parser(columns(".cef.vendor", ".cef.product", ".cef.device_version", ".cef.signature_id", ".cef.name", ".cef.severity", ".cef.ext")
             template("${.cef.rest}") delimiters("|") flags(greedy) dialect(escape-backslash) quote-pairs(""));
  kv-parser(prefix(".ext.") pair-separator("<no pair separator>") template("${.cef.ext}"));
};
destination d_out { file("%s" template("$(format-json --key .cef.* --key .ext.* --exclude .cef.rest --exclude .cef.ext --pair raw=$MSG)\n")); };
log { source(s_in); parser(p_cef); destination(d_out); };
`

// syslogngRecord is one line of syslogngCEF's output.
type syslogngRecord struct {
	Raw string            `json:"raw"`
	CEF map[string]string `json:"_cef"`
	Ext map[string]string `json:"_ext"`
}

// crossCheckLines returns generated lines of every CEF feed (each built-in CEF feed in turn, every class
// of the default scenario) and Zscaler's public samples.
func crossCheckLines(t *testing.T) [][]byte {
	t.Helper()
	scn, err := scenarios.Builtin("default")
	if err != nil {
		t.Fatal(err)
	}
	compile := func(name string) (*feeds.Feed, *nssfmt.Program) {
		f, err := feeds.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := f.Compile(feeds.Options{RecordTracking: true, Escape: scn.FeedEscape})
		if err != nil {
			t.Fatalf("feed %s: %v", name, err)
		}
		return f, prog
	}
	base := generator.Config{Seed: 11, Classes: scn.Classes, Users: scn.Users, Location: scn.TimeZone}
	for _, name := range scn.Feeds {
		f, prog := compile(name)
		base.Programs[f.Log] = prog
	}
	var lines [][]byte
	for _, name := range feeds.Names() {
		f, prog := compile(name)
		if f.Encoding != feeds.EncodingCEF {
			continue
		}
		cfg := base
		cfg.Programs[f.Log] = prog
		g, err := generator.New(cfg)
		if err != nil {
			t.Fatalf("feed %s: %v", name, err)
		}
		// Every class of the feed's log type, several times each, bounded.
		seen := map[uint16]int{}
		for seq := uint64(0); seq < 20_000 && len(lines) < 1_000_000; seq++ {
			line, label := g.Append(nil, seq)
			if scn.Classes[label.Class].Feed != f.Log || seen[label.Class] >= 5 {
				continue
			}
			seen[label.Class]++
			lines = append(lines, line)
		}
		if len(seen) == 0 {
			t.Fatalf("feed %s: no line generated", name)
		}
	}
	// Rules that NSS lines rarely exercise, where syslog-ng's parsers are meant to agree. Not here:
	// keys with ',' or "[n]" (kv-parser() keys have neither) and header escapes (csv-parser() has no
	// escaped delimiter), which NSS never writes.
	lines = append(lines,
		[]byte(`<134>Jun 11 02:52:44 host CEF:0|Zscaler|NSSWeblog|5.7|Blocked|n|3|request=a.com/p?x=1&y=|2 e= dup=1 dup=2 esc=a\=b\\c msg=two  spaces pad=x  next=y last=x `),
		[]byte(`CEF:1|V|P|1.0|sig|a = b|3|k=v k2=v 2`),
		[]byte(`Jun 11 02:52:44 host nss: CEF:26|V|P|1|s|n|10|`))
	for _, path := range []string{"golden/public-samples-cef/input.log", "golden/nss-header-forms/input.log"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for l := range bytes.SplitSeq(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
			lines = append(lines, bytes.TrimSuffix(l, []byte("\r"))) // the framer strips a CR before the LF
		}
	}
	return lines
}

// TestSyslogngAgreesOnCEF runs a real syslog-ng, parsing CEF with its own parsers, over generated lines
// of every CEF feed and Zscaler's public samples, and checks that the header fields and extension
// values it reads equal nssbench's for every line nssbench parses.
//
// Where syslog-ng's kv-parser() reads differently by design, the test compares after that difference,
// and says so: it resolves no CEF escape (\=, \\, \n, \r stay as written; the test resolves them in
// syslog-ng's value), and it strips each value's blanks, where rev. 27 keeps all but the separator (the
// test then compares with nssbench's value trimmed). Both are counted; nothing else may differ.
func TestSyslogngAgreesOnCEF(t *testing.T) {
	bin, err := exec.LookPath("syslog-ng")
	if err != nil {
		t.Skip("syslog-ng is not installed (apt-get install syslog-ng-core): the CEF cross-check needs it")
	}
	lines := crossCheckLines(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.log"), filepath.Join(dir, "out.jsonl")
	conf := filepath.Join(dir, "syslog-ng.conf")
	var buf bytes.Buffer
	for _, l := range lines {
		buf.Write(l)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, fmt.Appendf(nil, syslogngCEF, in, out), 0o644); err != nil {
		t.Fatal(err)
	}

	// nssbench's reading: only lines it parses are compared.
	want := map[string]*cefReading{}
	var p cef.Parser
	for _, l := range lines {
		r, err := p.Parse(l)
		if err != nil {
			continue
		}
		pairs, err := p.Extensions(r)
		if err != nil {
			continue
		}
		want[string(l)] = readingOf(r, pairs)
	}
	if len(want) < len(lines)*3/4 {
		t.Fatalf("nssbench parses %d of %d lines; the test needs most of them well-formed", len(want), len(lines))
	}

	got := runSyslogng(t, bin, dir, conf, out, want)
	var escapes, blanks int
	for raw, w := range want {
		g, ok := got[raw]
		if !ok {
			t.Errorf("syslog-ng did not parse a line nssbench parses:\n%.300s", raw)
			continue
		}
		for _, h := range [...]string{"version", "vendor", "product", "device_version", "signature_id", "name", "severity"} {
			if g.CEF[h] != w.header[h] {
				t.Errorf("header %s: syslog-ng %q, nssbench %q in\n%.300s", h, g.CEF[h], w.header[h], raw)
			}
		}
		if len(g.Ext) != len(w.ext) {
			t.Errorf("syslog-ng read %d extension keys, nssbench %d in\n%.300s", len(g.Ext), len(w.ext), raw)
		}
		for k, v := range w.ext {
			sv, ok := g.Ext[k]
			switch {
			case !ok:
				t.Errorf("extension %s: missing in syslog-ng's reading of\n%.300s", k, raw)
			case sv == v:
			case unescapeCEF(sv) == v:
				escapes++ // kv-parser() resolves no CEF escape
			case unescapeCEF(sv) == strings.Trim(v, " \t"):
				blanks++ // kv-parser() strips the blanks rev. 27 keeps
			default:
				t.Errorf("extension %s: syslog-ng %q, nssbench %q in\n%.300s", k, sv, v, raw)
			}
		}
	}
	t.Logf("%d lines, %d parsed by nssbench, all equal in syslog-ng %s; values equal but for kv-parser's known differences: %d unresolved escapes, %d stripped blanks",
		len(lines), len(want), bin, escapes, blanks)
}

// cefReading is nssbench's reading of a line: header fields by syslogngCEF's names, and each key's last
// value, unescaped and as written.
type cefReading struct {
	header map[string]string
	ext    map[string]string
}

func readingOf(r *cef.Record, pairs []cef.Pair) *cefReading {
	c := &cefReading{header: map[string]string{
		"version": string(r.Version), "vendor": string(r.Vendor), "product": string(r.Product),
		"device_version": string(r.DeviceVersion), "signature_id": string(r.SignatureID), "name": string(r.Name),
		"severity": string(r.Severity)}, ext: map[string]string{}}
	for _, pr := range pairs {
		c.ext[string(pr.Key)] = string(pr.Value)
	}
	return c
}

// unescapeCEF resolves the CEF value escapes \= \\ \n \r, keeping any other backslash.
func unescapeCEF(v string) string {
	return strings.NewReplacer(`\=`, "=", `\\`, `\`, `\n`, "\n", `\r`, "\r").Replace(v)
}

// runSyslogng runs syslog-ng in the foreground with its own state files until it has written a record
// for every line of want, its output has stopped growing for 5 s, or 60 s have passed; it returns
// syslog-ng's records by raw line.
func runSyslogng(t *testing.T, bin, dir, conf, out string, want map[string]*cefReading) map[string]syslogngRecord {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-F", "--no-caps", "-f", conf,
		"-R", filepath.Join(dir, "persist"), "-p", filepath.Join(dir, "pid"), "-c", filepath.Join(dir, "ctl"))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start syslog-ng: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		<-exited
	}()
	var got map[string]syslogngRecord
	last, lastGrowth := -1, time.Now()
	for {
		select {
		case <-exited:
			t.Fatalf("syslog-ng exited: %v\n%s", cmd.ProcessState, stderr.String())
		case <-ctx.Done():
			t.Logf("syslog-ng: 60 s passed; stderr:\n%s", stderr.String())
			return got
		case <-time.After(200 * time.Millisecond):
		}
		got = readSyslogngOut(out)
		if len(got) != last {
			last, lastGrowth = len(got), time.Now()
		}
		missing := false
		for raw := range want {
			if _, ok := got[raw]; !ok {
				missing = true
				break
			}
		}
		if !missing || time.Since(lastGrowth) > 5*time.Second {
			return got
		}
	}
}

// readSyslogngOut reads syslog-ng's records so far, by raw line.
func readSyslogngOut(path string) map[string]syslogngRecord {
	got := map[string]syslogngRecord{}
	f, err := os.Open(path)
	if err != nil {
		return got
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r syslogngRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			continue // a line being written
		}
		got[r.Raw] = r
	}
	return got
}
