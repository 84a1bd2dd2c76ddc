package scenarios

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
)

// seedAlerts is PIPELINE.md's default mapping table.
var seedAlerts = map[string]struct {
	feed     verdict.Feed
	threatID string
}{
	"Reputation block outbound request: malicious URL":                             {verdict.FeedWeb, "T1598.003"},
	"Reputation block outbound request: phishing site":                             {verdict.FeedWeb, "T1566"},
	"IPS block outbound request: cross-site scripting (XSS) attack":                {verdict.FeedWeb, "T1189"},
	"IPS block: cryptomining & blockchain traffic":                                 {verdict.FeedWeb, "T1496"},
	"Malware block: malicious file":                                                {verdict.FeedWeb, "T1204.002"},
	"Sandbox block inbound response: malicious file":                               {verdict.FeedWeb, "T1204.002"},
	"Not allowed non-RFC compliant HTTP traffic":                                   {verdict.FeedWeb, "T1071"},
	"Not allowed to upload/download encrypted or password-protected archive files": {verdict.FeedWeb, "T1027"},
	"RDP Allow":            {verdict.FeedFirewall, "T1021.001"},
	"Remote Backup Failed": {verdict.FeedFirewall, "T1020"},
}

func TestLibrary(t *testing.T) {
	lib, err := Library()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	reasons := map[verdict.Reason]int{}
	details := map[verdict.Detail]bool{}
	for _, c := range lib {
		e := c.Expect
		if c.Weight != 1 {
			t.Errorf("%s: library weight %v; want 1", c.Name, c.Weight)
		}
		if ClassDoc(c.Name) == "" {
			t.Errorf("%s: no doc", c.Name)
		}
		switch e.Kind {
		case verdict.KindAlert:
			if want, ok := seedAlerts[e.AlertType]; ok {
				seen[e.AlertType] = true
				if c.Feed != want.feed || e.ThreatID != want.threatID || !strings.HasPrefix(c.Name, "alert.") {
					t.Errorf("%s: feed %s threat %q; PIPELINE.md maps %q (%s) to %s", c.Name, c.Feed, e.ThreatID, e.AlertType, want.feed, want.threatID)
				}
			} else if e.ThreatID != "" || !strings.HasPrefix(c.Name, "other.") {
				t.Errorf("%s: unmapped alert type %q with threat %q; want an other.* class without threat", c.Name, e.AlertType, e.ThreatID)
			}
		case verdict.KindDropped:
			reasons[e.Reason]++
			if e.Reason == verdict.ReasonMalformed {
				details[e.Detail] = true
				if e.Feed != verdict.FeedUnknown {
					t.Errorf("%s: malformed expectation names feed %s; want none", c.Name, e.Feed)
				}
			} else if e.Feed != c.Feed {
				t.Errorf("%s: expectation feed %s; want %s", c.Name, e.Feed, c.Feed)
			}
		default:
			t.Errorf("%s: no verdict", c.Name)
		}
	}
	for a := range seedAlerts {
		if !seen[a] {
			t.Errorf("no library class for seed alert %q", a)
		}
	}
	for _, r := range verdict.Reasons() {
		if reasons[r] == 0 {
			t.Errorf("no library class dropped for reason %s", r)
		}
	}
	for _, d := range verdict.Details() {
		if !details[d] {
			t.Errorf("no malformed library class with detail %s", d)
		}
	}
	seenMalform := map[generator.Malform]bool{}
	for _, c := range lib {
		seenMalform[c.Malform] = true
	}
	for _, m := range generator.Malforms() {
		if !seenMalform[m] {
			t.Errorf("no library class for malform %s", m)
		}
	}
}

func TestBuiltins(t *testing.T) {
	names := Names()
	for _, want := range []string{"default", "smoke", "soak", "burst", "alert-storm", "malformed-storm", "ramp"} {
		if !contains(names, want) {
			t.Errorf("Names() = %v lacks %q", names, want)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != name || s.Description == "" || Summary(name) == "" || len(s.Thresholds) == 0 {
				t.Errorf("scenario %q: name %q, description %q, summary %q, thresholds %v", name, s.Name, s.Description, Summary(name), s.Thresholds)
			}
			// Every scenario must build a generator with its own feeds.
			var progs [verdict.NumFeeds]*nssfmt.Program
			for feed, fname := range s.Feeds {
				f, err := feeds.ByName(fname)
				if err != nil {
					t.Fatal(err)
				}
				if progs[feed], err = f.Compile(feeds.Options{RecordTracking: true}); err != nil {
					t.Fatal(err)
				}
			}
			g, err := generator.New(generator.Config{Seed: s.Seed, Classes: s.Classes, Programs: progs, Users: s.Users})
			if err != nil {
				t.Fatal(err)
			}
			if line, _ := g.Append(nil, 0); len(line) == 0 {
				t.Error("empty first line")
			}
			if s.MalformedRatio > 0 {
				var bad, all float64
				for _, c := range s.Classes {
					all += c.Weight
					if c.Malform != generator.MalformNone {
						bad += c.Weight
					}
				}
				if math.Abs(bad/all-s.MalformedRatio) > 1e-9 {
					t.Errorf("malformed share %v; want %v", bad/all, s.MalformedRatio)
				}
			}
		})
	}
	if _, err := Builtin("classes"); err == nil {
		t.Error(`Builtin("classes") = nil error; the library is not a scenario`)
	}
	if _, err := Builtin("nope"); err == nil || !strings.Contains(err.Error(), "default") {
		t.Errorf(`Builtin("nope") = %v; want an error listing the known names`, err)
	}
	if Summary("nope") != "" {
		t.Error(`Summary("nope") != ""`)
	}
}

func TestDefaultScenario(t *testing.T) {
	s, err := Builtin("default")
	if err != nil {
		t.Fatal(err)
	}
	if s.Pacer.Shape != "constant" || s.Pacer.Rate != 20000 || s.Duration != 10*time.Second || s.Connections != 1 {
		t.Errorf("default: pacer %v, duration %v, connections %d", s.Pacer, s.Duration, s.Connections)
	}
	var total, alerts float64
	types := map[string]bool{}
	for _, c := range s.Classes {
		total += c.Weight
		if c.Expect.Kind == verdict.KindAlert {
			alerts += c.Weight
			types[c.Expect.AlertType] = true
		}
	}
	for a := range seedAlerts {
		if !types[a] {
			t.Errorf("default lacks seed alert type %q", a)
		}
	}
	if share := alerts / total; share < 0.01 || share > 0.1 {
		t.Errorf("default: alerts are %.1f%% of events; want a few percent", 100*share)
	}
	smoke, err := Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	lib, _ := Library()
	if len(smoke.Classes) != len(lib) {
		t.Errorf("smoke has %d classes; want all %d", len(smoke.Classes), len(lib))
	}
}

func TestParse(t *testing.T) {
	s, err := Parse("x.json", []byte(`{
  "seed": "18446744073709551615",
  "count": 1000,
  "pacer": {"shape": "step", "steps": [{"rate": "60000/m", "duration": "1s"}, {"rate": 5, "duration": "2s"}]},
  "transport": "tls", "framing": "octet",
  "feeds": {"web": "web-short"},
  "mix": {"alert.*": 10, "alert.rdp_allow": 5, "mine": 2},
  "classes": [
    {"name": "mine", "feed": "web", "set": {"action": "Blocked", "reason": "Quarantined"},
     "expect": {"stage": "platform", "verdict": "alert", "alertType": "Quarantined"}},
    {"name": "mine2", "feed": "web", "weight": 3, "set": {"reason": "Allowed"},
     "expect": {"stage": "collector", "verdict": "dropped", "reason": "allowed_traffic"}}
  ]
}`))
	if err == nil {
		t.Fatalf("want an error: alert.rdp_allow needs a firewall format")
	}
	if !strings.Contains(err.Error(), `x.json:6: feeds: class "alert.rdp_allow" needs a format for feed firewall`) {
		t.Errorf("error = %v", err)
	}
	fixed := strings.Replace(`{
  "seed": "18446744073709551615",
  "count": 1000,
  "pacer": {"shape": "step", "steps": [{"rate": "60000/m", "duration": "1s"}, {"rate": 5, "duration": "2s"}]},
  "transport": "tls", "framing": "octet",
  "feeds": {"web": "web-short", "firewall": "cloud-firewall"},
  "mix": {"alert.*": 10, "alert.rdp_allow": 5, "mine": 2},
  "classes": [
    {"name": "mine", "feed": "web", "set": {"action": "Blocked", "reason": "Quarantined"},
     "expect": {"stage": "platform", "verdict": "alert", "alertType": "Quarantined"}},
    {"name": "mine2", "feed": "web", "weight": 3, "set": {"reason": "Allowed"},
     "expect": {"stage": "collector", "verdict": "dropped", "reason": "allowed_traffic"}}
  ]
}`, "", "", 1)
	s, err = Parse("scenarios/x.json", []byte(fixed))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "x" || s.Seed != math.MaxUint64 || s.Count != 1000 || s.Duration != 0 || s.Transport != "tls" || s.Framing != "octet" {
		t.Errorf("parsed %+v", s)
	}
	if len(s.Pacer.Steps) != 2 || s.Pacer.Steps[0].Rate != 1000 || s.Pacer.Steps[1].Duration != 2*time.Second {
		t.Errorf("steps %+v", s.Pacer.Steps)
	}
	weights := map[string]float64{}
	for _, c := range s.Classes {
		weights[c.Name] = c.Weight
	}
	// alert.* matches the 9 alert classes other than alert.rdp_allow: 10/9 each.
	if len(weights) != 12 || weights["alert.rdp_allow"] != 5 || math.Abs(weights["alert.xss"]-10.0/9) > 1e-12 || weights["mine"] != 2 || weights["mine2"] != 3 {
		t.Errorf("weights %v", weights)
	}
	if s.Classes[len(s.Classes)-1].Name != "mine2" || s.Classes[len(s.Classes)-1].Expect.Feed != verdict.FeedWeb {
		t.Errorf("inline classes not last or without feed: %+v", s.Classes[len(s.Classes)-1])
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string // each must appear
	}{
		{"syntax", "{\n  \"seed\": 1,\n  \"duration\": \"1s\"\n  \"pacer\": {}\n}", []string{"x.json:4: syntax error: expected ',' or '}' in object"}},
		{"empty", "", []string{"x.json:1: syntax error: unexpected end of input"}},
		{"trailing", `{"duration":"1s","pacer":{"rate":1},"mix":{"*":1}} x`, []string{"x.json:1: syntax error: unexpected data after the top-level value"}},
		{"everything at once", `{
  "nmae": "typo",
  "seed": -1,
  "duration": "ten seconds",
  "pacer": {"shape": "sine", "rate": "5/s", "amplitude": 10},
  "connections": 0,
  "transport": "quic",
  "feeds": {"web": "firewall", "dns": "nope", "tunnel": "web"},
  "malformedRatio": 1.5,
  "mix": {"alert.foo": 1, "noise.web_allowed": -2, "zzz.*": 1},
  "classes": [{"name": "Bad Name", "feed": "web"}],
  "thresholds": ["", 5]
}`, []string{
			`x.json:2: nmae: unknown key (known: name, description`,
			`x.json:3: seed: want a non-negative integer, got -1`,
			`x.json:4: duration: "ten seconds" is not a positive duration`,
			`x.json:5: pacer.amplitude: 10/s exceeds the mean rate 5/s`,
			`x.json:5: pacer.period: missing: pacer shape "sine" needs it`,
			`x.json:6: connections: want an integer in [1, 100000], got 0`,
			`x.json:7: transport: "quic": want tcp, udp or tls`,
			`x.json:8: feeds.web: format "firewall" is a firewall format, not web`,
			`x.json:8: feeds.dns: feeds: unknown feed "nope"`,
			`x.json:8: feeds.tunnel: unknown feed "tunnel"`,
			`x.json:9: malformedRatio: 1.5: want a fraction in [0, 1)`,
			`x.json:10: mix["alert.foo"]: unknown class (known: alert.malicious_url,`,
			`x.json:10: mix["noise.web_allowed"]: weight -2: want > 0`,
			`x.json:10: mix["zzz.*"]: pattern matches no class not already named`,
			`x.json:11: classes[0].name: "Bad Name": want lower-case letters`,
			`x.json:11: classes[0].expect: missing`,
			`x.json:12: thresholds[0]: empty threshold`,
			`x.json:12: thresholds[1]: want a string, got number`,
		}},
		{"class expectations", `{
  "duration": "1s", "pacer": {"rate": 1},
  "classes": [
    {"name": "a", "feed": "web", "weight": 1, "set": {"reason": "Allowed", "hots": "x"},
     "expect": {"stage": "collector", "verdict": "alert", "alertType": "Blocked"}},
    {"name": "b", "feed": "firewall", "weight": 1, "malform": "truncated",
     "expect": {"stage": "collector", "verdict": "dropped", "reason": "malformed", "detail": "bad_header"}},
    {"name": "c", "feed": "dns", "weight": 1,
     "expect": {"stage": "collector", "verdict": "dropped", "reason": "policy_access"}},
    {"name": "d", "feed": "web", "malform": "wobbly", "weight": 1,
     "expect": {"stage": "platform", "verdict": "dropped", "reason": "ssl_handshake", "alertType": "x", "colour": "red"}}
  ]
}`, []string{
			`x.json:4: classes[0].set.hots: not an NSS field of the web feed`,
			`x.json:5: classes[0].expect.stage: an alert is decided at stage platform`,
			`x.json:5: classes[0].expect.alertType: "Blocked" differs from the class's CEF header name set.reason = "Allowed"`,
			`x.json:7: classes[1].expect.detail: malform truncated gives detail truncated, not "bad_header"`,
			`x.json:9: classes[2].expect.stage: reason policy_access is decided at stage platform, not collector`,
			`x.json:10: classes[3].malform: unknown malform "wobbly"`,
			`x.json:11: classes[3].expect.colour: unknown key`,
			`x.json:11: classes[3].expect: a drop has no alertType or threatId`,
		}},
		{"inline clash and weights", `{
  "duration": "1s", "pacer": {"shape": "burst", "rate": 0},
  "mix": {"default_allow.*": 1},
  "malformedRatio": 0.1,
  "classes": [
    {"name": "alert.xss", "feed": "web", "expect": {"stage": "platform", "verdict": "alert", "alertType": "x"}},
    {"name": "noweight", "feed": "web", "expect": {"stage": "platform", "verdict": "alert", "alertType": "x"}}
  ]
}`, []string{
			`x.json:2: pacer.rate: want a rate > 0`,
			`x.json:2: pacer.on: missing: pacer shape "burst" needs it`,
			`x.json:4: malformedRatio: no malformed classes in the mix to rescale`,
			`x.json:6: classes[0].name: class "alert.xss" is already defined in the class library`,
			`x.json:7: classes[1].weight: missing: an inline class needs a weight unless the mix names it`,
		}},
		{"thresholds among other problems", `{
  "duration": "1s", "pacer": {"rate": 1}, "mix": {"*": 1},
  "connections": 0,
  "thresholds": [
    "lost==0",
    "p99<<5ms",
    "latency<5ms",
    "p99<5"
  ]
}`, []string{
			`x.json:3: connections: want an integer in [1, 100000], got 0`,
			`x.json:6: thresholds[1]: "p99<<5ms": col 5: expected a number or duration`,
			`x.json:7: thresholds[2]: "latency<5ms": col 1: unknown metric "latency" (known: offered,`,
			`x.json:8: thresholds[3]: "p99<5": col 6: expected a unit after 5`,
		}},
		{"no duration, no classes", `{"pacer": {"shape": "ramp", "from": 0, "to": "0/s"}, "transport": "udp", "framing": "octet"}`, []string{
			`x.json:1: duration: missing: give a duration or a count`,
			`x.json:1: framing: octet counting frames TCP/TLS streams`,
			`x.json:1: pacer.to: from and to cannot both be 0`,
			`x.json:1: mix: missing: the scenario selects no classes`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("x.json", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse = %+v, nil error", s)
			}
			var list Errors
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for i := 1; i < len(list); i++ {
				if list[i].Line < list[i-1].Line {
					t.Errorf("errors not in line order:\n%s", msg)
				}
			}
			if len(list) < len(tc.want) {
				t.Errorf("%d errors; want at least %d:\n%s", len(list), len(tc.want), msg)
			}
		})
	}
}

// TestParseNoPacer: the pacer is optional, for commands that pace themselves (run -rate); the
// thresholds are parsed gates in file order.
// TestParseTimeZoneAndEscape: NSS's Time Zone and Feed Escape Character settings, valid and not.
func TestParseTimeZoneAndEscape(t *testing.T) {
	base := `"duration":"1s","pacer":{"rate":1},"mix":{"alert.*":1}`
	s, err := Parse("x.json", []byte(`{`+base+`,"timeZone":"America/New_York","feedEscape":",\""}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.TimeZone == nil || s.TimeZone.String() != "America/New_York" || s.FeedEscape != `,"` {
		t.Errorf("time zone %v, escape %q; want America/New_York and %q", s.TimeZone, s.FeedEscape, `,"`)
	}
	if s, err := Parse("x.json", []byte(`{`+base+`}`)); err != nil || s.TimeZone != nil || s.FeedEscape != "" {
		t.Errorf("defaults: time zone %v, escape %q, err %v; want nil (UTC), none", s.TimeZone, s.FeedEscape, err)
	}
	_, err = Parse("x.json", []byte("{"+base+",\n\"timeZone\": \"Mars/Olympus\",\n\"feedEscape\": \"a\\tb\"}"))
	for _, want := range []string{
		`x.json:2: timeZone: "Mars/Olympus": want an IANA time zone name`,
		`x.json:3: feedEscape: "a\tb": want printable ASCII characters`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v; want it to contain %q", err, want)
		}
	}
}

func TestParseNoPacer(t *testing.T) {
	s, err := Parse("x.json", []byte(`{"duration": "1s", "mix": {"*": 1}, "thresholds": ["lost==0", " p99 < 5ms "]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Pacer.Shape != "" || s.Pacer.String() != "no pacer" {
		t.Errorf("pacer %+v (%s); want none", s.Pacer, s.Pacer)
	}
	var got []string
	for _, th := range s.Thresholds {
		got = append(got, th.String())
	}
	if want := []string{"lost==0", " p99 < 5ms "}; !slices.Equal(got, want) {
		t.Errorf("thresholds %q; want %q", got, want)
	}
}

// TestRateStrings: scenario files take the command line's rate grammar (pacer.ParseRate), k and M
// multipliers included, and a bad rate is reported as file:line: field: message.
func TestRateStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rates.json")
	src := `{"duration": "1s", "mix": {"*": 1},
  "pacer": {"shape": "constant", "rate": "5k/s"}}`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Pacer.Shape != "constant" || s.Pacer.Rate != 5000 {
		t.Errorf("pacer %v; want constant 5000/s", s.Pacer)
	}
	for _, tc := range []struct {
		pacer string
		want  pacer.Spec
	}{
		{`{"rate": "1.5M/s"}`, pacer.Spec{Shape: "constant", Rate: 1.5e6}},
		{`{"rate": " 300k/m "}`, pacer.Spec{Shape: "constant", Rate: 5000}},
		{`{"shape": "ramp", "from": 0, "to": "2k"}`, pacer.Spec{Shape: "ramp", To: 2000}},
		{`{"shape": "sine", "rate": "1k/s", "amplitude": "500", "period": "1s"}`, pacer.Spec{Shape: "sine", Rate: 1000, Amplitude: 500, Period: time.Second}},
	} {
		s, err := Parse("x.json", []byte(`{"duration": "1s", "mix": {"*": 1}, "pacer": `+tc.pacer+`}`))
		if err != nil {
			t.Errorf("%s: %v", tc.pacer, err)
			continue
		}
		if s.Pacer.String() != tc.want.String() {
			t.Errorf("%s: pacer %v; want %v", tc.pacer, s.Pacer, tc.want)
		}
	}
	_, err = Parse("x.json", []byte("{\"duration\": \"1s\", \"mix\": {\"*\": 1},\n\"pacer\": {\"rate\": \"5x/s\"}}"))
	if want := `x.json:2: pacer.rate: rate "5x/s": want a non-negative number of events`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v; want it to contain %q", err, want)
	}
}

func TestLoad(t *testing.T) {
	if _, err := Load("testdata/does-not-exist.json"); err == nil {
		t.Error("Load(missing) = nil error")
	}
	s, err := Load("default.json")
	if err != nil || s.Name != "default" {
		t.Errorf("Load(default.json) = %v, %v", s, err)
	}
}

// TestHash checks that a scenario's hash follows its content: a copy of a built-in file hashes the same.
func TestHash(t *testing.T) {
	smoke, err := Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	def, err := Builtin("default")
	if err != nil {
		t.Fatal(err)
	}
	data, err := files.ReadFile("smoke.json")
	if err != nil {
		t.Fatal(err)
	}
	copied, err := Parse("my-smoke.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(smoke.Hash) != 16 || smoke.Hash != copied.Hash || smoke.Hash == def.Hash {
		t.Errorf("hashes: smoke %q, its copy %q, default %q", smoke.Hash, copied.Hash, def.Hash)
	}
}

// TestDayPacer: a scenario's day profile is decoded and checked by pacer.Spec.Check, each problem with
// its file and line.
func TestDayPacer(t *testing.T) {
	s, err := Parse("x.json", []byte(`{"duration": "24s", "mix": {"*": 1},
"pacer": {"shape": "day", "rate": "1k/s", "hourly": [1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,1,1,1,1,1,1,1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Pacer.Weekend != pacer.DefaultWeekend || len(s.Pacer.Hourly) != 24 || s.Pacer.Hourly[8] != 2 {
		t.Errorf("pacer %+v; want the profile and the default weekend factor", s.Pacer)
	}
	p, err := s.Pacer.New(pacer.Limit{Duration: s.Duration})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := p.(*pacer.Day); !ok || math.Abs(d.PeakToMean()-2/(33.0/24)) > 1e-9 {
		t.Errorf("pacer %v; want a Day with peak/mean %v", p, 2/(33.0/24))
	}
	_, err = Parse("x.json", []byte(`{"duration": "1s", "mix": {"*": 1},
"pacer": {"shape": "day", "rate": "1k/s",
  "hourly": [1, 2, "x"],
  "weekend": -1, "realTime": "yes"}}`))
	for _, want := range []string{
		`x.json:3: pacer.hourly[2]: want a number, got string`,
		`x.json:3: pacer.hourly: 3 weights: want 24, one per hour from midnight`,
		`x.json:4: pacer.weekend: want a factor >= 0`,
		`x.json:4: pacer.realTime: want true or false, got string`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v; want it to contain %q", err, want)
		}
	}
}
