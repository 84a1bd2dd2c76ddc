package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/nssbench/nssbench/generator/verdict"
)

// Timing carries one event's timestamps in nanoseconds since the run's start (t=0 is
// RecorderConfig.Start), each taken by the caller from one monotonic clock. Scheduled may be zero (the
// first event is due at t=0); a zero Written, Received or Decided means that time was not taken, and the
// stages that need it are not recorded.
type Timing struct {
	Scheduled int64 // the pacer's schedule
	Written   int64 // the sender wrote the event
	Received  int64 // the collector read and parsed it
	Decided   int64 // the pipeline decided its verdict
}

// DefaultMaxExamples is how many mismatch examples a recorder keeps when RecorderConfig.MaxExamples is 0.
const DefaultMaxExamples = 10

// MaxExampleInput is the most bytes of a mismatched record's input an example keeps: longer inputs keep
// their head and tail around "…".
const MaxExampleInput = 512

// maxTimelineSeconds bounds the timeline: events later than this after Start count in its last second.
const maxTimelineSeconds = 7 * 24 * 3600

// RecorderConfig configures a Recorder.
type RecorderConfig struct {
	Classes     []string  // label class index → name; unnamed indexes are reported as "class N"
	Feeds       []string  // label class index → the name of its records' feed, for the volume per feed
	Start       time.Time // wall clock of t=0; the zero Time is taken as the Unix epoch
	Unchecked   bool      // verdicts are not compared with expectations: conformance counts none checked
	MaxExamples int       // mismatch examples to keep; 0 means DefaultMaxExamples, negative none
}

// Recorder accepts a run's events one at a time and derives a Report at the end.
//
// Latency per stage goes into HDR histograms (see HistogramLowest; ~1.1 MB per recorder for the four
// stages), so latency memory stays flat however many events the run has. The timeline keeps, per
// wall-clock second, counters and a coarse fixed-bucket histogram of end-to-end latency (8 log-linear
// buckets per power of two: percentiles read from it are within 12.5% above the true value): about 1 KiB
// per second of run, at most 7 days. Buckets add, so timelines of merged shards combine exactly.
//
// A Recorder is NOT safe for concurrent use: use one per goroutine and Merge them at the end. In steady
// state (no new second, class, alert type, drop reason or lost cause) no method allocates.
type Recorder struct {
	start       time.Time
	base        int64 // Unix second of timeline[0]
	off         int64 // timeline index of Start's second; grows when a merge prepends earlier seconds
	frac        int64 // nanoseconds of Start past its second
	conformance bool
	maxExamples int

	counts     Counts
	checked    uint64
	mismatches uint64
	classes    []ClassCounts
	alerts     map[string]*AlertCount // by alert type, plus "\x00"+threat id when mapped
	key        []byte                 // scratch for alert keys
	drops      map[dropKey]uint64
	lost       map[string]uint64
	lat        [numLatencyStages]*hdr.Histogram
	timeline   []second
	examples   []MismatchExample
}

type dropKey struct {
	stage  verdict.Stage
	reason verdict.Reason
	detail verdict.Detail
}

// second is one timeline second while recording.
type second struct {
	offered, sent, behind, verdicts, dropped, lost uint64
	e2e                                            *coarse // nil until the second's first end-to-end sample
}

func (s *second) empty() bool {
	return s.offered == 0 && s.sent == 0 && s.behind == 0 && s.verdicts == 0 && s.dropped == 0 && s.lost == 0 &&
		(s.e2e == nil || s.e2e.total() == 0)
}

func (s *second) add(o *second) {
	s.offered += o.offered
	s.sent += o.sent
	s.behind += o.behind
	s.verdicts += o.verdicts
	s.dropped += o.dropped
	s.lost += o.lost
	if o.e2e != nil {
		if s.e2e == nil {
			s.e2e = new(coarse)
		}
		s.e2e.merge(o.e2e)
	}
}

// NewRecorder returns an empty recorder.
func NewRecorder(cfg RecorderConfig) *Recorder {
	start := cfg.Start
	if start.IsZero() {
		start = time.Unix(0, 0)
	}
	r := &Recorder{
		start:       start,
		base:        start.Unix(),
		frac:        int64(start.Nanosecond()),
		conformance: !cfg.Unchecked,
		maxExamples: cfg.MaxExamples,
		classes:     make([]ClassCounts, len(cfg.Classes)),
		alerts:      make(map[string]*AlertCount),
		drops:       make(map[dropKey]uint64),
		lost:        make(map[string]uint64),
	}
	switch {
	case r.maxExamples == 0:
		r.maxExamples = DefaultMaxExamples
	case r.maxExamples < 0:
		r.maxExamples = 0
	}
	for i, name := range cfg.Classes {
		r.classes[i].Name = name
		if i < len(cfg.Feeds) {
			r.classes[i].Feed = cfg.Feeds[i]
		}
	}
	for i := range r.lat {
		r.lat[i] = newLatencyHistogram()
	}
	return r
}

// Offered counts one event that was due at scheduled time t (ns since start).
func (r *Recorder) Offered(t int64) {
	r.counts.Offered++
	r.sec(t).offered++
}

// Unattributed counts n records received that no offered event accounts for (Counts.Unattributed).
func (r *Recorder) Unattributed(n uint64) { r.counts.Unattributed += n }

// Sent counts one event written to the transport and records its send lag (Scheduled→Written) when
// t.Written was taken. behind reports that the sender was later than its schedule by more than its
// tolerance; such events are counted, never hidden.
func (r *Recorder) Sent(t Timing, behind bool) {
	r.counts.Sent++
	at := t.Written
	if at == 0 {
		at = t.Scheduled
	}
	s := r.sec(at)
	s.sent++
	if behind {
		r.counts.Behind++
		s.behind++
	}
	if t.Written > 0 {
		recordLatency(r.lat[SendLag], t.Written-t.Scheduled)
	}
}

// SentBytes counts one record of class class, n bytes long without framing, as sent (see Bytes). Call
// it beside Sent for the same record. It does not allocate in steady state.
func (r *Recorder) SentBytes(class uint16, n int) {
	c := r.class(class)
	c.Sent++
	c.SentBytes += uint64(n)
}

// DeliveredBytes counts one record of class class, n bytes long without framing, as delivered (see
// Bytes). Call it beside Verdict for a record the collector delivered. It does not allocate in steady
// state.
func (r *Recorder) DeliveredBytes(class uint16, n int) {
	c := r.class(class)
	c.Delivered++
	c.DeliveredBytes += uint64(n)
}

// Verdict counts one verdict of a record of label class class and records its wire (Written→Received),
// pipeline (Received→Decided) and end-to-end (Scheduled→Decided) latency from the times that were taken.
// The verdict counts in the timeline second of its Decided time (or the latest time taken). v's slices
// are only read during the call. It does not allocate in steady state.
func (r *Recorder) Verdict(class uint16, v *verdict.Verdict, t Timing) {
	c := r.class(class)
	s := r.sec(latest(t))
	r.counts.Verdicts++
	s.verdicts++
	switch v.Kind {
	case verdict.KindAlert:
		r.counts.Alerts++
		c.Alerts++
		if v.Mapped() {
			r.counts.Mapped++
			c.Mapped++
		} else {
			r.counts.Unmapped++
			c.Unmapped++
		}
		r.countAlert(v)
	case verdict.KindDropped:
		r.counts.Dropped++
		c.Dropped++
		s.dropped++
		r.drops[dropKey{v.Stage, v.Reason, v.Detail}]++
	default:
		r.counts.Invalid++
		c.Invalid++
	}
	if r.conformance {
		r.checked++
		c.Checked++
	}
	if t.Written > 0 && t.Received > 0 {
		recordLatency(r.lat[Wire], t.Received-t.Written)
	}
	if t.Received > 0 && t.Decided > 0 {
		recordLatency(r.lat[Pipeline], t.Decided-t.Received)
	}
	if t.Decided > 0 {
		d := t.Decided - t.Scheduled
		recordLatency(r.lat[EndToEnd], d)
		if s.e2e == nil {
			s.e2e = new(coarse)
		}
		s.e2e.record(d)
	}
}

// latest returns the latest time taken of t.
func latest(t Timing) int64 {
	switch {
	case t.Decided > 0:
		return t.Decided
	case t.Received > 0:
		return t.Received
	case t.Written > 0:
		return t.Written
	}
	return t.Scheduled
}

func (r *Recorder) countAlert(v *verdict.Verdict) {
	r.key = append(r.key[:0], v.AlertType...)
	if v.Threat != nil {
		r.key = append(r.key, 0)
		r.key = append(r.key, v.Threat.ID...)
	}
	if a := r.alerts[string(r.key)]; a != nil {
		a.Count++
		return
	}
	a := &AlertCount{AlertType: string(v.AlertType), Mapped: v.Threat != nil, Count: 1}
	if v.Threat != nil {
		a.ThreatID, a.ThreatName = v.Threat.ID, v.Threat.Name
	}
	r.alerts[string(r.key)] = a
}

// Mismatch counts one verdict that disagreed with its expectation and keeps the first MaxExamples as
// examples (copying v's identity, m and input, clipped to MaxExampleInput). Call it as well as Verdict
// for the same record (in either order); it does not change the balance.
func (r *Recorder) Mismatch(class uint16, v *verdict.Verdict, m verdict.Mismatch, input []byte) {
	c := r.class(class)
	r.mismatches++
	c.Mismatches++
	if len(r.examples) >= r.maxExamples {
		return
	}
	ex := MismatchExample{Class: c.Name, Field: m.Field, Got: m.Got, Want: m.Want, Input: clip(input, MaxExampleInput)}
	if v != nil {
		ex.RecordID = string(v.RecordID)
		ex.Conn, ex.Line = v.Conn, v.Line
	}
	r.examples = append(r.examples, ex)
}

// clip returns b as a string of at most n bytes, keeping head and tail around "…".
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	const ell = "…"
	h := (n - len(ell)) / 2
	return string(b[:h]) + ell + string(b[len(b)-(n-len(ell)-h):])
}

// Lost counts n events of class class that never got a verdict, for a named cause such as "send_error",
// "connection_reset", "udp_overrun" or "interrupted". Without a time, the loss counts in the latest
// timeline second recorded so far; use LostAt when the events' times are known.
func (r *Recorder) Lost(class uint16, cause string, n uint64) {
	i := int64(len(r.timeline)) - 1
	if i < 0 {
		i = r.index(0)
	}
	r.lostIn(r.secAt(i), class, cause, n)
}

// LostAt is Lost for events lost at (or scheduled at) time t, ns since start.
func (r *Recorder) LostAt(t int64, class uint16, cause string, n uint64) {
	r.lostIn(r.sec(t), class, cause, n)
}

func (r *Recorder) lostIn(s *second, class uint16, cause string, n uint64) {
	r.class(class).Lost += n
	r.counts.Lost += n
	r.lost[cause] += n
	s.lost += n
}

// class returns the counters of class c, adding unnamed classes up to c when needed.
func (r *Recorder) class(c uint16) *ClassCounts {
	for int(c) >= len(r.classes) {
		r.classes = append(r.classes, ClassCounts{Name: "class " + strconv.Itoa(len(r.classes))})
	}
	return &r.classes[c]
}

// index returns the timeline index of time t (ns since start).
func (r *Recorder) index(t int64) int64 {
	if t < 0 {
		t = 0
	}
	return r.off + (r.frac+t)/int64(time.Second)
}

func (r *Recorder) sec(t int64) *second { return r.secAt(r.index(t)) }

// secAt returns timeline second i, growing the timeline when needed.
func (r *Recorder) secAt(i int64) *second {
	if i >= maxTimelineSeconds {
		i = maxTimelineSeconds - 1
	}
	if n := int64(len(r.timeline)); i >= n {
		r.timeline = slices.Grow(r.timeline, int(i+1-n))[:i+1]
		clear(r.timeline[n:])
	}
	return &r.timeline[i]
}

// Merge adds everything o recorded to r: counts, classes (matched by name), histograms, timeline seconds
// (aligned on wall-clock seconds) and examples (r's first, then o's, up to r's limit). o is unchanged.
func (r *Recorder) Merge(o *Recorder) error {
	if o == nil {
		return errors.New("merge recorder: nil recorder")
	}
	if o == r {
		return errors.New("merge recorder: a recorder cannot merge itself")
	}
	for i := range r.lat {
		if dropped := r.lat[i].Merge(o.lat[i]); dropped != 0 {
			return fmt.Errorf("merge recorder: %s latency: %d values out of range", LatencyStage(i), dropped)
		}
	}
	c := &r.counts
	oc := &o.counts
	c.Offered += oc.Offered
	c.Sent += oc.Sent
	c.Behind += oc.Behind
	c.Verdicts += oc.Verdicts
	c.Alerts += oc.Alerts
	c.Mapped += oc.Mapped
	c.Unmapped += oc.Unmapped
	c.Dropped += oc.Dropped
	c.Invalid += oc.Invalid
	c.Lost += oc.Lost
	c.Unattributed += oc.Unattributed
	r.checked += o.checked
	r.mismatches += o.mismatches
	for i := range o.classes {
		r.classNamed(o.classes[i].Name).add(&o.classes[i])
	}
	for k, a := range o.alerts {
		if x := r.alerts[k]; x != nil {
			x.Count += a.Count
		} else {
			cp := *a
			r.alerts[k] = &cp
		}
	}
	for k, n := range o.drops {
		r.drops[k] += n
	}
	for k, n := range o.lost {
		r.lost[k] += n
	}
	if len(o.timeline) > 0 {
		if o.base < r.base {
			r.prepend(r.base - o.base)
		}
		d := o.base - r.base
		for j := range o.timeline {
			r.secAt(d + int64(j)).add(&o.timeline[j])
		}
	}
	for _, ex := range o.examples {
		if len(r.examples) >= r.maxExamples {
			break
		}
		r.examples = append(r.examples, ex)
	}
	return nil
}

// prepend adds n empty seconds before the timeline's first.
func (r *Recorder) prepend(n int64) {
	tl := make([]second, n+int64(len(r.timeline)))
	copy(tl[n:], r.timeline)
	r.timeline = tl
	r.base -= n
	r.off += n
}

// classNamed returns the counters of the class called name, adding it when r has none.
func (r *Recorder) classNamed(name string) *ClassCounts {
	for i := range r.classes {
		if r.classes[i].Name == name {
			return &r.classes[i]
		}
	}
	r.classes = append(r.classes, ClassCounts{Name: name})
	return &r.classes[len(r.classes)-1]
}

func (c *ClassCounts) add(o *ClassCounts) {
	if c.Feed == "" {
		c.Feed = o.Feed
	}
	c.Sent += o.Sent
	c.SentBytes += o.SentBytes
	c.Delivered += o.Delivered
	c.DeliveredBytes += o.DeliveredBytes
	c.Alerts += o.Alerts
	c.Mapped += o.Mapped
	c.Unmapped += o.Unmapped
	c.Dropped += o.Dropped
	c.Invalid += o.Invalid
	c.Lost += o.Lost
	c.Checked += o.Checked
	c.Mismatches += o.Mismatches
}

// Report derives the run's report. meta describes the run; a zero meta.Started is taken from
// RecorderConfig.Start. Rates use meta.Duration. The recorder is unchanged and may keep recording.
func (r *Recorder) Report(meta Meta) *Report {
	if meta.Started.IsZero() {
		meta.Started = r.start
	}
	meta.Started = meta.Started.UTC()
	rep := &Report{
		Schema:  Schema,
		Meta:    meta,
		Counts:  r.counts,
		Classes: slices.Clone(r.classes),
		Alerts:  make([]AlertCount, 0, len(r.alerts)),
		Drops:   make([]DropCount, 0, len(r.drops)),
		Lost:    make([]LostCount, 0, len(r.lost)),
		Latency: make([]StageLatency, 0, numLatencyStages),
		Conformance: Conformance{
			Checked:     r.checked,
			Mismatches:  r.mismatches,
			MaxExamples: r.maxExamples,
			Examples:    slices.Clone(r.examples),
		},
		Thresholds: []ThresholdResult{},
	}
	if rep.Classes == nil {
		rep.Classes = []ClassCounts{}
	}
	if rep.Conformance.Examples == nil {
		rep.Conformance.Examples = []MismatchExample{}
	}
	for _, a := range r.alerts {
		rep.Alerts = append(rep.Alerts, *a)
	}
	slices.SortFunc(rep.Alerts, compareAlerts)
	keys := make([]dropKey, 0, len(r.drops))
	for k := range r.drops {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dropKey) int {
		if a.stage != b.stage {
			return int(a.stage) - int(b.stage)
		}
		if a.reason != b.reason {
			return int(a.reason) - int(b.reason)
		}
		return int(a.detail) - int(b.detail)
	})
	for _, k := range keys {
		d := DropCount{Stage: k.stage.String(), Reason: k.reason.String(), Count: r.drops[k]}
		if k.detail != verdict.DetailNone {
			d.Detail = k.detail.String()
		}
		rep.Drops = append(rep.Drops, d)
	}
	for cause, n := range r.lost {
		rep.Lost = append(rep.Lost, LostCount{Cause: cause, Count: n})
	}
	slices.SortFunc(rep.Lost, func(a, b LostCount) int {
		if a.Count != b.Count {
			return cmpDesc(a.Count, b.Count)
		}
		return cmpString(a.Cause, b.Cause)
	})
	for st := range LatencyStage(numLatencyStages) {
		rep.Latency = append(rep.Latency, summarize(st, r.lat[st]))
	}
	rep.Timeline = r.seconds()
	rep.Rates = rates(rep)
	rep.Bytes = newBytes(rep)
	return rep
}

func compareAlerts(a, b AlertCount) int {
	switch {
	case a.Mapped != b.Mapped:
		if a.Mapped {
			return -1
		}
		return 1
	case a.Count != b.Count:
		return cmpDesc(a.Count, b.Count)
	case a.AlertType != b.AlertType:
		return cmpString(a.AlertType, b.AlertType)
	}
	return cmpString(a.ThreatID, b.ThreatID)
}

func cmpDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// summarize derives a stage's latency summary from its histogram.
func summarize(st LatencyStage, h *hdr.Histogram) StageLatency {
	enc, err := encodeHistogram(h)
	if err != nil {
		panic("BUG: " + err.Error()) // encoding into memory cannot fail
	}
	l := StageLatency{Stage: st.String(), Count: uint64(h.TotalCount()), Histogram: enc}
	if l.Count > 0 {
		l.Min = time.Duration(h.Min())
		l.Mean = time.Duration(math.Round(h.Mean()))
		l.P50 = time.Duration(h.ValueAtPercentile(50))
		l.P90 = time.Duration(h.ValueAtPercentile(90))
		l.P99 = time.Duration(h.ValueAtPercentile(99))
		l.P999 = time.Duration(h.ValueAtPercentile(99.9))
		l.Max = time.Duration(h.Max())
	}
	return l
}

// seconds returns the timeline's non-empty seconds in order; never nil.
func (r *Recorder) seconds() []Second {
	out := make([]Second, 0, len(r.timeline))
	for i := range r.timeline {
		s := &r.timeline[i]
		if s.empty() {
			continue
		}
		o := Second{
			Unix:     r.base + int64(i),
			Offered:  s.offered,
			Sent:     s.sent,
			Behind:   s.behind,
			Verdicts: s.verdicts,
			Dropped:  s.dropped,
			Lost:     s.lost,
			E2E:      s.e2e.sparse(),
		}
		if s.e2e != nil {
			o.P50 = s.e2e.quantile(50)
			o.P99 = s.e2e.quantile(99)
		}
		out = append(out, o)
	}
	return out
}
