package generator

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/generator/vocab"
)

// textFn appends a field's %s rendering; numFn returns its %d value; classFn returns the value when
// the event's class alone decides it, and false when each event draws it.
type (
	textFn  func(e *event, dst []byte) []byte
	numFn   func(e *event) int64
	classFn func(cm *classModel) (nssfmt.Constant, bool)
)

// fieldSpec is how one NSS field gets its value. class, when set, must agree with text and num for
// every event of a class where it reports a value: that value is folded into the class's program.
type fieldSpec struct {
	text   textFn
	num    numFn
	class  classFn
	second bool // the value depends on the record's second alone (perSecond)
	// textAt and numAt, when set, return where an event keeps the field's text or number; a program
	// bound to the event (Generator.bind) reads the value there instead of calling text or num.
	textAt func(e *event) *[]byte
	numAt  func(e *event) *int64
	// pick, when set, returns the field's text, a value the event selects rather than composes; a
	// bound program reads it from the event's picked slot, which the Generator fills once per event
	// after the draw (classProgs.picks).
	pick func(e *event) []byte
}

// feedTable is the dispatch table of one feed, indexed by nssfmt.Field. Fields the model does not know
// render as "None" and 0, like NSS's own empty values.
type feedTable struct {
	text   []textFn
	num    []numFn
	class  []classFn // nil entries: drawn per event
	second []bool    // fieldSpec.second
	textAt []func(e *event) *[]byte
	numAt  []func(e *event) *int64
	pick   []func(e *event) []byte
}

// model is everything immutable a Generator and its clones share.
type model struct {
	cfg        Config
	org        *org
	classes    []classModel
	classCum   []uint64
	tables     [verdict.NumFeeds]feedTable
	recordBase uint64
	startNs    int64
	gapNs      int64
	maxLine    int

	sites      []siteModel
	groupSites [numGroups][]int
	services   []svcModel
	svcPick    weighted
	serverIPs  [][]byte
	zsIPs      [][]byte
	resolvers  [][]byte
	countries  [][]byte
	countryW   weighted
	ipcats     [][]byte
	ipcatW     weighted
	agentUAs   [][]byte
	ctypes     [][]byte
	ctypeW     weighted
	dcs        [][3][]byte
	threats    []threatModel
	fwThreats  [][]byte // IPS threat categories
	fwTNames   [][]byte
	zeroIP     []byte
}

// siteModel is a site with its values pre-rendered.
type siteModel struct {
	host, urlcat, urlsupercat, appname, appclass []byte
	urlclass                                     []byte
	ip, ip6                                      []byte
	paths                                        [][]byte
}

// svcModel is a firewall service with its values pre-rendered.
type svcModel struct {
	name, ipproto []byte
	ranges        []vocab.PortRange
	nwapps        [][]byte
}

// threatModel is a threat family with its values pre-rendered.
type threatModel struct {
	fam        *threatFamily
	names      [][]byte
	malwarecat [][]byte
	class      []byte
	filetypes  [][]byte
}

func newModel(cfg Config) (*model, error) {
	if err := validateConfig(&cfg); err != nil {
		return nil, err
	}
	if cfg.Users == 0 {
		cfg.Users = DefaultUsers
	}
	if cfg.EventsPerSecond == 0 {
		cfg.EventsPerSecond = DefaultEventsPerSecond
	}
	if cfg.MaxLine == 0 {
		cfg.MaxLine = DefaultMaxLine
	}
	if cfg.Start.IsZero() {
		cfg.Start = DefaultStart
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	cfg.Classes = append([]Class(nil), cfg.Classes...)

	m := &model{
		cfg:        cfg,
		org:        newOrg(cfg.Seed, cfg.Users, &cfg.Org),
		classCum:   classThresholds(cfg.Classes),
		recordBase: recordBase(cfg.Seed),
		startNs:    cfg.Start.UnixNano(),
		gapNs:      max(1, int64(1e9/cfg.EventsPerSecond)),
		maxLine:    cfg.MaxLine,
		zeroIP:     vb("0.0.0.0"),
	}
	if err := m.buildVocab(); err != nil {
		return nil, err
	}
	m.buildTables()
	var errs []error
	m.classes = make([]classModel, len(cfg.Classes))
	for i := range cfg.Classes {
		if err := m.compileClass(&m.classes[i], &cfg.Classes[i]); err != nil {
			errs = append(errs, fmt.Errorf("class %d %q: %w", i, cfg.Classes[i].Name, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i := range m.classes {
		if err := m.probe(i); err != nil {
			errs = append(errs, fmt.Errorf("class %d %q: %w", i, cfg.Classes[i].Name, err))
		}
	}
	return m, errors.Join(errs...)
}

// buildVocab pre-renders every list the events draw from.
func (m *model) buildVocab() error {
	m.sites = make([]siteModel, len(sites))
	for i := range sites {
		s := &sites[i]
		super, ok := vocab.SuperCategory(s.urlcat)
		if !ok {
			return fmt.Errorf("BUG: site %s: URL category %q not in url-categories.tsv", s.host, s.urlcat)
		}
		sm := &m.sites[i]
		sm.host, sm.urlcat, sm.urlsupercat = vb(s.host), vb(s.urlcat), vb(super)
		sm.appname, sm.appclass = vb(s.appname), vb(s.appclass)
		sm.urlclass = urlclasses[s.group]
		sm.ip = vb(docIP(i))
		sm.ip6 = vb("2001:db8:" + strconv.FormatUint(uint64(0x100+i), 16) + "::" + strconv.FormatUint(uint64(1+i%200), 16))
		for _, p := range s.paths {
			sm.paths = append(sm.paths, vb(p))
		}
		m.groupSites[s.group] = append(m.groupSites[s.group], i)
	}
	var w []int
	for _, s := range fwServices {
		sm := svcModel{name: vb(s.name), ipproto: vb(s.ipproto), nwapps: toBytes(s.nwapps)}
		if s.vocab != "" {
			vs, ok := vocab.LookupNetworkService(s.vocab)
			if !ok {
				return fmt.Errorf("BUG: firewall service %s: %q not in fw-network-services.tsv", s.name, s.vocab)
			}
			sm.ranges = vs.Ports(s.ipproto)
		}
		for _, p := range s.ports {
			sm.ranges = append(sm.ranges, vocab.PortRange{Lo: p, Hi: p})
		}
		m.services = append(m.services, sm)
		w = append(w, s.weight)
	}
	m.svcPick = newWeighted(w)
	for _, prefix := range []string{"192.0.2.", "198.51.100.", "203.0.113."} {
		for h := 1; h <= 254; h++ {
			m.serverIPs = append(m.serverIPs, vb(prefix+strconv.Itoa(h)))
		}
	}
	for h := 200; h < 216; h++ {
		m.zsIPs = append(m.zsIPs, vb("198.51.100."+strconv.Itoa(h)))
	}
	m.resolvers = toBytes([]string{"192.0.2.53", "198.51.100.53", "203.0.113.53"})
	m.countries, m.countryW = weightedBytes(destCountries)
	m.ipcats, m.ipcatW = weightedBytes(ipCategories)
	m.ctypes, m.ctypeW = weightedBytes(contentTypes)
	m.agentUAs = toBytes(agentUAs)
	for _, d := range datacenters {
		m.dcs = append(m.dcs, [3][]byte{vb(d.name), vb(d.city), vb(d.country)})
	}
	for i := range threatFamilies {
		f := &threatFamilies[i]
		m.threats = append(m.threats, threatModel{fam: f, names: toBytes(f.names), malwarecat: toBytes(f.malwarecat), class: vb(f.malwareclass), filetypes: toBytes(f.filetypes)})
	}
	for _, c := range []string{"Botnet Callback", "Malware", "Phishing", "Ransomware", "Suspicious Destinations", "Unauthorized Communication", "Crypto Mining"} {
		if !contains(vocab.ThreatCategories(), c) {
			return fmt.Errorf("BUG: IPS threat category %q not in ips-threat-categories.txt", c)
		}
		m.fwThreats = append(m.fwThreats, vb(c))
	}
	m.fwTNames = toBytes([]string{"Win32.Trojan.DNSpionage", "Linux.Backdoor.Tsunami", "Win64.Backdoor.Sliver", "Trojan.Zbot", "Backdoor.Caphaw"})
	return nil
}

// recordBase returns the seed's first record id: 19 digits, in [7e18, 8e18), so that base+seq stays a
// 19-digit positive int64 for any realistic run.
func recordBase(seed uint64) uint64 {
	r := newRNG(seed, streamRecordID, 0)
	return 7_000_000_000_000_000_000 + r.next()%1_000_000_000_000_000_000
}

// docIP returns the server address of site i, in the documentation ranges.
func docIP(i int) string {
	prefixes := [...]string{"192.0.2.", "198.51.100.", "203.0.113."}
	return prefixes[i%3] + strconv.Itoa(2+(i*37)%199)
}

// buildTables resolves every nssfmt field to this model's value functions, per feed.
func (m *model) buildTables() {
	fields := nssfmt.Fields()
	n := 0
	for _, f := range fields {
		n = max(n, int(f)+1)
	}
	for _, feed := range verdict.Feeds() {
		names := fieldsOf(feed)
		t := feedTable{text: make([]textFn, n), num: make([]numFn, n), class: make([]classFn, n), second: make([]bool, n),
			textAt: make([]func(*event) *[]byte, n), numAt: make([]func(*event) *int64, n), pick: make([]func(*event) []byte, n)}
		for i := range t.text {
			t.text[i], t.num[i], t.class[i] = textNone, numZero, classNone
		}
		for _, f := range fields {
			if s, ok := names[f.Name()]; ok {
				t.text[f], t.class[f], t.second[f] = s.text, s.class, s.second
				t.textAt[f], t.numAt[f], t.pick[f] = s.textAt, s.numAt, s.pick
				if s.num != nil {
					t.num[f] = s.num
				}
			}
		}
		m.tables[feed] = t
	}
}

// fieldsOf returns the field specs of feed: the common ones overlaid with the feed's own.
func fieldsOf(feed verdict.Feed) map[string]fieldSpec {
	out := make(map[string]fieldSpec, 200)
	for k, v := range commonFields() {
		out[k] = v
	}
	fm := &feedModels[feed]
	if fm.fields == nil {
		panic("BUG: generator: feed " + feed.String() + " has no model; register one from generator/feed_NAME.go")
	}
	for k, v := range fm.fields() {
		out[k] = v
	}
	return out
}

func textNone(_ *event, dst []byte) []byte { return append(dst, "None"...) }
func numZero(*event) int64                 { return 0 }
func classNone(*classModel) (nssfmt.Constant, bool) {
	return nssfmt.Constant{Text: bNone}, true
}

// probe renders one record of class i and checks that a malformed class has a CEF line to damage, and
// that every class has one when Config.Syslog replaces the text before its signature.
func (m *model) probe(i int) error {
	c := &m.classes[i]
	if c.malform == MalformNone && m.cfg.Syslog == SyslogFormat {
		return nil
	}
	var tc timeCache
	var e event
	e.init(m, &tc)
	r := newRNG(m.cfg.Seed, streamEvent, 0)
	e.begin(c, 0, m.recordBase, &r)
	line := c.prog.Append(nil, &e)
	if _, ok := cefHeader(line); !ok {
		if c.malform == MalformNone {
			return fmt.Errorf("syslog form %s needs a CEF format for feed %s; its format renders %q", m.cfg.Syslog, c.feed, headTail(line))
		}
		return fmt.Errorf("malform %s needs a CEF format for feed %s; its format renders %q", c.malform, c.feed, headTail(line))
	}
	return nil
}

// headTail shortens long inputs for error messages.
func headTail(b []byte) string {
	if len(b) <= 80 {
		return string(b)
	}
	return string(b[:40]) + "…" + string(b[len(b)-30:])
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = vb(s)
	}
	return out
}

func weightedBytes(ws []weightedString) ([][]byte, weighted) {
	vals := make([][]byte, len(ws))
	for i, w := range ws {
		vals[i] = vb(w.s)
	}
	return vals, newWeighted(weightsOf(ws))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// KnownFields returns the NSS field names the model gives values for in feed, sorted. Other fields
// render as "None" or 0.
func KnownFields(feed verdict.Feed) []string {
	names := fieldsOf(feed)
	out := make([]string, 0, len(names))
	for k := range names {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lowerContains reports whether s contains any of subs, ignoring case.
func lowerContains(s string, subs ...string) bool {
	l := strings.ToLower(s)
	for _, sub := range subs {
		if strings.Contains(l, strings.ToLower(sub)) {
			return true
		}
	}
	return false
}

// vb returns s as the bytes of a value, with a capacity of at least 32: nssfmt copies a value of up
// to 32 bytes with that much capacity as one block instead of calling memmove.
func vb(s string) []byte {
	b := make([]byte, len(s), max(len(s), 32))
	copy(b, s)
	return b
}
