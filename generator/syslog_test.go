package generator_test

import (
	"bytes"
	"flag"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
	"github.com/nssbench/nssbench/reports/golden"
)

// syslogGenerator is goldenGenerator's generator for built-in CEF feed name with syslog form s (and
// record times in loc when it is not nil).
func syslogGenerator(t testing.TB, name string, s generator.Syslog, loc *time.Location) *generator.Generator {
	t.Helper()
	f, err := feeds.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := f.Compile(feeds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[f.Log] = prog
	classes := library(t, func(c *generator.Class) bool { return c.Feed == f.Log && c.Malform != generator.MalformOversize })
	g, err := generator.New(generator.Config{Seed: 1, Classes: classes, Programs: progs, Syslog: s, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// cefFeedNames are the built-in CEF feeds.
func cefFeedNames(t *testing.T) []string {
	var names []string
	for _, n := range feeds.Names() {
		if f, err := feeds.ByName(n); err == nil && f.Encoding == feeds.EncodingCEF {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		t.Fatal("no built-in CEF feed")
	}
	return names
}

// TestSyslogForms checks each form against the format's own line: the same record from "CEF:" on,
// behind the header the form names, with the record's own time and the format's host.
func TestSyslogForms(t *testing.T) {
	prefix := map[generator.Syslog]*regexp.Regexp{
		generator.SyslogNone:    regexp.MustCompile(`^$`),
		generator.SyslogPRI:     regexp.MustCompile(`^<134>[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d zscaler-nss(-fw)? $`),
		generator.SyslogBSD:     regexp.MustCompile(`^<134>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d zscaler-nss(-fw)? $`),
		generator.SyslogRFC5424: regexp.MustCompile(`^<134>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ zscaler-nss(-fw)? nss - - - $`),
	}
	for _, name := range cefFeedNames(t) {
		own := syslogGenerator(t, name, generator.SyslogFormat, nil)
		for s, re := range prefix {
			t.Run(name+"/"+s.String(), func(t *testing.T) {
				g := syslogGenerator(t, name, s, nil)
				for seq := uint64(0); seq < 200; seq++ {
					want, _ := own.Append(nil, seq)
					got, _ := g.Append(nil, seq)
					wi, gi := bytes.Index(want, []byte("CEF:")), bytes.Index(got, []byte("CEF:"))
					if wi < 0 || gi < 0 {
						continue // a malformed class without the signature
					}
					if !bytes.Equal(got[gi:], want[wi:]) {
						t.Fatalf("seq %d: record differs from the format's own:\n got %q\nwant %q", seq, got[gi:], want[wi:])
					}
					if !re.Match(got[:gi]) {
						t.Fatalf("seq %d: header %q does not match %s", seq, got[:gi], re)
					}
					host := string(bytes.Fields(want[:wi])[3])
					if s != generator.SyslogNone && !strings.Contains(string(got[:gi]), " "+host+" ") {
						t.Fatalf("seq %d: header %q lacks the format's host %s", seq, got[:gi], host)
					}
				}
			})
		}
	}
}

// TestSyslogTime checks that the headers carry the record's own time, in the configured zone: event 0
// of the default start (2024-06-11 02:52:44 UTC) in Asia/Kolkata (+05:30) and on a single-digit day.
func TestSyslogTime(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		s    generator.Syslog
		want string
	}{
		{generator.SyslogBSD, "<134>Jun 11 08:22:44 zscaler-nss CEF:0|"},
		{generator.SyslogRFC5424, "<134>1 2024-06-11T08:22:44+05:30 zscaler-nss nss - - - CEF:0|"},
	} {
		line, _ := syslogGenerator(t, "web", tc.s, kolkata).Append(nil, 0)
		if !bytes.HasPrefix(line, []byte(tc.want)) {
			t.Errorf("%s: line starts %q; want %q", tc.s, line[:min(len(line), len(tc.want))], tc.want)
		}
	}
	// RFC 3164 pads a day below 10 with a space.
	f, _ := feeds.ByName("web")
	prog, err := f.Compile(feeds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[f.Log] = prog
	g, err := generator.New(generator.Config{Seed: 1, Programs: progs, Syslog: generator.SyslogBSD,
		Start:   time.Date(2024, time.July, 4, 9, 5, 6, 0, time.UTC),
		Classes: library(t, func(c *generator.Class) bool { return c.Feed == f.Log && c.Malform == generator.MalformNone })})
	if err != nil {
		t.Fatal(err)
	}
	if line, _ := g.Append(nil, 0); !bytes.HasPrefix(line, []byte("<134>Jul  4 09:05:06 zscaler-nss CEF:")) {
		t.Errorf("line starts %q; want <134>Jul  4 09:05:06 zscaler-nss CEF:", line[:40])
	}
}

// TestSyslogParses checks that the reference parser reads every form's header as the prefix and the
// same record, and that malformed classes keep their damage.
func TestSyslogParses(t *testing.T) {
	var p, q cef.Parser
	for _, name := range cefFeedNames(t) {
		own := syslogGenerator(t, name, generator.SyslogFormat, nil)
		for s := generator.SyslogNone; s <= generator.SyslogRFC5424; s++ {
			g := syslogGenerator(t, name, s, nil)
			for seq := uint64(0); seq < 300; seq++ {
				want, _ := own.Append(nil, seq)
				got, _ := g.Append(nil, seq)
				rw, errw := q.Parse(want)
				rg, errg := p.Parse(got)
				if (errw == nil) != (errg == nil) || errw != nil && errw.(*cef.Error).Kind != errg.(*cef.Error).Kind {
					t.Fatalf("%s %s seq %d: Parse error %v; the format's own line gives %v", name, s, seq, errg, errw)
				}
				if errw == nil && (string(rg.Name) != string(rw.Name) || string(rg.Extension) != string(rw.Extension)) {
					t.Fatalf("%s %s seq %d: parsed record differs from the format's own", name, s, seq)
				}
			}
		}
	}
}

// TestSyslogRefusesJSON checks that a form other than the format's own needs a CEF format.
func TestSyslogRefusesJSON(t *testing.T) {
	f, err := feeds.ByName("cloud-web")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := f.Compile(feeds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[f.Log] = prog
	_, err = generator.New(generator.Config{Seed: 1, Programs: progs, Syslog: generator.SyslogRFC5424,
		Classes: library(t, func(c *generator.Class) bool { return c.Feed == f.Log && c.Malform == generator.MalformNone })})
	if err == nil || !strings.Contains(err.Error(), "syslog form rfc5424 needs a CEF format for feed web") {
		t.Fatalf("New with a JSON format and rfc5424 = %v; want a syslog form error", err)
	}
}

func TestParseSyslog(t *testing.T) {
	for _, s := range []generator.Syslog{generator.SyslogFormat, generator.SyslogNone, generator.SyslogBSD, generator.SyslogPRI, generator.SyslogRFC5424} {
		if got, err := generator.ParseSyslog(s.String()); err != nil || got != s {
			t.Errorf("ParseSyslog(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	if got, err := generator.ParseSyslog(""); err != nil || got != generator.SyslogFormat {
		t.Errorf(`ParseSyslog("") = %v, %v; want format`, got, err)
	}
	if _, err := generator.ParseSyslog("rfc3164"); err == nil || !strings.Contains(err.Error(), generator.SyslogChoices) {
		t.Errorf(`ParseSyslog("rfc3164") error = %v; want the choices`, err)
	}
}

// TestSyslogSet: a *Syslog is a flag.Value; a bad name leaves the form as it was.
func TestSyslogSet(t *testing.T) {
	var s generator.Syslog
	var _ flag.Value = &s
	for _, tc := range []struct {
		name string
		want generator.Syslog
		ok   bool
	}{{"rfc5424", generator.SyslogRFC5424, true}, {"bsd", generator.SyslogBSD, true}, {"rfc3164", generator.SyslogBSD, false}, {"", generator.SyslogFormat, true}} {
		if err := s.Set(tc.name); (err == nil) != tc.ok || s != tc.want {
			t.Errorf("Set(%q) = %v, form %v; want %v, ok %t", tc.name, err, s, tc.want, tc.ok)
		}
	}
}

// TestSyslogGolden pins the first well-formed line of every built-in CEF feed in each form.
func TestSyslogGolden(t *testing.T) {
	var out []byte
	for _, name := range cefFeedNames(t) {
		for s := generator.SyslogFormat; s <= generator.SyslogRFC5424; s++ {
			g := syslogGenerator(t, name, s, nil)
			for seq := uint64(0); ; seq++ {
				line, l := g.Append(nil, seq)
				if c := g.Classes()[l.Class]; c.Malform == generator.MalformNone {
					out = goldenLine(out, name+" "+s.String()+" "+c.Name, line)
					break
				}
			}
		}
	}
	golden.Check(t, out)
}

// TestSyslogAllocs checks that every form renders without allocating once the buffers have grown.
func TestSyslogAllocs(t *testing.T) {
	for s := generator.SyslogNone; s <= generator.SyslogRFC5424; s++ {
		g := syslogGenerator(t, "web", s, nil)
		buf := make([]byte, 0, 1<<17)
		seq := uint64(0)
		for ; seq < 100; seq++ {
			buf, _ = g.Append(buf[:0], seq)
		}
		if n := testing.AllocsPerRun(200, func() { buf, _ = g.Append(buf[:0], seq); seq++ }); n != 0 {
			t.Errorf("%s: %v allocations per line; want 0", s, n)
		}
	}
}

// BenchmarkSyslog renders web lines in each syslog form; the forms other than the format's own cost one
// move of the record behind its new header.
func BenchmarkSyslog(b *testing.B) {
	for s := generator.SyslogFormat; s <= generator.SyslogRFC5424; s++ {
		b.Run("syslog="+s.String(), func(b *testing.B) {
			g := syslogGenerator(b, "web", s, nil)
			buf := make([]byte, 0, 1<<17)
			seq := uint64(0)
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = g.Append(buf[:0], seq)
				seq++
			}
			b.SetBytes(int64(len(buf)))
		})
	}
}
