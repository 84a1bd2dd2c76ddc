package generator

import (
	"time"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// event is the state of the record being rendered: the class, the user, the time and the latent draws
// the field functions derive values from. It implements nssfmt.Values. All byte slices point into the
// model's immutable tables, so rendering copies but never allocates.
type event struct {
	m        *model
	cls      *classModel
	tc       *timeCache
	seq      uint64
	recordID int64
	u        *user
	uv       user     // a copy of *u: bound programs read the user's fields from here (fieldSpec.textAt)
	picked   [][]byte // by nssfmt.Field: the picked fields' values of this event (classProgs.picks)
	ns       int64    // the record's time, Unix nanoseconds: virtual, or wallNs
	wall     bool     // stamp the record at wallNs (AppendAt)
	wallNs   int64
	rng      rng // the event's own stream, seeded from (seed, seq) by the caller of begin

	site       *siteModel // web and DNS
	durationms int64      // firewall and DNS

	feedDraws                       // the web, firewall and DNS draws
	ext       [verdict.NumFeeds]any // other feeds' draws, by feed (feedModel.newDraws)
}

var _ nssfmt.Values = (*event)(nil)

// init readies e to render events of m with the time cache tc: it gets the storage of every feed that
// draws into its own type.
func (e *event) init(m *model, tc *timeCache) {
	e.m, e.tc = m, tc
	for f := range feedModels {
		if nd := feedModels[f].newDraws; nd != nil {
			e.ext[f] = nd()
		}
	}
}

// AppendText appends the %s value of field f: the class's fixed value if it has one, else the drawn one.
func (e *event) AppendText(dst []byte, f nssfmt.Field) []byte {
	if t := e.cls.text; int(f) < len(t) {
		return t[f](e, dst)
	}
	return append(dst, "None"...)
}

// Number returns the %d value of field f.
func (e *event) Number(f nssfmt.Field) int64 {
	if t := e.cls.num; int(f) < len(t) {
		return t[f](e)
	}
	return 0
}

var bNone = vb("None")

// begin draws everything event seq of class c needs. r is the event's own stream.
func (e *event) begin(c *classModel, seq uint64, recordID uint64, r *rng) {
	m := e.m
	e.cls, e.seq, e.recordID = c, seq, int64(recordID)
	e.ns = m.startNs + int64(seq)*m.gapNs + int64(scale64(r.next(), uint64(m.gapNs))) // drawn either way: the stream stays Append's
	if e.wall {
		e.ns = e.wallNs
	}
	e.tc.set(e.ns, m.cfg.Location)
	// Activity is skewed: the minimum of two uniform draws favours low-numbered users.
	n := len(m.org.users)
	a, b := r.intn(n), r.intn(n)
	e.u = &m.org.users[min(a, b)]
	e.uv = *e.u
	c.draw(e, r)
}

// timeCache holds the calendar fields of the current virtual second in the configured zone; it is
// recomputed only when the second changes.
type timeCache struct {
	ok                             bool
	sec                            int64
	year, month, day, hour, min, s int64
	wday                           time.Weekday
	zone                           string
}

func (tc *timeCache) set(ns int64, loc *time.Location) {
	sec := ns / 1e9
	if ns < 0 && ns%1e9 != 0 {
		sec--
	}
	if tc.ok && sec == tc.sec {
		return
	}
	t := time.Unix(sec, 0).In(loc)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	tc.ok, tc.sec = true, sec
	tc.year, tc.month, tc.day, tc.hour, tc.min, tc.s = int64(y), int64(mo), int64(d), int64(h), int64(mi), int64(s)
	tc.wday = t.Weekday()
	tc.zone, _ = t.Zone()
}
