package pipeline

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator/verdict"
)

// The benchmarks decide realistic NSS lines (testdata) with the Decider and with a naive baseline that
// splits the header with strings.Split and the extension with a regexp into a map. For benchstat:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./harness/pipeline/ | tee new.txt

// naiveKey finds the starts of key= tokens.
var naiveKey = regexp.MustCompile(`(?:^| )([A-Za-z0-9_]+)=`)

// naiveSets holds the default rules' alternatives as sets.
var naiveSets = struct {
	webAllow, policy, ssl, fwDefault, fwAllow map[string]bool
}{
	webAllow:  set("Allowed", "Allowed due to override", "Allowed - No Active Content", "Allowed and No Scan"),
	policy:    set("Not allowed to browse this category", "Not allowed the use of this Social Network/Blogging site", "Cautioned the use of this Social Network site", "Not allowed to use this Webmail site", "Blocked by Default URL Filtering", "Internet access cautioned", "Request method not allowed for this category"),
	ssl:       set("Dropped due to failed client SSL handshake", "Access denied due to low TLS version", "Blocked due to Bad SSL record", "Blocked due to Server Probe Failure", "Not allowed to establish SSL connection due to policy", "Unenrolled user is not allowed to establish SSL connection"),
	fwDefault: set("Default Firewall Filtering Rule", "Zscaler Proxy Traffic", "Office 365 One Click Rule", "UCaaS One Click Rule", "Recommended Firewall Rule"),
	fwAllow:   set("Allow", "Allow due to insufficient app data"),
}

func set(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// naiveDecide is the obvious implementation of the default pipeline: split, regexp, map, if-chain.
func naiveDecide(line string, maps map[string]*verdict.Threat) (v verdict.Verdict) {
	bad := func(d verdict.Detail) verdict.Verdict {
		return verdict.Verdict{Stage: verdict.StageCollector, Kind: verdict.KindDropped, Reason: verdict.ReasonMalformed, Detail: d}
	}
	i := strings.Index(line, "CEF:")
	if i < 0 {
		return bad(verdict.DetailBadHeader)
	}
	parts := strings.Split(line[i+4:], "|")
	if len(parts) < 8 {
		return bad(verdict.DetailTruncated)
	}
	ext := strings.Join(parts[7:], "|")
	fields := map[string]string{}
	locs := naiveKey.FindAllStringSubmatchIndex(ext, -1)
	for n, loc := range locs {
		end := len(ext)
		if n+1 < len(locs) {
			end = locs[n+1][0]
		}
		if k := ext[loc[2]:loc[3]]; fields[k] == "" {
			fields[k] = ext[loc[1]:end]
		}
	}
	feed := verdict.FeedOfProduct([]byte(parts[2]))
	if feed == verdict.FeedUnknown {
		return bad(verdict.DetailUnknownFeed)
	}
	name, action := strings.TrimSpace(parts[5]), parts[4]
	v = verdict.Verdict{Feed: feed, RecordID: []byte(fields["externalId"]), AlertType: []byte(name), Stage: verdict.StagePlatform, Kind: verdict.KindAlert}
	if t := maps[name]; t != nil {
		v.Threat = t
		return v
	}
	dropAt := func(r verdict.Reason) verdict.Verdict {
		v.Stage, v.Kind, v.Reason = r.Stage(), verdict.KindDropped, r
		return v
	}
	reqAllow := fields["cs2"] == "Allow" || fields["cs2"] == "REQ_ALLOW"
	switch {
	case feed == verdict.FeedWeb && action == "Allowed" && naiveSets.webAllow[name]:
		return dropAt(verdict.ReasonAllowedTraffic)
	case feed == verdict.FeedDNS && (action == "Req(allow),Res(allow)" || reqAllow && (fields["cs3"] == "Allow" || fields["cs3"] == "RES_ALLOW")):
		return dropAt(verdict.ReasonAllowedTraffic)
	case feed == verdict.FeedWeb && naiveSets.policy[name]:
		return dropAt(verdict.ReasonPolicyAccess)
	case feed == verdict.FeedFirewall && naiveSets.fwAllow[action] && naiveSets.fwDefault[name]:
		return dropAt(verdict.ReasonDefaultAllow)
	case feed == verdict.FeedDNS && name == "Default Firewall DNS Rule" && (strings.HasPrefix(action, "Req(allow)") || reqAllow) &&
		!strings.HasPrefix(action, "Req(allow),Res(block)") && !strings.HasPrefix(fields["cs3"], "Block") && !strings.HasPrefix(fields["cs3"], "RES_BLOCK"):
		return dropAt(verdict.ReasonDefaultAllow)
	case feed == verdict.FeedWeb && naiveSets.ssl[name]:
		return dropAt(verdict.ReasonSSLHandshake)
	}
	return v
}

type benchInput struct {
	name string
	line []byte
	want string // verdict JSON
}

func benchInputs(b *testing.B) []benchInput {
	lines := readLines(b, "derived-cef-from-zscaler-samples.log")
	mapped := strings.Replace(string(lines[0]), "|Allowed|Allowed|3|", "|Blocked|Malware block: malicious file|3|", 1)
	return []benchInput{
		{"fw", lines[1], `{"line":0,"feed":"firewall","stage":"platform","verdict":"alert","alertType":"Default Firewall Filtering Rule","mapped":false}`},
		{"dns", lines[2], `{"line":0,"feed":"dns","stage":"collector","verdict":"dropped","reason":"allowed_traffic"}`},
		{"web", lines[0], `{"recordid":"7379073205867184130","feed":"web","stage":"collector","verdict":"dropped","reason":"allowed_traffic"}`},
		{"web-mapped", []byte(mapped), `{"recordid":"7379073205867184130","feed":"web","stage":"platform","verdict":"alert","alertType":"Malware block: malicious file","mapped":true,"threatId":"T1204.002","threatName":"Malicious File"}`},
		{"truncated", lines[1][:80], `{"line":0,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"truncated"}`},
	}
}

// reportRate adds events/s to a benchmark that decided n events.
func reportRate(b *testing.B, n int) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkDecide(b *testing.B) {
	maps := map[string]*verdict.Threat{}
	for _, r := range DefaultMappings().Rows() {
		maps[r.AlertType] = r.Threat
	}
	for _, in := range benchInputs(b) {
		b.Run("line="+in.name+"/decider=nssbench", func(b *testing.B) {
			d := New(DefaultRules(), DefaultMappings(), Options{}).NewDecider()
			var v verdict.Verdict
			var buf []byte
			n := 0
			b.ReportAllocs()
			b.SetBytes(int64(len(in.line)))
			for b.Loop() {
				d.Decide(in.line, &v)
				if buf = v.AppendJSON(buf[:0]); string(buf) != in.want {
					b.Fatalf("Decide = %s; want %s", buf, in.want)
				}
				n++
			}
			reportRate(b, n)
		})
		b.Run("line="+in.name+"/decider=naive", func(b *testing.B) {
			var buf []byte
			n := 0
			b.ReportAllocs()
			b.SetBytes(int64(len(in.line)))
			for b.Loop() {
				v := naiveDecide(string(in.line), maps)
				if buf = v.AppendJSON(buf[:0]); string(buf) != in.want {
					b.Fatalf("naiveDecide = %s; want %s", buf, in.want)
				}
				n++
			}
			reportRate(b, n)
		})
	}
}

func BenchmarkDecideJSON(b *testing.B) {
	for _, f := range []struct{ name, want string }{
		{"fw", `{"line":0,"feed":"firewall","stage":"platform","verdict":"alert","alertType":"Default Firewall Filtering Rule","mapped":false}`},
		{"web", `{"recordid":"7379073205867184130","feed":"web","stage":"collector","verdict":"dropped","reason":"allowed_traffic"}`},
	} {
		obj := readLines(b, "cloud-nss-sample-"+f.name+".jsonl")[0]
		b.Run("obj="+f.name, func(b *testing.B) {
			d := New(DefaultRules(), DefaultMappings(), Options{}).NewDecider()
			var v verdict.Verdict
			var buf []byte
			n := 0
			b.ReportAllocs()
			b.SetBytes(int64(len(obj)))
			for b.Loop() {
				d.DecideJSON(obj, &v)
				if buf = v.AppendJSON(buf[:0]); string(buf) != f.want {
					b.Fatalf("DecideJSON = %s; want %s", buf, f.want)
				}
				n++
			}
			reportRate(b, n)
		})
	}
}
