package feeds_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports/golden"
)

// fakeValues are deterministic values for every field: the field name with a suffix, a few
// values with spaces or URL shapes, numbers from the field index.
type fakeValues struct{}

func (fakeValues) AppendText(dst []byte, f nssfmt.Field) []byte {
	switch f.Name() {
	case "mon":
		return append(dst, "Jun"...)
	case "url":
		return append(dst, "www.example.com/a path/index.html"...)
	case "host":
		return append(dst, "www.example.com"...)
	case "location":
		return append(dst, "Road Warrior"...)
	case "urlfilterrulelabel":
		return append(dst, "None"...)
	case "login":
		return append(dst, "jdoe@safemarch.com"...)
	}
	if f.Numeric() {
		return strconv.AppendInt(dst, fakeValues{}.Number(f), 10)
	}
	return append(append(dst, f.Name()...), "-value"...)
}

func (fakeValues) Number(f nssfmt.Field) int64 {
	switch f.Name() {
	case "yy":
		return 2024
	case "recordid":
		return 7379073205867184130
	}
	return int64(f)%50 + 1
}

func TestNames(t *testing.T) {
	want := []string{"web", "web-short", "firewall", "dns", "cloud-web", "cloud-firewall", "cloud-dns"}
	if got := feeds.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q; want %q", got, want)
	}
}

func TestByName(t *testing.T) {
	tests := []struct {
		name     string
		log      verdict.Feed
		encoding feeds.Encoding
		prefix   string // the format's start
	}{
		{"web", verdict.FeedWeb, feeds.EncodingCEF, "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|"},
		{"web-short", verdict.FeedWeb, feeds.EncodingCEF, "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|"},
		{"firewall", verdict.FeedFirewall, feeds.EncodingCEF, "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|"},
		{"dns", verdict.FeedDNS, feeds.EncodingCEF, "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss-fw CEF:0|Zscaler|NSSDNSlog|5.7|"},
		{"cloud-web", verdict.FeedWeb, feeds.EncodingJSON, `\{"TimeGenerated":`},
		{"cloud-firewall", verdict.FeedFirewall, feeds.EncodingJSON, `\{"TimeGenerated":`},
		{"cloud-dns", verdict.FeedDNS, feeds.EncodingJSON, `\{"TimeGenerated":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := feeds.ByName(tt.name)
			if err != nil {
				t.Fatalf("ByName(%q) error: %v", tt.name, err)
			}
			if f.Name != tt.name || f.Log != tt.log || f.Encoding != tt.encoding {
				t.Errorf("ByName(%q) = %v; want %s (%s, %s)", tt.name, f, tt.name, tt.log, tt.encoding)
			}
			if !strings.HasPrefix(f.Source, "github.com/zscaler/microsoft-resources ") {
				t.Errorf("ByName(%q).Source = %q; want Zscaler's repository", tt.name, f.Source)
			}
			if !strings.HasPrefix(f.Format, tt.prefix) {
				t.Errorf("ByName(%q).Format starts %q; want %q", tt.name, f.Format[:min(len(f.Format), len(tt.prefix))], tt.prefix)
			}
			if strings.ContainsAny(f.Format, "\r\n") {
				t.Errorf("ByName(%q).Format contains a line break", tt.name)
			}
			if !strings.Contains(f.Format, tt.log.Product()) {
				t.Errorf("ByName(%q).Format does not name product %s", tt.name, tt.log.Product())
			}
			p, err := f.Compile(feeds.Options{})
			if err != nil {
				t.Fatalf("ByName(%q).Compile error: %v", tt.name, err)
			}
			if p.String() != f.Format {
				t.Errorf("ByName(%q).Compile().String() differs from Format", tt.name)
			}
			// Changing the returned feed does not change the built-in.
			f.Format = "changed"
			if g, _ := feeds.ByName(tt.name); g.Format == "changed" {
				t.Errorf("ByName(%q) shares its Feed between calls", tt.name)
			}
		})
	}
}

func TestByNameUnknown(t *testing.T) {
	_, err := feeds.ByName("fw")
	if err == nil {
		t.Fatal(`ByName("fw") succeeded; want an error`)
	}
	for _, name := range feeds.Names() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("ByName(%q) error %q does not list %q", "fw", err, name)
		}
	}
}

func TestRecordTracking(t *testing.T) {
	tests := []struct {
		name  string
		added bool // RecordTracking adds externalId (else the format already has it)
	}{
		{"web", false}, {"web-short", false}, {"cloud-web", false},
		{"firewall", true}, {"dns", true}, {"cloud-firewall", true}, {"cloud-dns", true},
	}
	const id = "7379073205867184130" // fakeValues' recordid
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := feeds.ByName(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := f.Compile(feeds.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tracked, err := f.Compile(feeds.Options{RecordTracking: true})
			if err != nil {
				t.Fatalf("Compile(RecordTracking) error: %v", err)
			}
			before := string(plain.Append(nil, fakeValues{}))
			after := string(tracked.Append(nil, fakeValues{}))
			if n := strings.Count(after, "externalId"); n != 1 {
				t.Errorf("with RecordTracking, externalId appears %d times; want 1:\n%s", n, after)
			}
			if !strings.Contains(after, id) {
				t.Errorf("with RecordTracking, the record id %s is missing:\n%s", id, after)
			}
			if !tt.added {
				if after != before || tracked.String() != f.Format {
					t.Errorf("RecordTracking changed a format that already prints recordid")
				}
				return
			}
			if strings.Contains(before, "externalId") {
				t.Errorf("without RecordTracking, externalId appears:\n%s", before)
			}
			switch f.Encoding {
			case feeds.EncodingCEF:
				if want := before + " externalId=" + id; after != want {
					t.Errorf("tracked CEF line =\n%s\nwant\n%s", after, want)
				}
			case feeds.EncodingJSON:
				v, err := fastjson.Parse(after)
				if err != nil {
					t.Fatalf("tracked JSON record does not parse: %v\n%s", err, after)
				}
				if got := string(v.GetStringBytes("externalId")); got != id {
					t.Errorf("tracked JSON externalId = %q; want %q", got, id)
				}
			}
		})
	}
}

func TestCloudFeedsRenderJSON(t *testing.T) {
	// With the escape set Zscaler recommends for JSON, values with quotes still give valid JSON.
	quoting := quotingValues{}
	for _, name := range []string{"cloud-web", "cloud-firewall", "cloud-dns"} {
		f, err := feeds.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.Compile(feeds.Options{Escape: `,"\`})
		if err != nil {
			t.Fatal(err)
		}
		line := p.Append(nil, quoting)
		if err := fastjson.ValidateBytes(line); err != nil {
			t.Errorf("feed %s: record is not JSON: %v\n%s", name, err, line)
		}
		if !bytes.Contains(line, []byte(`a%2c%20%22b%22%5c`)) && !bytes.Contains(line, []byte(`a%2c %22b%22%5c`)) {
			t.Errorf("feed %s: escaped value missing:\n%s", name, line)
		}
	}
}

// quotingValues gives every string field a value JSON would choke on.
type quotingValues struct{}

func (quotingValues) AppendText(dst []byte, f nssfmt.Field) []byte {
	if f.Numeric() {
		return append(dst, '7')
	}
	return append(dst, `a, "b"\`...)
}

func (quotingValues) Number(nssfmt.Field) int64 { return 7 }

func TestCompileUserFormatRecordTracking(t *testing.T) {
	other := &feeds.Feed{Name: "csv", Log: verdict.FeedFirewall, Encoding: feeds.EncodingOther, Format: `%s{action},%s{rulelabel}`}
	if _, err := other.Compile(feeds.Options{RecordTracking: true}); err == nil {
		t.Errorf("RecordTracking on a CSV format without recordid succeeded; want an error")
	}
	other.Format += `,%d{recordid}`
	if _, err := other.Compile(feeds.Options{RecordTracking: true}); err != nil {
		t.Errorf("RecordTracking on a CSV format with recordid: %v", err)
	}
	nested := &feeds.Feed{Name: "elastic", Log: verdict.FeedDNS, Encoding: feeds.EncodingJSON,
		Format: `\{"sourcetype":"zscalernss-dns","event":\{"user":"%s{elogin}","req":"%s{req}"\}\}`}
	p, err := nested.Compile(feeds.Options{RecordTracking: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := fastjson.ParseBytes(p.Append(nil, fakeValues{}))
	if err != nil {
		t.Fatalf("tracked nested JSON does not parse: %v", err)
	}
	if got := string(v.GetStringBytes("externalId")); got != "7379073205867184130" {
		t.Errorf("nested JSON externalId = %q; want it at the top level", got)
	}
	broken := &feeds.Feed{Name: "j", Log: verdict.FeedDNS, Encoding: feeds.EncodingJSON, Format: `"req":"%s{req}"`}
	if _, err := broken.Compile(feeds.Options{RecordTracking: true}); err == nil {
		t.Errorf("RecordTracking on JSON without a closing brace succeeded; want an error")
	}
	bad := &feeds.Feed{Name: "bad", Format: `%s{hots}`}
	if _, err := bad.Compile(feeds.Options{}); err == nil || !strings.Contains(err.Error(), "feed bad") {
		t.Errorf("Compile of a bad format = %v; want an error naming the feed", err)
	}
}

func TestRenderGolden(t *testing.T) {
	for _, name := range feeds.Names() {
		t.Run(name, func(t *testing.T) {
			f, err := feeds.ByName(name)
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.Compile(feeds.Options{RecordTracking: true, Escape: "="})
			if err != nil {
				t.Fatal(err)
			}
			got := append(p.Append(nil, fakeValues{}), '\n')
			golden.File(t, filepath.Join("testdata", t.Name()+".golden"), got)
		})
	}
}

func TestEncodingString(t *testing.T) {
	for e, want := range map[feeds.Encoding]string{feeds.EncodingCEF: "cef", feeds.EncodingJSON: "json", feeds.EncodingOther: "other"} {
		if got := e.String(); got != want {
			t.Errorf("Encoding(%d).String() = %q; want %q", e, got, want)
		}
	}
}

// TestDescriptorFormats checks that every feed's descriptor names built-in formats of that feed: its
// default in CEF, its Cloud NSS one in JSON.
func TestDescriptorFormats(t *testing.T) {
	for _, log := range verdict.Feeds() {
		d := log.Descriptor()
		for _, tt := range []struct {
			name string
			enc  feeds.Encoding
		}{{d.Format, feeds.EncodingCEF}, {d.Cloud, feeds.EncodingJSON}} {
			f, err := feeds.ByName(tt.name)
			if err != nil {
				t.Errorf("feed %s: %v", log, err)
				continue
			}
			if f.Log != log || f.Encoding != tt.enc {
				t.Errorf("feed %s: format %s is %s; want a %s %s format", log, tt.name, f, log, tt.enc)
			}
		}
	}
}
