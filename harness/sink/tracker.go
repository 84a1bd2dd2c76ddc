package sink

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

// LostNotDelivered is the lost cause of a record that was sent, was expected to come out of the
// collector, and had not arrived at the sink by the end of the drain.
const LostNotDelivered = "not_delivered"

// Mismatch fields and values the sink reports beside verdict.Mismatch's own.
const (
	FieldDelivery = "delivery"  // ExpectAll: a well-formed record that did not arrive
	GotForwarded  = "forwarded" // the record arrived at the sink
	GotMissing    = "missing"   // the record did not arrive
)

// Schedule is what a Tracker knows of the run whose records it matches: who made them, when each was
// due, and how the schedule was split over connections and shards.
type Schedule struct {
	Generator *generator.Generator
	Pacer     pacer.Pacer
	// Source, when set, is what the run sent instead of Generator's records (a replayed recording,
	// package harness/replay): classes, labels and record ids come from it.
	Source generator.Source
	// Connections is the number of sender connections: the shard's k-th event goes to connection
	// k mod Connections (default 1).
	Connections int
	// ShardIndex and ShardCount: this run sends the events whose seq is ShardIndex mod ShardCount
	// (ShardCount 0 or 1: all of them).
	ShardIndex, ShardCount int
	// Start is the run's t=0: arrival times and the pacer's offsets are nanoseconds since Start. Begin
	// may move it, before the first record is sent.
	Start time.Time
	// Observe, when set, is called with the end-to-end latency of every delivery, under the Tracker's
	// lock: keep it short.
	Observe func(e2e time.Duration)
}

// Stats are a Tracker's counts so far.
type Stats struct {
	Arrivals   uint64 // records received, attributed or not
	Delivered  uint64 // first arrivals of records of the run
	Expected   uint64 // … of which the run expected to arrive (see Tracker.ExpectsArrival)
	Duplicates uint64 // arrivals of a record that had arrived before
	Reordered  uint64 // first arrivals after a later record of the same sender connection
	Foreign    uint64 // arrivals whose record id is not one of the run's records sent so far
	// Unattributed arrivals, by cause: not readable in the sink's format, no id field, an id that is
	// not a number, longer than Options.MaxLine.
	Unreadable, NoID, BadID, Oversize uint64
	LastArrival                       int64 // time of the latest arrival, ns since Schedule.Start; 0 before the first
}

// Unattributed returns the arrivals that carry no usable record id.
func (s *Stats) Unattributed() uint64 { return s.Unreadable + s.NoID + s.BadID + s.Oversize }

// Tracker matches the records a collector forwards to the records a run sent, by record id, and keeps
// the outcome of each in a reports.Recorder: an arrival is a verdict (an alert: the record came out of
// the pipeline) with its end-to-end latency from the record's scheduled time; after the drain, Settle
// turns each record that never arrived into a drop (when its class expects one) or a loss and a
// mismatch. A mismatch example names the record by its id, the sender connection that sent it and its
// position there (verdict.Verdict's Conn and Line).
//
// Per-record state is one bit: a seen-set over the run's sequence numbers. Scheduled times come from
// the pacer and classes from the generator, both pure functions of the sequence number, so nothing is
// stored per record. Safe for concurrent use.
type Tracker struct {
	sch     Schedule
	opts    Options
	classes []generator.Class
	expect  []bool // by class: expected to arrive
	conns   uint64
	shards  uint64
	start   atomic.Pointer[time.Time] // Schedule.Start, or Begin's

	mu       sync.Mutex
	seen     SeqSet   // by seq / shards
	maxK     []uint64 // per sender connection: 1 + the highest k that arrived, 0 before any
	rec      *reports.Recorder
	v        verdict.Verdict
	threats  map[string]*verdict.Threat // interned technique ids
	id       []byte                     // scratch: a record id in decimal
	st       Stats
	src      generator.Source // Schedule.Source, or its Generator
	gen      generator.Source // Settle's, to show a missing record in a mismatch example
	line     []byte
	examples int
}

// maxThreats bounds the interned technique ids; values beyond it are allocated per arrival.
const maxThreats = 1024

// NewTracker returns a Tracker for the run sch describes. It returns an error for an incomplete schedule
// or bad options.
func NewTracker(sch Schedule, opts Options) (*Tracker, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	var probs []error
	var src generator.Source = sch.Source
	if src == nil && sch.Generator != nil {
		src = sch.Generator
	}
	if src == nil {
		probs = append(probs, errors.New("no generator"))
	}
	if sch.Pacer == nil {
		probs = append(probs, errors.New("no pacer"))
	}
	if sch.Connections <= 0 {
		sch.Connections = 1
	}
	if sch.ShardCount <= 0 {
		sch.ShardIndex, sch.ShardCount = 0, 1
	}
	if sch.ShardIndex < 0 || sch.ShardIndex >= sch.ShardCount {
		probs = append(probs, fmt.Errorf("shard %d/%d out of range", sch.ShardIndex, sch.ShardCount))
	}
	if err := errors.Join(probs...); err != nil {
		return nil, fmt.Errorf("sink: schedule: %w", err)
	}
	t := &Tracker{
		sch: sch, opts: opts, classes: src.Classes(), src: src,
		conns: uint64(sch.Connections), shards: uint64(sch.ShardCount),
		maxK:    make([]uint64, sch.Connections),
		threats: map[string]*verdict.Threat{},
		gen:     src.Fork(),
	}
	t.expect = make([]bool, len(t.classes))
	for i := range t.classes {
		c := &t.classes[i]
		if opts.Expect == ExpectAll {
			t.expect[i] = c.Malform == generator.MalformNone
		} else {
			t.expect[i] = c.Expect.Kind == verdict.KindAlert
		}
	}
	t.rec = reports.NewRecorder(reports.RecorderConfig{Classes: t.classNames(), Feeds: t.classFeeds(), Start: sch.Start})
	t.start.Store(&sch.Start)
	return t, nil
}

// Begin moves the run's t=0 to start, for a run that waits (for the collector to connect to the sink,
// for its own connections) between making the tracker and sending its first record. Call it before the
// first record is sent; whatever arrived before is forgotten.
func (t *Tracker) Begin(start time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.start.Store(&start)
	t.rec = reports.NewRecorder(reports.RecorderConfig{Classes: t.classNames(), Feeds: t.classFeeds(), Start: start})
	t.seen = SeqSet{}
	clear(t.maxK)
	t.st = Stats{}
	t.examples = 0
}

func (t *Tracker) classNames() []string {
	names := make([]string, len(t.classes))
	for i := range t.classes {
		names[i] = t.classes[i].Name
	}
	return names
}

// classFeeds names each class's feed, for the volume per feed.
func (t *Tracker) classFeeds() []string {
	feeds := make([]string, len(t.classes))
	for i := range t.classes {
		feeds[i] = t.classes[i].Feed.String()
	}
	return feeds
}

// now returns the run clock: nanoseconds since t=0.
func (t *Tracker) now() int64 { return int64(time.Since(*t.start.Load())) }

// Options returns the tracker's options, defaults filled in.
func (t *Tracker) Options() Options { return t.opts }

// ExpectsArrival reports whether records of label class class must come out of the collector: under
// ExpectVerdicts the classes expecting an alert, under ExpectAll the well-formed ones.
func (t *Tracker) ExpectsArrival(class uint16) bool {
	return int(class) < len(t.expect) && t.expect[class]
}

// Arrive reads one forwarded record with x (the caller's, one per stream) and accounts for it. received
// is its arrival time in ns since Schedule.Start. rec is only read during the call.
func (t *Tracker) Arrive(x *Extractor, rec []byte, f Format, received int64) {
	fl, err := x.Extract(rec, f)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.st.Arrivals++
	t.st.LastArrival = max(t.st.LastArrival, received)
	switch err {
	case nil:
	case ErrNoID:
		t.st.NoID++
		return
	case ErrBadID:
		t.st.BadID++
		return
	default:
		t.st.Unreadable++
		return
	}
	seq, ok := t.src.SeqOf(fl.ID)
	if !ok || seq%t.shards != uint64(t.sch.ShardIndex) {
		t.st.Foreign++
		return
	}
	due, ok := t.sch.Pacer.Due(seq)
	if !ok || int64(due) > received {
		// Not in the schedule, or not due yet: nothing this run sent.
		t.st.Foreign++
		return
	}
	i := seq / t.shards
	if t.seen.Add(i) {
		t.st.Duplicates++
		return
	}
	t.st.Delivered++
	conn, line := t.position(seq)
	if line < t.maxK[conn-1] {
		t.st.Reordered++
	} else {
		t.maxK[conn-1] = line
	}
	class := t.src.LabelOf(seq).Class
	c := &t.classes[class]
	if t.expect[class] {
		t.st.Expected++
	}

	v := &t.v
	v.Reset()
	v.Kind, v.Feed = verdict.KindAlert, c.Feed
	v.AlertType = append(v.AlertType, fl.AlertType...)
	if fl.HasThreat {
		v.Threat = t.threat(fl.Threat)
	}
	t.id = strconv.AppendUint(t.id[:0], fl.ID, 10)
	v.RecordID = append(v.RecordID, t.id...)
	v.Conn, v.Line = conn, line // where it was sent, for a mismatch example
	if m, bad := t.checkArrival(c, &fl); bad {
		t.rec.Mismatch(class, v, m, rec)
	}
	t.rec.Verdict(class, v, reports.Timing{Scheduled: int64(due), Decided: received})
	t.rec.DeliveredBytes(class, len(rec)) // as the collector forwarded it
	if t.sch.Observe != nil {
		t.sch.Observe(time.Duration(received - int64(due)))
	}
}

// checkArrival compares an arrived record with what its class expects.
func (t *Tracker) checkArrival(c *generator.Class, fl *Fields) (verdict.Mismatch, bool) {
	e := &c.Expect
	if e.Kind != verdict.KindAlert {
		if t.opts.Expect == ExpectVerdicts {
			return verdict.Mismatch{Field: "verdict", Got: GotForwarded, Want: e.Kind.String()}, true
		}
		return verdict.Mismatch{}, false
	}
	if t.opts.Expect == ExpectAll && c.Malform != generator.MalformNone {
		return verdict.Mismatch{}, false
	}
	if len(fl.AlertType) > 0 && string(fl.AlertType) != e.AlertType {
		return verdict.Mismatch{Field: "alertType", Got: string(fl.AlertType), Want: e.AlertType}, true
	}
	if t.opts.ThreatField != "" && string(fl.Threat) != e.ThreatID {
		return verdict.Mismatch{Field: "threatId", Got: string(fl.Threat), Want: e.ThreatID}, true
	}
	return verdict.Mismatch{}, false
}

// threat returns the interned Threat for a technique id.
func (t *Tracker) threat(id []byte) *verdict.Threat {
	if th := t.threats[string(id)]; th != nil {
		return th
	}
	th := &verdict.Threat{ID: string(id)}
	if len(t.threats) < maxThreats {
		t.threats[th.ID] = th
	}
	return th
}

// Oversize accounts for a forwarded record that was longer than Options.MaxLine.
func (t *Tracker) Oversize(received int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.st.Arrivals++
	t.st.Oversize++
	t.st.LastArrival = max(t.st.LastArrival, received)
}

// Attributable reports whether an arrival of record seq can be told by its record id: its id is no
// earlier record's. Every generated record is; a replayed line without an id (or repeating one) is not,
// so its arrival counts as unattributed and it is not expected. Safe for concurrent use.
func (t *Tracker) Attributable(seq uint64) bool {
	at, ok := t.src.SeqOf(t.src.LabelOf(seq).RecordID)
	return ok && at == seq
}

// Arrived reports whether record seq has arrived.
func (t *Tracker) Arrived(seq uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return seq%t.shards == uint64(t.sch.ShardIndex) && t.seen.Has(seq/t.shards)
}

// Settle accounts, in rec, for record seq that was sent and has not arrived (the caller checks Arrived):
// a drop when the record was expected not to arrive (the stage, reason and detail are its class's: the
// sink only saw that it was not forwarded), else a loss with cause LostNotDelivered and a mismatch (which,
// having no verdict, is not counted among the checked ones). Call it after the drain.
func (t *Tracker) Settle(rec *reports.Recorder, seq uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	lb := t.src.LabelOf(seq)
	due, _ := t.sch.Pacer.Due(seq)
	c := &t.classes[lb.Class]
	v := &t.v
	v.Reset()
	if !t.expect[lb.Class] {
		e := &c.Expect
		v.Feed, v.Stage, v.Kind, v.Reason, v.Detail = e.Feed, e.Stage, verdict.KindDropped, e.Reason, e.Detail
		if e.Kind != verdict.KindDropped {
			// ExpectAll: a malformed class that does not predict a drop. Not forwarded by a relay, it
			// was dropped as malformed.
			v.Stage, v.Reason, v.Detail = verdict.StageCollector, verdict.ReasonMalformed, c.Malform.Detail()
		}
		rec.Verdict(lb.Class, v, reports.Timing{Scheduled: int64(due)})
		return
	}
	rec.LostAt(int64(due), lb.Class, LostNotDelivered, 1)
	m := verdict.Mismatch{Field: "verdict", Got: GotMissing, Want: c.Expect.Kind.String()}
	if t.opts.Expect == ExpectAll {
		m = verdict.Mismatch{Field: FieldDelivery, Got: GotMissing, Want: GotForwarded}
	}
	v.RecordID = strconv.AppendUint(v.RecordID, lb.RecordID, 10)
	v.Conn, v.Line = t.position(seq)
	var input []byte
	if t.examples < reports.DefaultMaxExamples {
		t.examples++
		t.line, _ = t.gen.Append(t.line[:0], seq)
		input = t.line
	}
	rec.Mismatch(lb.Class, v, m, input)
}

// position is where record seq was sent: its sender connection, from 1, and its 1-based position on it.
// A standalone sink tracks every shard's connections as one set: shard s's connection c (of n shards)
// is the run's connection c·n+s.
func (t *Tracker) position(seq uint64) (conn, line uint64) {
	i := seq / t.shards
	return i%t.conns + 1, i/t.conns + 1
}

// Stats returns the counts so far.
func (t *Tracker) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.st
}

// MergeInto adds the arrivals' verdicts, latencies and mismatches to total.
func (t *Tracker) MergeInto(total *reports.Recorder) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return total.Merge(t.rec)
}
