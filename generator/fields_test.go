package generator

import (
	"testing"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// TestNumericFieldsHaveNumbers checks that every field Zscaler prints with %d that the model knows
// has a Number, so %d{f} never silently renders 0 for a drawn value.
func TestNumericFieldsHaveNumbers(t *testing.T) {
	for _, feed := range verdict.Feeds() {
		specs := fieldsOf(feed)
		for _, f := range nssfmt.Fields() {
			s, ok := specs[f.Name()]
			if ok && f.Numeric() && s.num == nil {
				t.Errorf("feed %s: field %s is numeric but has no Number", feed, f.Name())
			}
			if ok && s.text == nil {
				t.Errorf("feed %s: field %s has no text", feed, f.Name())
			}
		}
	}
}

// TestBuiltinFieldsKnown checks that the model gives a value to every field of Zscaler's formats.
func TestBuiltinFieldsKnown(t *testing.T) {
	known := map[verdict.Feed]map[string]fieldSpec{}
	for _, feed := range verdict.Feeds() {
		known[feed] = fieldsOf(feed)
	}
	want := map[verdict.Feed][]string{
		verdict.FeedWeb:      {"mon", "dd", "yy", "action", "reason", "proto", "urlcat", "host", "sip", "cip", "respsize", "respcode", "reqsize", "url", "cintip", "ua", "reqmethod", "login", "location", "recordid", "filetype", "appname", "riskscore", "dept", "urlsupercat", "appclass", "malwarecat", "threatname", "dlpeng", "urlclass", "dlpdict", "referer", "contenttype", "unscannabletype", "deviceowner", "devicehostname", "keyprotectiontype", "threatseverity", "malwareclass", "bamd5", "sha256", "nsssvcip", "ztunnelversion"},
		verdict.FeedFirewall: {"action", "rulelabel", "login", "csip", "csport", "cdip", "cdport", "ssip", "ssport", "sdip", "sdport", "tsip", "tsport", "ipproto", "ttype", "dnat", "stateful", "location", "inbytes", "outbytes", "dept", "nwsvc", "nwapp", "aggregate", "threatcat", "threatname", "durationms", "numsessions", "ipcat", "destcountry", "avgduration"},
		verdict.FeedDNS:      {"action", "rulelabel", "login", "dept", "reqaction", "resaction", "reqtype", "req", "res", "durationms", "reqrulelabel", "resrulelabel", "domcat", "cip", "sip", "sport", "location", "deviceowner", "devicehostname"},
	}
	for feed, names := range want {
		for _, n := range names {
			if _, ok := known[feed][n]; !ok {
				t.Errorf("feed %s: no value for field %s", feed, n)
			}
		}
	}
}

// TestFeedModels checks that the generator models every registered feed.
func TestFeedModels(t *testing.T) {
	for _, f := range verdict.Feeds() {
		if fm := feedModels[f]; fm.fields == nil || fm.compile == nil || fm.draw == nil {
			t.Errorf("feed %s: no complete feedModel", f)
		}
	}
}
