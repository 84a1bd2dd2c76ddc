// Package scenarios loads benchmark scenarios: what to generate (a weighted mix of event classes from
// the class library classes.json, plus inline classes), which NSS formats to render it with, how fast
// to send it (a pacer shape), over what transport, and the thresholds that decide pass or fail.
//
// Scenario files are JSON. Every key is optional unless marked; unknown keys are errors:
//
//	{
//	  "name": "default",                        // default: the file's base name
//	  "description": "one line for `nssbench scenarios`",
//	  "seed": 1,                                // number or decimal string (default 1)
//	  "duration": "10s",                        // Go duration; required unless count is given
//	  "count": 0,                               // events to send; 0 = until duration ends
//	  "pacer": {"shape": "constant", "rate": "20000/s"},   // optional when the command paces (run -rate)
//	  "connections": 1, "transport": "tcp", "framing": "lf",
//	  "feeds": {"web": "web", "firewall": "firewall", "dns": "dns"},   // feed → generator/feeds name
//	  "users": 500,
//	  "timeZone": "UTC",                        // NSS's "Time Zone": IANA name the timestamps print in
//	  "feedEscape": "",                         // NSS's "Feed Escape Character" set, e.g. ",\"" or "="
//	  "malformedRatio": 0.005,                  // rescale the malformed classes to this share
//	  "mix": {"noise.web_allowed": 30, "alert.*": 3},
//	  "classes": [{"name": "my.class", "feed": "web", "weight": 1, "set": {…}, "expect": {…}}],
//	  "thresholds": ["lost==0", "mismatches==0"]
//	}
//
// Rates are numbers (events per second) or strings in the grammar of pacer.ParseRate: "5000/s", "5k/s",
// "1.5M/s", "300000/m", "18e6/h". Pacer shapes (validated by pacer.Spec.Check) and
// their keys: constant {rate}; ramp {from, to, period (default: the run's duration)}; step {steps:
// [{rate, duration}]}; sine {rate (mean), amplitude, period}; burst {rate, on, off}; day {rate (a
// weekday's mean), hourly (24 weights from midnight; default pacer.DefaultHourly), weekend (default
// pacer.DefaultWeekend), period (one day's length; default the run's duration) or realTime (true: a day
// lasts 24h, from the wall-clock hour the run starts at)}; replay {speed}.
//
// A mix key is a class name, "prefix.*" (every class whose name starts with "prefix.") or "*" (every
// class); a pattern's weight is split evenly among the classes it matches that no exact key names.
// Inline classes use the library's class schema (see classes.json) and need a weight unless the mix
// names them. Thresholds use the grammar of package reports/threshold. Validation reports every problem
// at once, each as "file:line: field: message".
package scenarios

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/valyala/fastjson"
)

//go:embed *.json
var files embed.FS

// Scenario is a validated scenario with its classes resolved.
type Scenario struct {
	Name, Description string
	Seed              uint64
	Duration          time.Duration
	Count             uint64     // 0 = unbounded (Duration decides)
	Pacer             pacer.Spec // Shape "" when the file gives no pacer (the command must supply one)
	Connections       int
	Transport         string                  // "tcp" (default), "udp", "tls"
	Framing           string                  // "lf" (default), "octet"
	Feeds             map[verdict.Feed]string // feed → built-in format name (generator/feeds)
	Users             int
	Org               generator.Org  // the synthetic organisation (its zero value: the built-in one)
	TimeZone          *time.Location // NSS's "Time Zone" of the rendered timestamps (default UTC)
	// FeedEscape is NSS's "Feed Escape Character" setting: the characters string values print as %hh.
	FeedEscape string
	// Syslog is the syslog header form of the generated lines (Overrides.Syslog; default the feed
	// format's own).
	Syslog         generator.Syslog
	MalformedRatio float64 // if > 0, the malformed classes were rescaled to this share of all events
	// Classes are the library classes the mix references, with the mix's weights, then the inline
	// classes, in that order; malformed weights already rescaled by MalformedRatio.
	Classes    []generator.Class
	Thresholds []*threshold.Threshold // the file's gates, in file order
	// Hash identifies the scenario's content: the first 16 hex digits of the SHA-256 of the file and
	// the built-in class library it draws on. Reports carry it so that different scenarios are not
	// compared.
	Hash string
}

// Defaults of a scenario file.
const (
	DefaultSeed        = 1
	DefaultConnections = 1
	DefaultUsers       = generator.DefaultUsers
)

// maxConnections bounds a scenario's connections, in the file and as an override.
const maxConnections = 100000

var scenarioKeys = []string{"name", "description", "seed", "duration", "count", "pacer", "connections", "transport",
	"framing", "feeds", "users", "org", "timeZone", "feedEscape", "malformedRatio", "mix", "classes", "thresholds"}

var pacerKeys = []string{"shape", "rate", "from", "to", "steps", "amplitude", "period", "on", "off", "speed", "hourly", "weekend", "realTime"}

// Load reads and validates the scenario file at path.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return Parse(path, data)
}

// Builtin returns the built-in scenario called name (see Names).
func Builtin(name string) (*Scenario, error) {
	if name == "classes" || strings.ContainsAny(name, "/\\.") {
		return nil, fmt.Errorf("unknown built-in scenario %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	data, err := files.ReadFile(name + ".json")
	if err != nil {
		return nil, fmt.Errorf("unknown built-in scenario %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return Parse("scenarios/"+name+".json", data)
}

// contentHash hashes a scenario file's data with the class library: the first 16 hex digits of the
// SHA-256.
func contentHash(data []byte) string {
	lib, _ := files.ReadFile("classes.json") // embedded: it cannot fail
	h := sha256.New()
	h.Write(data)
	h.Write([]byte{0})
	h.Write(lib)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Names returns the names of the built-in scenarios, sorted.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		n := strings.TrimSuffix(e.Name(), ".json")
		if n != "classes" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Summary returns a one-line description of built-in scenario name for `nssbench scenarios`, or ""
// if there is no such scenario.
func Summary(name string) string {
	s, err := Builtin(name)
	if err != nil {
		return ""
	}
	return s.Summary()
}

// Summary describes the scenario on one line: description, pacing, length, transport and mix size.
func (s *Scenario) Summary() string {
	length := s.Duration.String()
	if s.Count > 0 {
		length = fmt.Sprintf("%d events", s.Count)
		if s.Duration > 0 {
			length += " or " + s.Duration.String()
		}
	}
	conns := "connection"
	if s.Connections != 1 {
		conns += "s"
	}
	return fmt.Sprintf("%s — %s for %s, %d %s %s, %d classes", s.Description, s.Pacer, length, s.Connections,
		s.Transport, conns, len(s.Classes))
}

// Parse validates a scenario file's contents; file names it in errors. The error is an Errors listing
// every problem.
func Parse(file string, data []byte) (*Scenario, error) {
	d := &decoder{file: file}
	v := d.parse(data)
	if v == nil {
		return nil, d.err()
	}
	s := &Scenario{
		Name:        strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)),
		Seed:        DefaultSeed,
		Connections: DefaultConnections,
		Transport:   "tcp",
		Framing:     "lf",
		Users:       DefaultUsers,
		Feeds:       map[verdict.Feed]string{},
		Hash:        contentHash(data),
	}
	for _, f := range verdict.Feeds() {
		s.Feeds[f] = f.Descriptor().Format
	}
	var mixV, classesV, pacerV *fastjson.Value
	var mixPath, classesPath, pacerPath string
	has := map[string]bool{}
	d.object(v, "", scenarioKeys, func(key string, v *fastjson.Value, p string) {
		has[key] = true
		switch key {
		case "name":
			if n, ok := d.str(v, p); ok {
				if n == "" {
					d.errorf(p, "empty")
				}
				s.Name = n
			}
		case "description":
			s.Description, _ = d.str(v, p)
		case "seed":
			s.Seed, _ = d.uint64Value(v, p)
		case "duration":
			s.Duration, _ = d.duration(v, p)
		case "count":
			s.Count, _ = d.uint64Value(v, p)
		case "pacer":
			pacerV, pacerPath = v, p
		case "connections":
			s.Connections, _ = d.intIn(v, p, 1, maxConnections)
		case "transport":
			if t, ok := d.str(v, p); ok {
				if !contains([]string{"tcp", "udp", "tls"}, t) {
					d.errorf(p, "%q: want tcp, udp or tls", t)
				}
				s.Transport = t
			}
		case "framing":
			if f, ok := d.str(v, p); ok {
				if f != "lf" && f != "octet" {
					d.errorf(p, "%q: want lf or octet", f)
				}
				s.Framing = f
			}
		case "feeds":
			s.Feeds = d.feeds(v, p)
		case "users":
			s.Users, _ = d.intIn(v, p, 1, 1<<20)
		case "org":
			s.Org = d.org(v, p)
		case "timeZone":
			if name, ok := d.str(v, p); ok {
				loc, err := time.LoadLocation(name)
				if err != nil || name == "" || name == "Local" {
					d.errorf(p, "%q: want an IANA time zone name such as \"UTC\" or \"America/New_York\"", name)
				} else {
					s.TimeZone = loc
				}
			}
		case "feedEscape":
			if esc, ok := d.str(v, p); ok {
				for _, r := range esc {
					if r < 0x21 || r > 0x7e {
						d.errorf(p, "%q: want printable ASCII characters (NSS escapes those)", esc)
						break
					}
				}
				s.FeedEscape = esc
			}
		case "malformedRatio":
			if r, ok := d.number(v, p); ok {
				if r < 0 || r >= 1 {
					d.errorf(p, "%v: want a fraction in [0, 1)", r)
				}
				s.MalformedRatio = r
			}
		case "mix":
			mixV, mixPath = v, p
		case "classes":
			classesV, classesPath = v, p
		case "thresholds":
			arr, err := v.Array()
			if err != nil {
				d.errorf(p, "want an array of strings")
				return
			}
			for i, tv := range arr {
				if t := d.threshold(tv, indexPath(p, i)); t != nil {
					s.Thresholds = append(s.Thresholds, t)
				}
			}
		}
	})
	if s.Duration == 0 && s.Count == 0 && !has["duration"] { // an invalid duration is reported already
		d.errorf("duration", "missing: give a duration or a count")
	}
	if s.Transport == "udp" && s.Framing == "octet" {
		d.errorf("framing", "octet counting frames TCP/TLS streams; UDP sends one record per datagram")
	}
	if pacerV != nil {
		s.Pacer = d.pacer(pacerV, pacerPath)
	}
	s.Classes = d.resolveClasses(mixV, mixPath, classesV, classesPath)
	for i := range s.Classes {
		c := &s.Classes[i]
		if _, ok := s.Feeds[c.Feed]; !ok {
			d.errorf("feeds", "class %q needs a format for feed %s", c.Name, c.Feed)
		}
	}
	if s.MalformedRatio > 0 && len(s.Classes) > 0 {
		if err := rescaleMalformed(s.Classes, s.MalformedRatio); err != "" {
			d.errorf("malformedRatio", "%s", err)
		}
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// feeds decodes the feed → format map.
func (d *decoder) feeds(v *fastjson.Value, path string) map[verdict.Feed]string {
	out := map[verdict.Feed]string{}
	d.object(v, path, nil, func(key string, v *fastjson.Value, p string) {
		feed, err := verdict.ParseFeed(key)
		if err != nil {
			d.errorf(p, "%v", err)
			return
		}
		name, ok := d.str(v, p)
		if !ok {
			return
		}
		f, err := feeds.ByName(name)
		switch {
		case err != nil:
			d.errorf(p, "%v", err)
		case f.Log != feed:
			d.errorf(p, "format %q is a %s format, not %s", name, f.Log, feed)
		default:
			out[feed] = name
		}
	})
	return out
}

// threshold parses one threshold expression; it returns nil after recording the problem.
func (d *decoder) threshold(v *fastjson.Value, path string) *threshold.Threshold {
	expr, ok := d.str(v, path)
	if !ok {
		return nil
	}
	if strings.TrimSpace(expr) == "" {
		d.errorf(path, "empty threshold")
		return nil
	}
	t, err := threshold.Parse(expr)
	var pe *threshold.ParseError
	switch {
	case errors.As(err, &pe): // the field names it a threshold already
		d.errorf(path, "%q: col %d: %s", pe.Expr, pe.Col, pe.Msg)
	case err != nil:
		d.errorf(path, "%v", err)
	}
	return t
}

// pacer decodes the pacer object and validates it with pacer.Spec.Check, the one validation of pacer
// settings. A parameter whose value the decoder already faulted is not reported again.
func (d *decoder) pacer(v *fastjson.Value, path string) pacer.Spec {
	var p pacer.Spec
	has := map[string]bool{}
	d.object(v, path, pacerKeys, func(key string, v *fastjson.Value, kp string) {
		has[key] = true
		switch key {
		case "shape":
			p.Shape, _ = d.str(v, kp)
		case "rate":
			p.Rate, _ = d.rate(v, kp)
		case "from":
			p.From, _ = d.rate(v, kp)
		case "to":
			p.To, _ = d.rate(v, kp)
		case "amplitude":
			p.Amplitude, _ = d.rate(v, kp)
		case "period":
			p.Period, _ = d.duration(v, kp)
		case "on":
			p.On, _ = d.duration(v, kp)
		case "off":
			p.Off, _ = d.durationZero(v, kp)
		case "speed":
			p.Speed, _ = d.number(v, kp)
		case "steps":
			p.Steps = d.steps(v, kp)
		case "hourly":
			p.Hourly = d.weights(v, kp)
		case "weekend":
			p.Weekend, _ = d.number(v, kp)
		case "realTime":
			if b, err := v.Bool(); err != nil {
				d.errorf(kp, "want true or false, got %s", v.Type())
			} else {
				p.RealTime = b
			}
		}
	})
	if !has["shape"] {
		p.Shape = "constant"
	}
	if p.Shape == "replay" && !has["speed"] {
		p.Speed = 1
	}
	if p.Shape == "day" && !has["weekend"] {
		p.Weekend = pacer.DefaultWeekend
	}
	faulted := map[string]bool{}
	for _, e := range d.errs {
		faulted[e.Field] = true
	}
	for _, pr := range p.Check(func(param string) bool { return has[param] || strings.HasPrefix(param, "steps[") }) {
		if fp := path + "." + pr.Param; !faulted[fp] {
			d.errorf(fp, "%s", pr.Msg)
		}
	}
	return p
}

// weights decodes a day pacer's hourly weights: an array of numbers (pacer.Spec.Check says how many).
func (d *decoder) weights(v *fastjson.Value, path string) []float64 {
	arr, err := v.Array()
	if err != nil {
		d.errorf(path, "want an array of 24 numbers, one weight per hour from midnight")
		return []float64{}
	}
	ws := make([]float64, len(arr))
	for i, wv := range arr {
		ws[i], _ = d.number(wv, indexPath(path, i))
	}
	return ws
}

// steps decodes a step pacer's steps: a non-empty array of {rate, duration}.
func (d *decoder) steps(v *fastjson.Value, path string) []pacer.Step {
	arr, err := v.Array()
	if err != nil || len(arr) == 0 {
		d.errorf(path, "want a non-empty array of {rate, duration}")
		return nil
	}
	steps := make([]pacer.Step, 0, len(arr))
	for i, sv := range arr {
		sp := indexPath(path, i)
		var st pacer.Step
		got := map[string]bool{}
		d.object(sv, sp, []string{"rate", "duration"}, func(key string, v *fastjson.Value, p string) {
			got[key] = true
			if key == "rate" {
				st.Rate, _ = d.rate(v, p)
			} else {
				st.Duration, _ = d.duration(v, p)
			}
		})
		for _, k := range []string{"rate", "duration"} {
			if !got[k] {
				d.errorf(pathOf(sp, k), "missing")
			}
		}
		steps = append(steps, st)
	}
	return steps
}

// resolveClasses builds the scenario's class list from the mix and the inline classes.
func (d *decoder) resolveClasses(mixV *fastjson.Value, mixPath string, classesV *fastjson.Value, classesPath string) []generator.Class {
	lib, err := library()
	if err != nil {
		d.errorf("", "class library: %v", err)
		return nil
	}
	// Candidates: library classes, then inline classes, by name.
	type candidate struct {
		c       classDoc
		path    string
		inline  bool
		weight  float64
		matched bool
	}
	var cands []*candidate
	byName := map[string]*candidate{}
	for _, c := range lib {
		cd := &candidate{c: c}
		cands = append(cands, cd)
		byName[c.Name] = cd
	}
	if classesV != nil {
		arr, err := classesV.Array()
		if err != nil {
			d.errorf(classesPath, "want an array of classes")
		}
		for i, cv := range arr {
			p := indexPath(classesPath, i)
			c, ok := d.decodeClass(cv, p)
			if !ok {
				continue
			}
			if prev, dup := byName[c.Name]; dup {
				where := "the class library"
				if prev.inline {
					where = prev.path
				}
				d.errorf(pathOf(p, "name"), "class %q is already defined in %s", c.Name, where)
				continue
			}
			cd := &candidate{c: c, path: p, inline: true}
			cands = append(cands, cd)
			byName[c.Name] = cd
		}
	}
	known := func() string {
		names := make([]string, len(cands))
		for i, c := range cands {
			names[i] = c.c.Name
		}
		return strings.Join(names, ", ")
	}
	// Exact names first, then patterns over what is left.
	type pattern struct {
		prefix string
		weight float64
		path   string
	}
	var patterns []pattern
	if mixV != nil {
		d.object(mixV, mixPath, nil, func(key string, v *fastjson.Value, p string) {
			w, ok := d.number(v, p)
			if !ok {
				return
			}
			if !(w > 0) {
				d.errorf(p, "weight %v: want > 0", w)
				return
			}
			if key == "*" || strings.HasSuffix(key, ".*") {
				patterns = append(patterns, pattern{prefix: strings.TrimSuffix(key, "*"), weight: w, path: p})
				return
			}
			c, ok := byName[key]
			if !ok {
				d.errorf(p, "unknown class (known: %s)", known())
				return
			}
			c.weight, c.matched = w, true
		})
	}
	for _, pt := range patterns {
		var hit []*candidate
		for _, c := range cands {
			if !c.matched && strings.HasPrefix(c.c.Name, pt.prefix) {
				hit = append(hit, c)
			}
		}
		if len(hit) == 0 {
			d.errorf(pt.path, "pattern matches no class not already named (known: %s)", known())
			continue
		}
		for _, c := range hit {
			c.weight += pt.weight / float64(len(hit))
		}
	}
	var out []generator.Class
	for _, c := range cands {
		switch {
		case c.weight > 0:
			cls := c.c.Class
			cls.Weight = c.weight
			out = append(out, cls)
		case c.inline && c.c.hasWeight:
			out = append(out, c.c.Class)
		case c.inline:
			d.errorf(pathOf(c.path, "weight"), "missing: an inline class needs a weight unless the mix names it")
		}
	}
	if len(out) == 0 && (mixV == nil && classesV == nil || len(d.errs) == 0) {
		d.errorf("mix", "missing: the scenario selects no classes (give a mix or inline classes)")
	}
	return out
}

// rescaleMalformed scales the weights of the malformed classes so that they make up ratio of the
// total weight. It returns a message when that is impossible.
func rescaleMalformed(cs []generator.Class, ratio float64) string {
	var bad, good float64
	for _, c := range cs {
		if c.Malform != generator.MalformNone {
			bad += c.Weight
		} else {
			good += c.Weight
		}
	}
	switch {
	case bad == 0:
		return "no malformed classes in the mix to rescale (add e.g. \"malformed.*\")"
	case good == 0:
		return "the mix has only malformed classes"
	}
	k := ratio / (1 - ratio) * good / bad
	for i := range cs {
		if cs[i].Malform != generator.MalformNone {
			cs[i].Weight *= k
			if cs[i].Weight <= 0 || math.IsInf(cs[i].Weight, 0) {
				return fmt.Sprintf("ratio %v gives class %q an unusable weight", ratio, cs[i].Name)
			}
		}
	}
	return ""
}
