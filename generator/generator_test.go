package generator_test

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
)

func TestNewValidation(t *testing.T) {
	progs := programs(t, map[verdict.Feed]string{verdict.FeedWeb: "web", verdict.FeedFirewall: "firewall"})
	jsonProgs := programs(t, map[verdict.Feed]string{verdict.FeedWeb: "cloud-web"})
	web := func(name string) generator.Class {
		return generator.Class{Name: name, Feed: verdict.FeedWeb, Weight: 1}
	}
	for _, tc := range []struct {
		name string
		cfg  generator.Config
		want []string // every one must appear in the error
	}{
		{"no classes", generator.Config{Programs: progs}, []string{"no classes"}},
		{"bad weights and names", generator.Config{Programs: progs, Classes: []generator.Class{
			{Name: "", Feed: verdict.FeedWeb, Weight: 1},
			{Name: "a", Feed: verdict.FeedWeb, Weight: 0},
			{Name: "b", Feed: verdict.FeedWeb, Weight: math.Inf(1)},
			{Name: "b", Feed: verdict.FeedWeb, Weight: -1},
		}}, []string{"class 0: empty name", `class 1 "a": weight 0`, `class 2 "b": weight +Inf`, `class 3 "b": duplicate name (also class 2)`, `class 3 "b": weight -1`}},
		{"missing program", generator.Config{Programs: progs, Classes: []generator.Class{
			web("w"), {Name: "d", Feed: verdict.FeedDNS, Weight: 1}, {Name: "u", Feed: verdict.FeedUnknown, Weight: 1},
		}}, []string{`class 1 "d": no format program for feed dns`, `class 2 "u": feed : want ` + verdict.FeedChoices()}},
		{"ranges", generator.Config{Programs: progs, Classes: []generator.Class{web("w")}, Users: -1, EventsPerSecond: math.NaN(), MaxLine: -5},
			[]string{"users: -1", "events per second: NaN", "max line: -5"}},
		{"unknown field", generator.Config{Programs: progs, Classes: []generator.Class{
			{Name: "x", Feed: verdict.FeedWeb, Weight: 1, Set: map[string]string{"hots": "a", "reason": "line\nbreak", "action": "a|b"}},
		}}, []string{`set["hots"]: unknown NSS field`, `set["reason"]: value contains a line break`, `set["action"]: "a|b": '|' and '\' would break the CEF header`}},
		{"bad port", generator.Config{Programs: progs, Classes: []generator.Class{
			{Name: "x", Feed: verdict.FeedFirewall, Weight: 1, Set: map[string]string{"nwsvc": "HTTPS", "cdport": "22"}},
			{Name: "y", Feed: verdict.FeedFirewall, Weight: 1, Set: map[string]string{"nwsvc": "NoSuchService"}},
			{Name: "z", Feed: verdict.FeedFirewall, Weight: 1, Set: map[string]string{"cdport": "http"}},
		}}, []string{`port 22 is not a port of network service "HTTPS"`, `"NoSuchService" is not a known network service`, `"http" is not a port number`}},
		{"malformed needs CEF", generator.Config{Programs: jsonProgs, Classes: []generator.Class{
			{Name: "m", Feed: verdict.FeedWeb, Weight: 1, Malform: generator.MalformTruncated},
		}}, []string{`class 0 "m": malform truncated needs a CEF format for feed web`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := generator.New(tc.cfg)
			if err == nil {
				t.Fatal("New = nil error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("New error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// render returns lines seq in [from, to) of g.
func render(g *generator.Generator, from, to uint64) ([][]byte, []generator.Label) {
	var lines [][]byte
	var labels []generator.Label
	for s := from; s < to; s++ {
		b, l := g.Append(nil, s)
		lines, labels = append(lines, b), append(labels, l)
	}
	return lines, labels
}

func TestDeterminism(t *testing.T) {
	const n = 2000
	a, b := newGen(t, 42, nil), newGen(t, 42, nil)
	want, wantLabels := render(a, 0, n)

	t.Run("same seed", func(t *testing.T) {
		got, labels := render(b, 0, n)
		for i := range got {
			if !bytes.Equal(got[i], want[i]) || labels[i] != wantLabels[i] {
				t.Fatalf("line %d differs between two generators with seed 42:\n%q\n%q", i, got[i], want[i])
			}
		}
	})
	t.Run("reverse order, clone, shards", func(t *testing.T) {
		c := a.Clone()
		for s := uint64(n); s > 0; s-- {
			i := s - 1
			g := c
			if i%3 == 0 { // interleave generators as shards would
				g = b
			}
			got, l := g.Append([]byte("prefix"), i)
			if !bytes.Equal(got[len("prefix"):], want[i]) || l != wantLabels[i] {
				t.Fatalf("seq %d rendered out of order differs:\n%q\n%q", i, got, want[i])
			}
		}
	})
	t.Run("different seed", func(t *testing.T) {
		other, _ := render(newGen(t, 43, nil), 0, 50)
		same := 0
		for i := range other {
			if bytes.Equal(other[i], want[i]) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("%d of 50 lines identical for seeds 42 and 43", same)
		}
	})
}

func TestClassMix(t *testing.T) {
	classes := []generator.Class{
		{Name: "a", Feed: verdict.FeedFirewall, Weight: 70},
		{Name: "b", Feed: verdict.FeedFirewall, Weight: 20, Set: map[string]string{"action": "Drop"}},
		{Name: "c", Feed: verdict.FeedDNS, Weight: 9.5},
		{Name: "d", Feed: verdict.FeedDNS, Weight: 0.5, Malform: generator.MalformTruncated},
	}
	g, err := generator.New(generator.Config{Seed: 9, Classes: classes, Programs: programs(t, cefFeeds)})
	if err != nil {
		t.Fatal(err)
	}
	const n = 100_000
	counts := make([]int, len(classes))
	var buf []byte
	for s := uint64(0); s < n; s++ {
		var l generator.Label
		buf, l = g.Append(buf[:0], s)
		counts[l.Class]++
	}
	for i, c := range classes {
		p := c.Weight / 100
		mean, sd := n*p, math.Sqrt(n*p*(1-p))
		if d := math.Abs(float64(counts[i]) - mean); d > 5*sd {
			t.Errorf("class %s: %d of %d events; want %.0f ± %.0f (5σ)", c.Name, counts[i], n, mean, 5*sd)
		}
	}
}

func TestLabelsAndClock(t *testing.T) {
	loc := time.FixedZone("UTC-5", -5*3600)
	start := time.Date(2025, 12, 31, 23, 59, 58, 0, time.UTC)
	g, err := generator.New(generator.Config{Seed: 5, Classes: library(t, wellFormed), Programs: programs(t, cefFeeds),
		Start: start, Location: loc, EventsPerSecond: 500})
	if err != nil {
		t.Fatal(err)
	}
	var p cef.Parser
	var prevID uint64
	var prev time.Time
	for s := uint64(0); s < 3000; s++ {
		line, l := g.Append(nil, s)
		if l.Seq != s || int(l.Class) >= len(g.Classes()) {
			t.Fatalf("Append(%d) label = %+v", s, l)
		}
		if s > 0 && l.RecordID != prevID+1 {
			t.Fatalf("record ids not consecutive: %d after %d", l.RecordID, prevID)
		}
		prevID = l.RecordID
		if id := strconv.FormatUint(l.RecordID, 10); len(id) != 19 {
			t.Fatalf("record id %s has %d digits; want 19", id, len(id))
		}
		r, err := p.Parse(line)
		if err != nil {
			t.Fatalf("seq %d: %v\n%q", s, err, line)
		}
		if ext, _ := r.Get("externalId"); string(ext) != strconv.FormatUint(l.RecordID, 10) {
			t.Fatalf("seq %d: externalId=%s; label record id %d", s, ext, l.RecordID)
		}
		// The syslog prefix is "Mon dd hh:mm:ss tag": no year, zero-padded day, local time.
		ts, err := time.ParseInLocation("Jan 02 15:04:05", string(r.Prefix[:15]), loc)
		if err != nil {
			t.Fatalf("seq %d: prefix %q: %v", s, r.Prefix, err)
		}
		at := start.Add(time.Duration(s) * 2 * time.Millisecond).In(loc)
		ts = ts.AddDate(at.Year(), 0, 0)
		if d := at.Sub(ts); d < 0 || d > 2*time.Second {
			t.Fatalf("seq %d: rendered time %v; virtual time %v (Δ %v)", s, ts, at, d)
		}
		if ts.Before(prev) {
			t.Fatalf("seq %d: time went back from %v to %v", s, prev, ts)
		}
		prev = ts
	}
	// 3000 events at 500/s span 6 s from 23:59:58 UTC = 18:59:58 at UTC-5, crossing no day.
	if prev.Hour() != 19 || prev.Minute() != 0 {
		t.Errorf("last event at %v; want 19:00:0x in UTC-5", prev)
	}
}

func TestWebYearIsFourDigits(t *testing.T) {
	g := newGen(t, 1, func(c *generator.Class) bool { return c.Name == "noise.web_allowed" })
	line, _ := g.Append(nil, 0)
	if !bytes.Contains(line, []byte(" rt=Jun 11 2024 02:52:44 ")) {
		t.Errorf("web line lacks rt with a 4-digit year at the default start:\n%s", line)
	}
	if !bytes.HasPrefix(line, []byte("Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed ")) {
		t.Errorf("web line header:\n%s", line)
	}
}

func TestAppendDoesNotAllocate(t *testing.T) {
	for feed, name := range cefFeeds {
		t.Run(name, func(t *testing.T) {
			g := newGen(t, 1, func(c *generator.Class) bool { return c.Feed == feed && c.Malform != generator.MalformOversize })
			buf := make([]byte, 0, 1<<16)
			seq := uint64(0)
			allocs := testing.AllocsPerRun(2000, func() {
				buf, _ = g.Append(buf[:0], seq)
				seq++
			})
			if allocs != 0 {
				t.Errorf("Append allocates %.2f times per line; want 0", allocs)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	const maxLine = 4096
	for _, mf := range generator.Malforms() {
		t.Run(mf.String(), func(t *testing.T) {
			var classes []generator.Class
			for _, feed := range verdict.Feeds() {
				classes = append(classes, generator.Class{Name: "m." + feed.String(), Feed: feed, Weight: 1, Malform: mf})
			}
			g, err := generator.New(generator.Config{Seed: 3, Classes: classes, Programs: programs(t, cefFeeds), MaxLine: maxLine})
			if err != nil {
				t.Fatal(err)
			}
			var p cef.Parser
			for s := uint64(0); s < 300; s++ {
				line, _ := g.Append(nil, s)
				if bytes.ContainsAny(line, "\r\n") {
					t.Fatalf("seq %d: line contains LF or CR: %q", s, line)
				}
				if mf == generator.MalformOversize {
					if len(line) <= maxLine {
						t.Fatalf("seq %d: oversize line has %d bytes; want > %d", s, len(line), maxLine)
					}
					continue
				}
				if len(line) > maxLine {
					t.Fatalf("seq %d: %s line is %d bytes, over the limit", s, mf, len(line))
				}
				_, err := p.Parse(line)
				got := verdict.DetailNone
				if e, ok := err.(*cef.Error); ok {
					got, _ = verdict.ParseDetail(e.Kind.String()) // a kind is named as its detail
				} else if err == nil && mf == generator.MalformUnknownProduct {
					r, _ := p.Parse(line)
					if verdict.FeedOfProduct(r.Product) == verdict.FeedUnknown {
						got = verdict.DetailUnknownFeed
					}
				} else if err == nil && mf == generator.MalformBadVersion {
					// The parser reads every CEF version; the pipeline drops all but 0.
					if r, _ := p.Parse(line); string(r.Version) != "0" {
						got = verdict.DetailBadVersion
					}
				}
				if got != mf.Detail() {
					t.Fatalf("seq %d: parsing the %s line gives detail %q (err %v); want %q\n%q", s, mf, got, err, mf.Detail(), line)
				}
			}
		})
	}
}

func TestMalformNames(t *testing.T) {
	for _, m := range append(generator.Malforms(), generator.MalformNone) {
		got, err := generator.ParseMalform(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMalform(%q) = %v, %v; want %v", m.String(), got, err, m)
		}
	}
	if _, err := generator.ParseMalform("broken"); err == nil {
		t.Error(`ParseMalform("broken") = nil error`)
	}
	if generator.MalformNone.Detail() != verdict.DetailNone || generator.MalformBinary.Detail() != verdict.DetailBadHeader {
		t.Error("Detail mapping wrong for none/binary")
	}
}

func TestLabelOfAndSeqOf(t *testing.T) {
	g := newGen(t, 8, nil)
	for s := uint64(0); s < 3000; s += 7 {
		_, want := g.Append(nil, s)
		if got := g.LabelOf(s); got != want {
			t.Fatalf("LabelOf(%d) = %+v; Append gave %+v", s, got, want)
		}
		if seq, ok := g.SeqOf(want.RecordID); !ok || seq != s {
			t.Fatalf("SeqOf(%d) = %d, %v; want %d, true", want.RecordID, seq, ok, s)
		}
	}
	base := g.LabelOf(0).RecordID
	for _, id := range []uint64{0, base - 1, base + 1<<60, math.MaxUint64} {
		if seq, ok := g.SeqOf(id); ok {
			t.Errorf("SeqOf(%d) = %d, true; want false", id, seq)
		}
	}
}
