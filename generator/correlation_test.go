package generator_test

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/generator/vocab"
	"github.com/nssbench/nssbench/harness/cef"
)

// record is a parsed generated line: header and extension as a map.
type record struct {
	product, signature, name string
	ext                      map[string]string
}

func parseRecord(t *testing.T, p *cef.Parser, line []byte) record {
	t.Helper()
	r, err := p.Parse(line)
	if err != nil {
		t.Fatalf("Parse (strict=%v): %v\n%s", p.Strict, err, line)
	}
	rec := record{product: string(r.Product), signature: string(r.SignatureID), name: string(r.Name), ext: map[string]string{}}
	pairs, err := p.Extensions(r)
	if err != nil {
		t.Fatalf("Extensions (strict=%v): %v\n%s", p.Strict, err, line)
	}
	for _, kv := range pairs {
		if _, dup := rec.ext[string(kv.Key)]; dup {
			t.Fatalf("duplicate extension key %s\n%s", kv.Key, line)
		}
		rec.ext[string(kv.Key)] = string(kv.Value)
	}
	return rec
}

// rawQuery matches a request URL carrying a query string with a raw '=', as NSS prints it: CEF wants
// it escaped ("\="), so a parser that follows the specification to the letter rejects the line.
var rawQuery = regexp.MustCompile(` request=[^ ]*\?[^ ]*=`)

// TestRoundTrip parses every well-formed line of many seeds, in strict and lenient mode, and checks
// the header and a few extension values against the class and the label. In strict mode exactly the
// lines whose URL has a raw '=' in its query string fail, as NSS does not escape it.
func TestRoundTrip(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run("strict="+strconv.FormatBool(strict), func(t *testing.T) {
			p := cef.Parser{Strict: strict}
			rejected := 0
			for seed := uint64(1); seed <= 20; seed++ {
				g := newGen(t, seed, wellFormed)
				classes := g.Classes()
				for s := uint64(0); s < 300; s++ {
					line, l := g.Append(nil, s)
					c := &classes[l.Class]
					if strict && rawQuery.Match(line) {
						if r, err := p.Parse(line); err == nil {
							if _, err = p.Extensions(r); err == nil {
								t.Fatalf("strict parse accepted a raw '=' in a URL:\n%s", line)
							}
						}
						rejected++
						continue
					}
					rec := parseRecord(t, &p, line)
					if rec.product != c.Feed.Product() {
						t.Fatalf("seed %d seq %d class %s: product %q; want %q", seed, s, c.Name, rec.product, c.Feed.Product())
					}
					if a := c.Set["action"]; rec.signature != a || rec.ext["act"] != a || rec.ext["deviceEventClassId"] != a {
						t.Fatalf("class %s: signature %q act %q; want %q", c.Name, rec.signature, rec.ext["act"], a)
					}
					if c.Expect.Kind == verdict.KindAlert && rec.name != c.Expect.AlertType {
						t.Fatalf("class %s: header name %q; want alert type %q", c.Name, rec.name, c.Expect.AlertType)
					}
					if rec.ext["name"] != rec.name {
						t.Fatalf("class %s: name=%q differs from header name %q", c.Name, rec.ext["name"], rec.name)
					}
					if rec.ext["externalId"] != strconv.FormatUint(l.RecordID, 10) {
						t.Fatalf("class %s: externalId %q; label %d", c.Name, rec.ext["externalId"], l.RecordID)
					}
					if !strings.HasSuffix(rec.ext["suser"], "@example.com") {
						t.Fatalf("class %s: suser %q", c.Name, rec.ext["suser"])
					}
				}
			}
			if strict && rejected == 0 {
				t.Error("no generated URL has a query string with a raw '=': the lenient parsing real NSS lines need goes untested")
			}
		})
	}
}

func TestWebCorrelations(t *testing.T) {
	g := newGen(t, 77, func(c *generator.Class) bool { return c.Feed == verdict.FeedWeb && wellFormed(c) })
	var p cef.Parser
	threats := 0
	for s := uint64(0); s < 5000; s++ {
		line, _ := g.Append(nil, s)
		r := parseRecord(t, &p, line)
		e := r.ext
		blocked := e["act"] == "Blocked"
		if blocked != (e["outcome"] == "403") {
			t.Fatalf("act=%s outcome=%s: blocked ⇔ 403\n%s", e["act"], e["outcome"], line)
		}
		if e["act"] != generator.WebAction(r.name) {
			t.Fatalf("act=%s with reason %q; want %s", e["act"], r.name, generator.WebAction(r.name))
		}
		threat := generator.IsThreatReason(r.name)
		for _, k := range []string{"cs4", "cs5", "malwareclass", "threatseverity"} {
			if (e[k] != "None") != threat {
				t.Fatalf("reason %q (threat %v) with %s=%q\n%s", r.name, threat, k, e[k], line)
			}
		}
		if threat {
			threats++
		}
		risk, err := strconv.Atoi(e["cn1"])
		if err != nil || risk < 0 || risk > 100 || (risk > 0) != threat {
			t.Fatalf("riskscore %q with reason %q", e["cn1"], r.name)
		}
		if want := severityOf(risk); e["threatseverity"] != want {
			t.Fatalf("riskscore %d with severity %s; want %s", risk, e["threatseverity"], want)
		}
		if super, ok := vocab.SuperCategory(e["cat"]); !ok || super != e["cs2"] {
			t.Fatalf("urlcat %q with urlsupercat %q; want %q (known %v)", e["cat"], e["cs2"], super, ok)
		}
		if !docAddr(e["dst"]) || !privateAddr(e["src"]) {
			t.Fatalf("server %s / client %s: want documentation / private addresses", e["dst"], e["src"])
		}
		in, _ := strconv.Atoi(e["in"])
		hdr, _ := strconv.Atoi(e["resphdrsize"])
		data, _ := strconv.Atoi(e["respdatasize"])
		if in != hdr+data || e["in"] != e["in_bytes"] {
			t.Fatalf("respsize %s ≠ resphdrsize %d + respdatasize %d", e["in"], hdr, data)
		}
	}
	if threats == 0 {
		t.Error("no threat records in 5000 web events")
	}
}

func severityOf(risk int) string {
	switch {
	case risk >= 90:
		return "Critical"
	case risk >= 75:
		return "High"
	case risk >= 46:
		return "Medium"
	case risk >= 1:
		return "Low"
	}
	return "None"
}

// customPorts are the services the generator uses that Zscaler does not predefine.
var customPorts = map[string]uint16{"RDP": 3389}

func TestFirewallCorrelations(t *testing.T) {
	g := newGen(t, 78, func(c *generator.Class) bool { return c.Feed == verdict.FeedFirewall && wellFormed(c) })
	var p cef.Parser
	aggregated := 0
	for s := uint64(0); s < 5000; s++ {
		line, _ := g.Append(nil, s)
		e := parseRecord(t, &p, line).ext
		port64, err := strconv.ParseUint(e["dpt"], 10, 16)
		if err != nil {
			t.Fatalf("dpt %q", e["dpt"])
		}
		port, svc, proto := uint16(port64), e["cs2"], e["proto"]
		vsvc := svc
		if svc == "ZSCALER_PROXY_NW_SERVICES" {
			vsvc = "Zscaler Proxy Network Services"
		}
		if want, ok := customPorts[svc]; ok {
			if port != want {
				t.Fatalf("nwsvc %s with dport %d; want %d", svc, port, want)
			}
		} else if vs, ok := vocab.LookupNetworkService(vsvc); !ok {
			t.Fatalf("nwsvc %q is not a predefined network service", svc)
		} else if len(vs.TCP)+len(vs.UDP) > 0 && !vs.HasPort(proto, port) {
			t.Fatalf("nwsvc %s over %s with dport %d: not one of its ports", svc, proto, port)
		}
		if e["cs3"] == "" || e["cs3"] != strings.ToLower(e["cs3"]) {
			t.Fatalf("nwapp %q: want a lower-case app id", e["cs3"])
		}
		n, _ := strconv.Atoi(e["cn2"])
		dur, _ := strconv.Atoi(e["cn1"])
		avg, _ := strconv.Atoi(e["avgduration"])
		switch allowAgg := e["act"] == "Allow"; {
		case allowAgg:
			aggregated++
			if e["cs4"] != "Yes" || n < 2 {
				t.Fatalf("allowed session: aggregated=%s numsessions=%d; want Yes, > 1\n%s", e["cs4"], n, line)
			}
		default:
			if e["cs4"] != "No" || n != 1 {
				t.Fatalf("act %s: aggregated=%s numsessions=%d; want No, 1\n%s", e["act"], e["cs4"], n, line)
			}
		}
		if avg != dur/n {
			t.Fatalf("avgduration %d; want durationms %d / numsessions %d", avg, dur, n)
		}
		if !docAddr(e["dst"]) || !privateAddr(e["src"]) {
			t.Fatalf("dst %s src %s: want documentation / private addresses", e["dst"], e["src"])
		}
		if (e["cs5"] == "None") != (e["cs6"] == "None") || e["cs5"] != "None" && !contains(vocab.ThreatCategories(), e["cs5"]) {
			t.Fatalf("threatcat %q threatname %q", e["cs5"], e["cs6"])
		}
	}
	if aggregated == 0 {
		t.Error("no aggregated sessions")
	}
}

func TestDNSCorrelations(t *testing.T) {
	g := newGen(t, 79, func(c *generator.Class) bool { return c.Feed == verdict.FeedDNS && wellFormed(c) })
	var p cef.Parser
	for s := uint64(0); s < 3000; s++ {
		line, _ := g.Append(nil, s)
		r := parseRecord(t, &p, line)
		e := r.ext
		req, res := strings.ToLower(e["cs2"]), strings.ToLower(e["cs3"])
		bothAllow := strings.HasSuffix(req, "allow") && strings.HasSuffix(res, "allow")
		if bothAllow != (e["act"] == "Req(allow),Res(allow)") {
			t.Fatalf("act %q with reqaction %q resaction %q", e["act"], e["cs2"], e["cs3"])
		}
		if e["flexString1"] != r.name {
			t.Fatalf("reqrulelabel %q; want the rule %q", e["flexString1"], r.name)
		}
		if _, ok := vocab.SuperCategory(e["cat"]); !ok {
			t.Fatalf("domcat %q is not a URL category", e["cat"])
		}
		if e["dpt"] != "53" || !docAddr(e["dst"]) || !privateAddr(e["src"]) {
			t.Fatalf("dst %s:%s src %s", e["dst"], e["dpt"], e["src"])
		}
	}
}

var docNets = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}

func docAddr(s string) bool {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	for _, n := range docNets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

func privateAddr(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.IsPrivate()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestSetCorrelates checks that fixing a field makes the drawn fields follow it.
func TestSetCorrelates(t *testing.T) {
	for _, tc := range []struct {
		name string
		feed verdict.Feed
		set  map[string]string
		want map[string]string // extension key → value in every record
	}{
		{"urlcat fixes its super category", verdict.FeedWeb, map[string]string{"urlcat": "Gambling"}, map[string]string{"cat": "Gambling", "cs2": "Gambling"}},
		{"custom urlcat is user-defined", verdict.FeedWeb, map[string]string{"urlcat": "My Category"}, map[string]string{"cat": "My Category", "cs2": "User-defined"}},
		{"blocked reason blocks with 403", verdict.FeedWeb, map[string]string{"reason": "Not allowed to use this Webmail site"}, map[string]string{"act": "Blocked", "outcome": "403", "cat": "Webmail"}},
		{"nwsvc fixes the port", verdict.FeedFirewall, map[string]string{"nwsvc": "SSH"}, map[string]string{"cs2": "SSH", "dpt": "22", "proto": "TCP", "cs3": "ssh"}},
		{"port fixes the service", verdict.FeedFirewall, map[string]string{"cdport": "873"}, map[string]string{"cs2": "Rsync", "dpt": "873"}},
		{"predefined service by name", verdict.FeedFirewall, map[string]string{"nwsvc": "Telnet", "action": "Drop"}, map[string]string{"cs2": "Telnet", "dpt": "23", "cs4": "No", "cn2": "1", "in": "0"}},
		{"custom service with a port", verdict.FeedFirewall, map[string]string{"nwsvc": "MyApp", "cdport": "9999", "ipproto": "UDP"}, map[string]string{"cs2": "MyApp", "dpt": "9999", "proto": "UDP"}},
		{"DNS doc-form block", verdict.FeedDNS, map[string]string{"reqaction": "REQ_BLOCK", "rulelabel": "Risky DNS Categories"}, map[string]string{"act": "Req(block),Res(none)", "cs3": "None", "flexString1": "Risky DNS Categories", "flexString2": "None", "cs6": "None"}},
		{"DNS action fixes the sides", verdict.FeedDNS, map[string]string{"action": "Req(allow),Res(block)"}, map[string]string{"cs2": "Allow", "cs3": "Block"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := generator.New(generator.Config{Seed: 4, Programs: programs(t, cefFeeds),
				Classes: []generator.Class{{Name: "c", Feed: tc.feed, Weight: 1, Set: tc.set}}})
			if err != nil {
				t.Fatal(err)
			}
			var p cef.Parser
			for s := uint64(0); s < 200; s++ {
				line, _ := g.Append(nil, s)
				e := parseRecord(t, &p, line).ext
				for k, v := range tc.want {
					if e[k] != v {
						t.Fatalf("seq %d: %s=%q; want %q\n%s", s, k, e[k], v, line)
					}
				}
			}
		})
	}
}
