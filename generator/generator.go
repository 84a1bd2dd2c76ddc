// Package generator produces synthetic Zscaler ZIA NSS records — web, firewall and DNS — for load and
// conformance tests, and the ground truth for each.
//
// A Generator draws each record from one of a weighted list of event classes (Class): a class fixes a
// few NSS fields (the reason of a malware block, the rule of an RDP connection, …) and the generator
// draws every other field so that the record is internally consistent: a blocked web transaction has
// respcode 403 and a block reason, threat fields appear only with threat reasons and their risk score
// matches their severity, URL categories come with their own super category, a firewall destination
// port belongs to its network service, allowed Standard-firewall sessions are aggregated, and all of
// it comes from a stable synthetic organisation of users, devices and locations. Records are rendered
// through a compiled NSS feed output format (package nssfmt), so any format an NSS admin could type
// can be generated. Malformed classes damage a valid rendered line in one of the ways PIPELINE.md's
// collector rule C1 names (see Malform).
//
// Each record is a pure function of (Config, seq): the same seed and configuration give byte-identical
// output whatever the send rate, order, sharding or number of connections. Record times come from a
// virtual clock (Config.EventsPerSecond), not from the wall clock. The ground truth of a line is its
// Label (class index, record id), returned beside the bytes; the class's Expect says which verdict
// the reference pipeline should give it.
package generator

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// Class is one kind of event, drawn with probability proportional to Weight.
type Class struct {
	Name   string       // e.g. "alert.malware_file", "noise.web_allowed", "malformed.truncated"
	Feed   verdict.Feed // the NSS log type the class's records belong to
	Weight float64      // relative frequency, > 0
	// Set fixes NSS fields (by NSS field name) to values, e.g. {"action":"Blocked","reason":"Malware
	// block: malicious file"}; every other field is drawn, consistent with the fixed ones.
	Set     map[string]string
	Malform Malform             // MalformNone for a well-formed record
	Expect  verdict.Expectation // the verdict PIPELINE.md implies for this class (data, not computed)
}

// Config configures a Generator. Zero values take the documented defaults.
type Config struct {
	Seed    uint64
	Classes []Class
	// Programs holds one compiled feed output format per feed, indexed by verdict.Feed; nil = feed
	// unused. Every class's feed needs its program.
	Programs [verdict.NumFeeds]*nssfmt.Program
	Users    int       // size of the synthetic organisation (default 500)
	Start    time.Time // virtual time of event 0 (default 2024-06-11 02:52:44 UTC)
	// EventsPerSecond is the virtual clock's mean event rate: event seq happens at about
	// Start + seq/EventsPerSecond, independent of the real send rate (default 1000).
	EventsPerSecond float64
	Location        *time.Location // time zone of rendered timestamps, NSS's "Time Zone" (default UTC)
	MaxLine         int            // collector line limit; MalformOversize lines exceed it (default 64 KiB)
	Org             Org            // the synthetic organisation's domain, networks, locations and departments
	// Syslog is the syslog header of the lines (default SyslogFormat: the format's own text); the
	// other forms need formats that render a "CEF:" signature.
	Syslog Syslog
}

// Defaults applied by New.
const (
	DefaultUsers           = 500
	DefaultEventsPerSecond = 1000
	DefaultMaxLine         = 64 << 10
	maxUsers               = 1 << 20
	maxClasses             = math.MaxUint16 + 1
)

// DefaultStart is the virtual time of event 0 when Config.Start is zero.
var DefaultStart = time.Date(2024, time.June, 11, 2, 52, 44, 0, time.UTC)

// Label is the ground truth of one generated line. It travels beside the bytes, never inside them.
type Label struct {
	Seq      uint64 // the event number passed to Append
	RecordID uint64 // the value %d{recordid} renders (a format without recordid does not carry it)
	Class    uint16 // index into Config.Classes (Generator.Classes)
}

// Generator renders events. It is not safe for concurrent use; Clone gives an independent copy that
// shares the immutable tables, for another goroutine.
type Generator struct {
	m     *model
	ev    event
	tc    timeCache
	sc    syslogCache
	progs []classProgs // by class
}

// classProgs are a class's programs bound to one Generator's event (bind), and its head (classModel.head)
// as rendered for second sec.
type classProgs struct {
	head, tail *nssfmt.Program // head nil: tail renders the whole record
	ok         bool
	sec        int64
	text       []byte
	// headPicks and picks are the picked fields head and tail read: set before head renders (once
	// a second), and after each draw.
	headPicks, picks []pick
}

// pick is a field whose value the event selects (fieldSpec.pick), kept in its picked slot.
type pick struct {
	f   nssfmt.Field
	get func(e *event) []byte
}

// bind gives g its own copy of every class's programs, bound to g.ev: the fields an event keeps in
// place of its own (fieldSpec.textAt, numAt), and the picked ones (fieldSpec.pick) in their slot of
// e.picked, are read from there without a call.
func (g *Generator) bind() {
	e := &g.ev
	n := 0
	for i := range g.m.tables {
		n = max(n, len(g.m.tables[i].pick))
	}
	e.picked = make([][]byte, n)
	g.progs = make([]classProgs, len(g.m.classes))
	for i := range g.m.classes {
		c := &g.m.classes[i]
		p := &g.progs[i]
		var picks *[]pick // the list of the program being bound
		slot := func(f nssfmt.Field) (*[]byte, *int64) {
			var text *[]byte
			var num *int64
			if int(f) >= len(c.setText) || c.setText[f] != nil {
				return nil, nil // outside the tables or fixed by the class: rendered through Values
			}
			if at := c.tab.textAt[f]; at != nil {
				text = at(e)
			} else if get := c.tab.pick[f]; get != nil {
				if !slices.ContainsFunc(*picks, func(k pick) bool { return k.f == f }) {
					*picks = append(*picks, pick{f, get})
				}
				text = &e.picked[f]
			}
			if at := c.tab.numAt[f]; at != nil {
				num = at(e)
			}
			return text, num
		}
		if c.head != nil {
			picks = &p.headPicks
			p.head = c.head.Bind(slot)
		}
		picks = &p.picks
		p.tail = c.tail.Bind(slot)
	}
}

// New validates cfg and builds a Generator. The error lists every problem found.
func New(cfg Config) (*Generator, error) {
	m, err := newModel(cfg)
	if err != nil {
		return nil, err
	}
	g := &Generator{m: m}
	g.ev.init(m, &g.tc)
	g.bind()
	return g, nil
}

// Clone returns a Generator with the same configuration and its own scratch state. It renders the same
// bytes for the same seq and may be used concurrently with g.
func (g *Generator) Clone() *Generator {
	c := &Generator{m: g.m}
	c.ev.init(g.m, &c.tc)
	c.bind()
	return c
}

// Classes returns the configured classes, indexed by Label.Class. The slice is shared: do not modify.
func (g *Generator) Classes() []Class { return g.m.cfg.Classes }

// Seed returns the configured seed.
func (g *Generator) Seed() uint64 { return g.m.cfg.Seed }

// Append renders event seq and appends it to dst, without a trailing newline. The bytes and the label
// are a pure function of the configuration and seq, so any order, rate or sharding of seqs gives the
// same lines. Event seq's virtual time is Start + seq/EventsPerSecond plus a jitter below one event
// gap, and its record id is a seed-derived 19-digit base + seq; both stay meaningful for seq below
// 2^60. It does not allocate once dst has room for the line (MalformOversize lines are longer than
// MaxLine). It may write scratch bytes into dst's spare capacity beyond the line.
func (g *Generator) Append(dst []byte, seq uint64) ([]byte, Label) {
	return g.append(dst, seq, true)
}

// AppendAt is Append with the record stamped at unixNano (nanoseconds since the Unix epoch, rendered in
// Config.Location) instead of its virtual time: ClockWall's rendering, for records stamped with their
// scheduled send time. Every other byte is Append's for seq. The calendar fields are computed once per
// second of unixNano (a sender's times increase), so it does not allocate either.
func (g *Generator) AppendAt(dst []byte, seq uint64, unixNano int64) ([]byte, Label) {
	g.ev.wall, g.ev.wallNs = true, unixNano
	dst, lbl := g.append(dst, seq, true)
	g.ev.wall = false
	return dst, lbl
}

// append is Append; folded=false renders through the feed's program as configured instead of the
// class's folded one (see classModel.constant), which only tests do.
func (g *Generator) append(dst []byte, seq uint64, folded bool) ([]byte, Label) {
	m := g.m
	e := &g.ev
	// The stream lives in the event, not on the stack: the feed's draw is called through a function
	// value, which would make a stack stream escape.
	r := &e.rng
	*r = newRNG(m.cfg.Seed, streamEvent, seq)
	ci := m.pickClass(r.next())
	c := &m.classes[ci]
	lbl := Label{Seq: seq, RecordID: m.recordBase + seq, Class: uint16(ci)}
	e.begin(c, seq, lbl.RecordID, r)
	start := len(dst)
	switch {
	case !folded:
		dst = m.cfg.Programs[c.feed].Append(dst, e)
	default:
		p := &g.progs[ci]
		for _, k := range p.picks {
			e.picked[k.f] = k.get(e)
		}
		if p.head != nil {
			if !p.ok || p.sec != e.tc.sec {
				for _, k := range p.headPicks {
					e.picked[k.f] = k.get(e)
				}
				p.text = p.head.Append(p.text[:0], e)
				p.ok, p.sec = true, e.tc.sec
			}
			dst = append(dst, p.text...)
		}
		dst = p.tail.Append(dst, e)
	}
	if m.cfg.Syslog != SyslogFormat {
		dst = g.sc.reheader(dst, start, m.cfg.Syslog, e.tc.sec, m.cfg.Location)
	}
	if c.malform != MalformNone {
		dst = m.damage(dst, start, c.malform, r)
	}
	return dst, lbl
}

// LabelOf returns the label Append gives event seq, without rendering it. It only reads immutable
// state, so it is safe for concurrent use.
func (g *Generator) LabelOf(seq uint64) Label {
	m := g.m
	r := newRNG(m.cfg.Seed, streamEvent, seq)
	return Label{Seq: seq, RecordID: m.recordBase + seq, Class: uint16(m.pickClass(r.next()))}
}

// SeqOf returns the event number whose record id (%d{recordid}, Label.RecordID) is id, and false when
// id cannot be one of this generator's record ids. Safe for concurrent use.
func (g *Generator) SeqOf(id uint64) (uint64, bool) {
	base := g.m.recordBase
	if id < base || id-base >= 1<<60 {
		return 0, false
	}
	return id - base, true
}

// pickClass maps 64 random bits to a class index with probability proportional to its weight.
func (m *model) pickClass(x uint64) int {
	cum := m.classCum
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// classThresholds turns weights into cumulative thresholds over [0, 2^64): class i is picked when the
// draw is below cum[i] and not below cum[i-1]. The last threshold is 2^64-1 so every draw maps.
func classThresholds(classes []Class) []uint64 {
	var total float64
	for _, c := range classes {
		total += c.Weight
	}
	cum := make([]uint64, len(classes))
	var acc float64
	for i, c := range classes {
		acc += c.Weight
		f := acc / total
		if f >= 1 || i == len(classes)-1 {
			cum[i] = math.MaxUint64
		} else {
			cum[i] = uint64(f * (1 << 63) * 2)
		}
	}
	return cum
}

// validateConfig checks everything that does not need the field model; the errors name the class.
func validateConfig(cfg *Config) error {
	var errs []error
	if len(cfg.Classes) == 0 {
		errs = append(errs, errors.New("no classes"))
	}
	if len(cfg.Classes) > maxClasses {
		errs = append(errs, fmt.Errorf("%d classes; at most %d", len(cfg.Classes), maxClasses))
	}
	if cfg.Users < 0 || cfg.Users > maxUsers {
		errs = append(errs, fmt.Errorf("users: %d out of range [1, %d]", cfg.Users, maxUsers))
	}
	if cfg.EventsPerSecond < 0 || math.IsNaN(cfg.EventsPerSecond) || math.IsInf(cfg.EventsPerSecond, 0) || cfg.EventsPerSecond > 1e9 {
		errs = append(errs, fmt.Errorf("events per second: %v out of range (0, 1e9]", cfg.EventsPerSecond))
	}
	errs = append(errs, cfg.Org.validate()...)
	if cfg.Syslog >= numSyslogs {
		errs = append(errs, fmt.Errorf("unknown syslog form %d", cfg.Syslog))
	}
	if cfg.MaxLine < 0 || cfg.MaxLine > 64<<20 {
		errs = append(errs, fmt.Errorf("max line: %d out of range [1, 64 MiB]", cfg.MaxLine))
	}
	names := make(map[string]int, len(cfg.Classes))
	for i := range cfg.Classes {
		c := &cfg.Classes[i]
		where := fmt.Sprintf("class %d %q", i, c.Name)
		if c.Name == "" {
			errs = append(errs, fmt.Errorf("class %d: empty name", i))
		} else if j, dup := names[c.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: duplicate name (also class %d)", where, j))
		} else {
			names[c.Name] = i
		}
		if !(c.Weight > 0) || math.IsInf(c.Weight, 0) {
			errs = append(errs, fmt.Errorf("%s: weight %v: want a finite number > 0", where, c.Weight))
		}
		switch {
		case c.Feed == verdict.FeedUnknown || c.Feed >= verdict.NumFeeds:
			errs = append(errs, fmt.Errorf("%s: feed %s: want %s", where, c.Feed, verdict.FeedChoices()))
		case cfg.Programs[c.Feed] == nil:
			errs = append(errs, fmt.Errorf("%s: no format program for feed %s", where, c.Feed))
		}
		if c.Malform >= numMalforms {
			errs = append(errs, fmt.Errorf("%s: unknown malform %d", where, c.Malform))
		}
	}
	return errors.Join(errs...)
}
