package feeds_test

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
)

// sampleValues are field values recovered from one of Zscaler's Cloud NSS JSON samples.
type sampleValues struct {
	text map[nssfmt.Field]string
	num  map[nssfmt.Field]int64
}

func (s sampleValues) AppendText(dst []byte, f nssfmt.Field) []byte {
	if v, ok := s.text[f]; ok {
		return append(dst, v...)
	}
	return append(dst, "None"...) // the derived lines render missing values as None
}

func (s sampleValues) Number(f nssfmt.Field) int64 { return s.num[f] }

// cloudKey matches one `"key":"%s{field}"` pair of a Cloud NSS format.
var cloudKey = regexp.MustCompile(`"(\w+)":"%[-0-9l]*[sduxX]\{(\w+)\}"`)

// readSample recovers field values from a Zscaler Cloud NSS sample, whose keys are the CEF keys:
// each key maps to the field the feed's Cloud NSS format prints under it (obfuscated ones are
// skipped: a hash cannot be inverted), or to the field of the same name. TimeGenerated gives the
// time fields.
func readSample(t *testing.T, path string, cloud *feeds.Feed) sampleValues {
	t.Helper()
	keyField := map[string]nssfmt.Field{}
	for _, m := range cloudKey.FindAllStringSubmatch(cloud.Format, -1) {
		f, variant, ok := nssfmt.Lookup(m[2])
		if _, seen := keyField[m[1]]; ok && !seen && variant != nssfmt.Obfuscated {
			keyField[m[1]] = f
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, line, _ := strings.Cut(string(raw), "\n") // the # source: line
	obj, err := fastjson.Parse(line)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s := sampleValues{text: map[nssfmt.Field]string{}, num: map[nssfmt.Field]int64{}}
	set := func(name, value string) {
		f, ok := nssfmt.FieldByName(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		s.text[f] = value
		s.num[f], _ = strconv.ParseInt(value, 10, 64)
	}
	obj.GetObject().Visit(func(key []byte, v *fastjson.Value) {
		value := string(v.GetStringBytes())
		if string(key) == "TimeGenerated" {
			ts, err := time.Parse("2006-01-02 15:04:05", strings.Replace(value, ",", " ", 1))
			if err != nil {
				t.Fatalf("%s: TimeGenerated: %v", path, err)
			}
			set("mon", ts.Format("Jan"))
			for name, n := range map[string]int{"yy": ts.Year(), "mth": int(ts.Month()), "dd": ts.Day(), "hh": ts.Hour(), "mm": ts.Minute(), "ss": ts.Second()} {
				set(name, strconv.Itoa(n))
			}
			return
		}
		f, ok := keyField[string(key)]
		if !ok {
			if f, ok = nssfmt.FieldByName(string(key)); !ok {
				return
			}
		}
		if _, dup := s.text[f]; !dup {
			s.text[f] = value
			s.num[f], _ = strconv.ParseInt(value, 10, 64)
		}
	})
	return s
}

// TestDerivedLines renders Zscaler's CEF formats with the values of Zscaler's own Cloud NSS samples
// and compares the result with the independently derived lines in testdata/zia (copied from the
// reference material; their first lines say how they were made).
func TestDerivedLines(t *testing.T) {
	derived := map[string]string{} // feed tag (web, fw, dns) → line
	file, err := os.Open("testdata/zia/derived-cef-from-zscaler-samples.log")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(nil, 1<<20)
	tag := ""
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# feed="); ok {
			tag, _, _ = strings.Cut(rest, " ")
		} else if !strings.HasPrefix(line, "#") && tag != "" {
			derived[tag] = line
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ tag, feed, cloud string }{
		{"web", "web", "cloud-web"},
		{"fw", "firewall", "cloud-firewall"},
		{"dns", "dns", "cloud-dns"},
	}
	for _, tt := range tests {
		t.Run(tt.feed, func(t *testing.T) {
			want, ok := derived[tt.tag]
			if !ok {
				t.Fatalf("no derived line for %s", tt.tag)
			}
			cef, err := feeds.ByName(tt.feed)
			if err != nil {
				t.Fatal(err)
			}
			cloud, err := feeds.ByName(tt.cloud)
			if err != nil {
				t.Fatal(err)
			}
			values := readSample(t, "testdata/zia/zscaler-microsoft-resources__cloud-nss-test__sample-"+tt.tag+".jsonl", cloud)
			p, err := cef.Compile(feeds.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(p.Append(nil, values)); got != want {
				t.Errorf("rendered %s differs from the derived line at byte %d:\n got %s\nwant %s",
					tt.feed, diffAt(got, want), got, want)
			}
		})
	}
}

// diffAt returns the offset of the first byte where a and b differ.
func diffAt(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
