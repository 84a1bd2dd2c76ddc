package generator

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// docToken is one field as Zscaler's field tables write it: "%d{istcp}", "%02d{hh}", "%ld{inbytes}".
var docToken = regexp.MustCompile(`%[-0-9]*l{0,2}([sdux])\{([A-Za-z0-9_]+)\}`)

// docField is a field Zscaler documents for a feed: its token and print type ('s', 'd', … or 0 for
// a CSV column, whose type the CSV order does not say).
type docField struct {
	token string
	name  string
	conv  byte
}

// documentedFields reads feeds/testdata/zia-fields/FEED.txt: the field column of every table of
// Zscaler's "NSS Feed Output Format" page of the feed (ZHELP), its obfuscated and hex-encoded lists,
// and the default CSV order (csv: line).
func documentedFields(t testing.TB, feed verdict.Feed) []docField {
	t.Helper()
	raw, err := os.ReadFile("feeds/testdata/zia-fields/" + feed.String() + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []docField
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "csv: "):
			for _, name := range strings.Split(strings.TrimPrefix(line, "csv: "), ",") {
				out = append(out, docField{token: "%s{" + name + "}", name: name})
			}
		default:
			for _, m := range docToken.FindAllStringSubmatch(line, -1) {
				out = append(out, docField{token: m[0], name: m[2], conv: m[1][0]})
			}
		}
	}
	if len(out) < 19 {
		t.Fatalf("%s: %d documented fields; want the whole page (at least 19)", feed, len(out))
	}
	return out
}

// TestDocumentedFieldsHaveValues checks, for every field Zscaler's NSS feed output format page of
// each feed lists, that a format naming it compiles, that a documented %d field is numeric, and that
// the generator's model of that feed gives it a value of its own (not the "None"/0 of an unknown
// field).
func TestDocumentedFieldsHaveValues(t *testing.T) {
	for _, feed := range verdict.Feeds() {
		specs := fieldsOf(feed)
		for _, df := range documentedFields(t, feed) {
			if _, err := nssfmt.Compile(df.token, nssfmt.Options{}); err != nil {
				t.Errorf("%s: %s does not compile: %v", feed, df.token, err)
				continue
			}
			f, variant, _ := nssfmt.Lookup(df.name)
			if df.conv != 0 && df.conv != 's' && variant != nssfmt.Obfuscated && !f.Numeric() {
				t.Errorf("%s: %s is documented as a number but field %s is not numeric", feed, df.token, f.Name())
			}
			s, ok := specs[f.Name()]
			switch {
			case !ok:
				t.Errorf("%s: %s (field %s) has no value in the %s model", feed, df.token, f.Name(), feed)
			case f.Numeric() && s.num == nil:
				t.Errorf("%s: %s (field %s) is numeric but has no Number", feed, df.token, f.Name())
			}
		}
	}
}
