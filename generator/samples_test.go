package generator_test

import (
	"bufio"
	"encoding/csv"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/vocab"
	"github.com/valyala/fastjson"
)

// vocabulary is a named set of values the generator knows.
type vocabulary map[string]bool

func (v vocabulary) add(values ...string) vocabulary {
	for _, s := range values {
		v[s] = true
	}
	return v
}

// sampleVocab returns, per kind of value, everything the generator's vocabularies hold.
func sampleVocab() map[string]vocabulary {
	cats, supers, reasons, svcs := vocabulary{}, vocabulary{}, vocabulary{}, vocabulary{}
	for _, c := range vocab.URLCategories() {
		cats.add(c.Name)
		supers.add(c.Super)
	}
	for _, r := range vocab.PolicyReasons() {
		reasons.add(r.Reason)
	}
	for _, s := range vocab.NetworkServices() {
		svcs.add(s.Name)
	}
	return map[string]vocabulary{
		"reason":        reasons.add(vocab.Observed("reason")...),
		"urlcat":        cats.add(vocab.Observed("urlcat")...),
		"urlsupercat":   supers.add(vocab.Observed("urlsupercat")...),
		"nwsvc":         svcs.add(vocab.Observed("nwsvc")...),
		"web.action":    vocabulary{}.add(vocab.Observed("web.action")...),
		"fw.action":     vocabulary{}.add(vocab.Observed("fw.action")...),
		"dns.action":    vocabulary{}.add(vocab.Observed("dns.action")...),
		"dns.reqaction": vocabulary{}.add(vocab.Observed("dns.reqaction")...),
		"dns.resaction": vocabulary{}.add(vocab.Observed("dns.resaction")...),
		"fw.rulelabel":  vocabulary{}.add(vocab.Observed("fw.rulelabel")...),
		"dns.rulelabel": vocabulary{}.add(vocab.Observed("dns.rulelabel")...),
	}
}

// sampleKeys maps, per feed, the keys samples use for a value to the vocabulary it belongs to.
var sampleKeys = map[string]map[string]string{
	"web": {"reason": "reason", "Activity": "reason", "action": "web.action", "act": "web.action", "DeviceAction": "web.action",
		"urlcat": "urlcat", "urlcategory": "urlcat", "cat": "urlcat", "urlsupercat": "urlsupercat", "urlsupercategory": "urlsupercat"},
	"fw": {"action": "fw.action", "act": "fw.action", "nwsvc": "nwsvc", "cs2": "nwsvc", "rulelabel": "fw.rulelabel",
		"reason": "fw.rulelabel", "name": "fw.rulelabel"},
	"dns": {"act": "dns.action", "action": "dns.action", "reqaction": "dns.reqaction", "cs2": "dns.reqaction",
		"resaction": "dns.resaction", "cs3": "dns.resaction", "category": "urlcat", "cat": "urlcat",
		"rulelabel": "dns.rulelabel", "reqrulelabel": "dns.rulelabel", "resrulelabel": "dns.rulelabel", "flexString1": "dns.rulelabel"},
}

// placeholders are sample values that are test fixtures or customer-specific, not Zscaler vocabulary.
var placeholders = map[string]bool{
	"Test Category": true, "UK_ALLOW_Pharmacies": true, "RES_Action": true, "Some Response Action": true,
	"RULE_1": true, "RULE_RES": true, "Access Blocked": false, "Test Name": true,
}

// csvColumns are the column orders of Zscaler's CSV samples (from each file's comment line).
var csvColumns = map[string][]string{
	"web": strings.Split("time,login,proto,url,action,appname,appclass,reqsize,respsize,stime,ctime,urlclass,urlsupercat,urlcat,malwarecat,threatname,riskscore,dlpeng,dlpdict,location,dept,cip,sip,reqmethod,respcode,ua,ereferer,ruletype,rulelabel,contenttype,unscannabletype,deviceowner,devicehostname,keyprotectiontype", ","),
	"fw":  strings.Split("time,login,dept,location,cdport,csport,sdport,ssport,csip,cdip,ssip,sdip,tsip,tsport,ttype,action,dnat,stateful,aggregate,nwsvc,nwapp,ipproto,ipcat,destcountry,avgduration,rulelabel,inbytes,outbytes,duration,durationms,numsessions,ipsrulelabel,threatcat,threatname,deviceowner,devicehostname", ","),
	"dns": strings.Split("time,login,dept,location,reqaction,resaction,reqrulelabel,resrulelabel,reqtype,req,res,sport,durationms,cip,sip,domcat,respipcat,deviceowner,devicehostname", ","),
}

// TestSampleValuesInVocabulary checks that the reasons, URL categories, network services, actions
// and rules of the public NSS samples (copied to testdata/zia-samples) are in the generator's
// vocabularies, so generated records use the same words as real ones.
func TestSampleValuesInVocabulary(t *testing.T) {
	vocabs := sampleVocab()
	files, err := filepath.Glob("testdata/zia-samples/*")
	if err != nil || len(files) < 10 {
		t.Fatalf("samples: %v, %d files", err, len(files))
	}
	checked := map[string]int{}
	check := func(file, feed, key, value string) {
		kind, ok := sampleKeys[feed][key]
		if !ok {
			return
		}
		if dec, err := url.PathUnescape(value); err == nil {
			value = dec
		}
		value = strings.TrimSpace(value)
		if value == "" || value == "None" || placeholders[value] || strings.HasPrefix(value, "Threat ") {
			return
		}
		checked[kind]++
		if !vocabs[kind][value] {
			t.Errorf("%s: %s %q (as %s) is not in the generator's vocabulary", filepath.Base(file), key, value, kind)
		}
	}
	for _, file := range files {
		base := filepath.Base(file)
		feed := ""
		switch {
		case strings.Contains(base, "dns"):
			feed = "dns"
		case strings.Contains(base, "fw") || strings.Contains(base, "firewall"):
			feed = "fw"
		case strings.Contains(base, "web"):
			feed = "web"
		default:
			continue
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
			case strings.HasSuffix(base, ".csv"):
				rec, err := csv.NewReader(strings.NewReader(line)).Read()
				if err != nil {
					t.Fatalf("%s: %v", base, err)
				}
				for i, v := range rec {
					check(file, feed, csvColumns[feed][i], v)
				}
			default:
				v, err := fastjson.Parse(line)
				if err != nil {
					t.Fatalf("%s: %v", base, err)
				}
				if ev := v.Get("event"); ev != nil {
					v = ev
				}
				v.GetObject().Visit(func(k []byte, v *fastjson.Value) {
					if s, err := v.StringBytes(); err == nil {
						check(file, feed, string(k), string(s))
					}
				})
			}
		}
		f.Close()
	}
	for _, kind := range []string{"reason", "urlcat", "urlsupercat", "nwsvc", "web.action", "fw.action", "dns.action", "dns.reqaction", "fw.rulelabel", "dns.rulelabel"} {
		if checked[kind] == 0 {
			t.Errorf("no sample value of kind %s checked", kind)
		}
	}
}
