package run

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
)

// External runs: the same pacer, generator and shards, but the records go to a collector nssbench does
// not run, and their fate is seen, if at all, at a sink.
//
//	pacer ─► generator ─► target (tcp, tls, udp, http) ─► external collector ─► sink ─► tracker
//	            └──── seq: scheduled time (pacer.Due), class (generator.LabelOf) ────────┘
//
// Each connection has one sender, which offers its share of the schedule in order. A stream connection
// that breaks is re-established with backoff; the records written but unacknowledged at the break are
// counted at risk, and after reconnecting the sender sends again the records of the duplicate window
// (NSS's "Duplicate Logs") and those whose write failed, regenerating them from their sequence numbers:
// nothing is kept in memory while the collector is away. A collector that stops reading blocks the sender
// (bounded buffers), which then falls behind schedule; a write blocked for WriteTimeout is a break.
// Unless DeliverAll, nothing is sent, written, requested or retried after DrainTimeout past the schedule's
// end (the run's end): what is left is lost at send, the records never reached as not_sent. An interrupt
// offers the records due by then and unsent, lost as interrupted.
//
// When the senders are done the sink drains: until every record expected to arrive has arrived and the
// sink has been quiet for sink.QuietPeriod, or DrainTimeout, and not past the run's end (but at least
// sink.QuietPeriod). Then every offered record ends in one bucket: it
// arrived (the tracker recorded its verdict and latency), it was lost at send (a cause from the sender),
// or it never arrived and the tracker settles it (an expected drop, or lost as not_delivered and a
// mismatch). Without a sink the records sent are counted unobserved, and the report says so.

const (
	// reconnectFirst and reconnectMax bound the backoff between reconnection attempts.
	reconnectFirst = 50 * time.Millisecond
	reconnectMax   = 2 * time.Second
	// interruptGrace is how long a sender may go on flushing after ctx is cancelled before a blocked
	// write is cut.
	interruptGrace = time.Second
	// dialTimeout bounds each connection attempt to an external target, including a TLS handshake.
	dialTimeout = 5 * time.Second
)

// extRunner runs one Config against an external target.
type extRunner struct {
	cfg     Config
	scheme  string
	start   time.Time
	names   []string
	feeds   []string
	end     int64 // run clock after which nothing is written or retried; math.MaxInt64 for none
	stopped stopClock
	tracker *sink.Tracker

	sent, behind atomic.Uint64
	e2e          progress.Gauge
}

func (r *extRunner) now() int64 { return int64(time.Since(r.start)) }

// deadline returns the wall-clock time of r.end, the zero Time for none.
func (r *extRunner) deadline() time.Time {
	if r.end == math.MaxInt64 {
		return time.Time{}
	}
	return r.start.Add(time.Duration(r.end))
}

// runExternal executes cfg against cfg.Target (see the comment above).
func runExternal(ctx context.Context, cfg Config) (*reports.Report, error) {
	e, err := transport.ParseTarget(cfg.Target)
	if err != nil {
		return nil, err
	}
	r := &extRunner{cfg: cfg, scheme: e.Scheme, end: cfg.end()}
	r.names, r.feeds = classNames(cfg.Source.Classes())
	r.start = time.Now() // provisional: t=0 is when the connections are up

	var sk *sink.Sink
	waited := ""
	if cfg.Sink != "" {
		r.tracker, err = sink.NewTracker(sink.Schedule{
			Generator: cfg.Generator, Source: cfg.Source, Pacer: cfg.Pacer, Connections: cfg.Connections,
			ShardIndex: cfg.Shard.Index, ShardCount: cfg.Shard.Count, Start: r.start,
			Observe: func(d time.Duration) { r.e2e.Record(int64(d)) },
		}, cfg.SinkOptions)
		if err != nil {
			return nil, err
		}
		if sk, err = sink.Listen(cfg.Sink, r.tracker); err != nil {
			return nil, err
		}
		defer sk.Close()
		if cfg.SinkWait > 0 && !sk.WaitConnected(cfg.SinkWait) {
			waited = fmt.Sprintf("; no collector had connected to the sink after %v: its first records' latency includes its connecting", cfg.SinkWait)
		}
	}
	tp, err := probe.StartTarget(context.WithoutCancel(ctx), cfg.Probe)
	if err != nil {
		return nil, fmt.Errorf("measure the target: %w", err)
	}
	defer tp.Stop(0, 0) // on an early return; Stop may be called again
	senders := make([]*extSender, cfg.Connections)
	for i := range senders {
		s := &extSender{r: r, id: i, gen: cfg.Source.Fork()}
		if s.tg, err = transport.Dial(ctx, cfg.Target, r.senderOptions(s)); err != nil {
			for _, s := range senders[:i] {
				s.tg.Close()
			}
			return nil, fmt.Errorf("connection %d: %w", i, err)
		}
		s.out, s.clock = newScratch(s.tg), batchClock{now: r.now}
		senders[i] = s
	}
	waitUntil(ctx, cfg.StartAt) // interrupted while waiting, the senders stop before their first record
	r.start = time.Now()
	defer r.stopped.watch(ctx, r.now)()
	if r.tracker != nil {
		r.tracker.Begin(r.start)
	}
	for _, s := range senders {
		s.rec = reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Feeds: r.feeds, Start: r.start})
	}

	stopProgress := progress.Start(cfg.Progress, r.progress)
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() { defer wg.Done(); s.loop(ctx) }()
	}
	wg.Wait()
	interrupted := ctx.Err() != nil
	// The run lasts until its last record was written or, with a sink, arrived.
	elapsed := time.Since(r.start)
	if sk != nil {
		if cfg.Draining != nil {
			sent, arrived := r.sent.Load(), r.tracker.Stats().Delivered
			cfg.Draining(sent - min(arrived, sent))
		}
		r.drain(senders)
		elapsed = max(elapsed, time.Duration(r.tracker.Stats().LastArrival))
	}
	stopProgress()
	if sk != nil {
		if err := sk.Close(); err != nil {
			return nil, fmt.Errorf("stop sink: %w", err)
		}
	}
	rep, err := r.report(senders, elapsed, interrupted)
	if err != nil {
		return nil, err
	}
	rep.Delivery.Note += waited
	// Events and bytes the collector delivered, as the sink saw them; without a sink, what was sent.
	events, bytes := rep.Bytes.DeliveredEvents, rep.Bytes.Delivered
	if sk == nil {
		events, bytes = rep.Bytes.SentEvents, rep.Bytes.Sent
	}
	rep.Target = tp.Stop(events, bytes)
	if rep.Target != nil && sk == nil {
		rep.Target.Note = strings.TrimPrefix(rep.Target.Note+"; events and bytes are those sent: no sink observed what the collector delivered", "; ")
	}
	return rep, nil
}

// senderOptions configures the transport of sender s, which keeps its ledger.
func (r *extRunner) senderOptions(s *extSender) transport.Options {
	return transport.Options{
		Framing: r.cfg.Framing, TLS: r.cfg.TLS, DialTimeout: dialTimeout, WriteTimeout: max(r.cfg.WriteTimeout, 0),
		Deadline: r.deadline, Ledger: s, HTTP: r.cfg.HTTP,
	}
}

// progress is the snapshot for progress lines; Verdicts counts the sink's deliveries.
func (r *extRunner) progress() progress.Snapshot {
	elapsed := time.Since(r.start)
	p := progress.Snapshot{Elapsed: elapsed, Due: r.cfg.schedule().Offered(elapsed), Sent: r.sent.Load(), Behind: r.behind.Load(), P99: r.e2e.Window(0.99)}
	if r.tracker != nil {
		st := r.tracker.Stats()
		p.Verdicts = st.Delivered
	}
	return p
}

// drain waits until every record sent that is expected to arrive has arrived and the sink has been
// quiet for sink.QuietPeriod, or for DrainTimeout.
func (r *extRunner) drain(senders []*extSender) {
	var want uint64
	for _, s := range senders {
		want += s.expected()
	}
	done := r.now()
	limit := time.Now().Add(r.cfg.DrainTimeout)
	if end := r.deadline(); !end.IsZero() {
		limit = minTime(limit, maxTime(end, time.Now().Add(sink.QuietPeriod)))
	}
	for time.Now().Before(limit) {
		st := r.tracker.Stats()
		if st.Expected >= want && r.now()-max(st.LastArrival, done) >= int64(sink.QuietPeriod) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// report settles every offered record and derives the report.
func (r *extRunner) report(senders []*extSender, elapsed time.Duration, interrupted bool) (*reports.Report, error) {
	total := reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Feeds: r.feeds, Start: r.start})
	settled := reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Feeds: r.feeds, Start: r.start})
	d := &reports.Delivery{Observed: r.tracker != nil, Sink: r.cfg.Sink}
	for _, s := range senders {
		s.settle(settled, d)
		if err := total.Merge(s.rec); err != nil {
			return nil, err
		}
		d.Reconnects += s.reconnects
		d.AtRisk += s.risky
		d.Resent += s.resent
	}
	if err := total.Merge(settled); err != nil {
		return nil, err
	}
	switch {
	case r.tracker != nil:
		if err := r.tracker.MergeInto(total); err != nil {
			return nil, err
		}
		st := r.tracker.Stats()
		d.Expect = r.tracker.Options().Expect.String()
		d.Delivered, d.Duplicates, d.Reordered = st.Delivered, st.Duplicates, st.Reordered
		d.Unattributed, d.Foreign = st.Unattributed(), st.Foreign
		if st.Unattributed() > 0 {
			d.Note = fmt.Sprintf("unattributed: %d unreadable, %d oversize, %d without an id, %d with a bad id; ",
				st.Unreadable, st.Oversize, st.NoID, st.BadID)
		}
		d.Note += "records that did not arrive and were not expected to are counted as drops with the reason their class predicts"
		if n := d.Unobserved; n > 0 {
			d.Note += fmt.Sprintf("; %d records sent had no record id of their own (a replayed line without one, or repeating an earlier one's): "+
				"the sink cannot tell their arrival, so they are counted unobserved and their arrivals unattributed", n)
		}
	default:
		d.Note = "no sink observed the collector's output: what it did with the records sent is unknown (no verdicts, no loss past the sender, no end-to-end latency)"
	}
	if r.scheme == "udp" {
		d.Note += "; UDP: only datagrams the socket refused are lost at send, any other loss shows at a sink"
	}

	meta := r.cfg.Meta
	meta.Started = r.start
	meta.Duration = elapsed
	meta.Interrupted = interrupted
	meta.Clock = r.cfg.Clock.String()
	meta.Ending = r.cfg.ending()
	meta.Target = r.cfg.Target
	meta.Transport = r.scheme
	meta.TargetKind = r.scheme
	meta.Connections = r.cfg.Connections
	if r.cfg.Shard.Count > 1 { // 0/1 is the whole run
		meta.ShardIndex, meta.ShardCount = r.cfg.Shard.Index, r.cfg.Shard.Count
	}
	if meta.Pacer == "" {
		meta.Pacer = r.cfg.Pacer.String()
	}
	rep := total.Report(meta)
	rep.Delivery = d
	return rep, nil
}

// extSender offers one connection's share of the schedule to its target. Its k-th record is event
// seq(k); it keeps, per record, only what it could not send (a bit per record and cause).
type extSender struct {
	r     *extRunner
	id    int
	tg    transport.Sender
	gen   generator.Source
	rec   *reports.Recorder
	out   scratch    // where records are rendered
	clock batchClock // the run's clock: a fresh reading stamps each record written

	kNext  uint64   // records offered so far: k < kNext
	fw     uint64   // every record k < fw has been wholly written at least once
	unsent []unsent // records given up, by cause, by k

	reconnects, risky, resent uint64 // see reports.Delivery
}

var _ transport.Ledger = (*extSender)(nil)

func (s *extSender) seq(k uint64) uint64 {
	return (k*uint64(s.r.cfg.Connections)+uint64(s.id))*uint64(s.r.cfg.Shard.Count) + uint64(s.r.cfg.Shard.Index)
}

func (s *extSender) kOf(seq uint64) uint64 {
	return (seq/uint64(s.r.cfg.Shard.Count) - uint64(s.id)) / uint64(s.r.cfg.Connections)
}

// Lost implements transport.Ledger.
func (s *extSender) Lost(seq uint64, cause string) { s.markUnsent(s.kOf(seq), cause) }

// AtRisk implements transport.Ledger.
func (s *extSender) AtRisk(n uint64) { s.risky += n }

// Retried implements transport.Ledger.
func (s *extSender) Retried(n uint64) {
	s.reconnects++
	s.resent += n
}

// unsent is the set of records given up for one cause.
type unsent struct {
	cause string
	ks    sink.SeqSet
}

// markUnsent gives record k up for cause, unless it was given up already.
func (s *extSender) markUnsent(k uint64, cause string) {
	if _, gone := s.unsentCause(k); gone {
		return
	}
	for i := range s.unsent {
		if s.unsent[i].cause == cause {
			s.unsent[i].ks.Add(k)
			return
		}
	}
	s.unsent = append(s.unsent, unsent{cause: cause})
	s.unsent[len(s.unsent)-1].ks.Add(k)
}

// unsentCause returns the cause record k was given up for, if it was.
func (s *extSender) unsentCause(k uint64) (string, bool) {
	for i := range s.unsent {
		if s.unsent[i].ks.Has(k) {
			return s.unsent[i].cause, true
		}
	}
	return "", false
}

// loop offers the records until the schedule ends (or ctx is done), writes what is left and closes.
func (s *extSender) loop(ctx context.Context) {
	r := s.r
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(interruptGrace, s.tg.Interrupt) })
	defer stop()
	// After the final drain (or a give-up) closing loses nothing: an HTTP target posts its last batch
	// and reports its fate to the ledger.
	defer s.tg.Close()
	var cursor uint64
	for {
		k := cursor
		seq := s.seq(k)
		first := k == s.kNext
		due, ok := r.cfg.Pacer.Due(seq)
		var now int64
		if first && ok {
			now = s.clock.check(int64(due))
			// No record is taken after an interrupt or the run's end: those due are lost.
			switch {
			case ctx.Err() != nil:
				s.offerRest(LostInterrupted, r.stopped.time(r.now))
				ok = false
			case now >= r.end:
				s.offerRest(LostNotSent, math.MaxInt64)
				ok = false
			}
		}
		if first && !ok {
			err := s.tg.Drain()
			if err == nil {
				break
			}
			if cursor, ok = s.recover(ctx, k); !ok {
				return
			}
			continue
		}
		if first && due > time.Duration(now) {
			if err := s.tg.Flush(); err != nil {
				if cursor, ok = s.recover(ctx, k); !ok {
					return
				}
				continue
			}
			sleepUntil(ctx, r.now, due) // when ctx ends, the next turn writes what is left
			continue
		}
		line, label := render(r.cfg.Clock, r.start, s.gen, s.out.dst(), seq, due)
		s.out.rendered(line)
		var written int64
		if first {
			written = s.clock.written()
		}
		err := s.tg.Send(seq, line)
		if first {
			s.kNext++
			s.rec.Offered(int64(due))
			// A record the transport refused outright (a UDP socket's error) was not sent: it is lost at
			// send. A stream's write failing later does not unsend what it had taken.
			if _, refused := s.unsentCause(k); !refused {
				behind := written-int64(due) > int64(r.cfg.Late)
				s.rec.Sent(reports.Timing{Scheduled: int64(due), Written: written}, behind)
				s.rec.SentBytes(label.Class, len(line))
				r.sent.Add(1)
				if behind {
					r.behind.Add(1)
				}
			}
		} else if err == nil {
			s.resent++
		}
		if err != nil {
			if cursor, ok = s.recover(ctx, k); !ok {
				return
			}
			continue
		}
		cursor = k + 1
	}
}

// recover handles a broken connection met while sending record k: it reconnects with backoff and
// returns the record to go on from (the duplicate window's first, or the first not written), or gives
// the unwritten records up and returns false when the run ends first.
func (s *extSender) recover(ctx context.Context, k uint64) (uint64, bool) {
	r := s.r
	detect := time.Duration(r.now())
	// Records at or after fw attempted on the broken connection and not in unwritten were written.
	next := uint64(math.MaxUint64)
	for _, q := range s.tg.Broke() {
		if kq := s.kOf(q); kq >= s.fw {
			next = min(next, kq)
		}
	}
	if k >= s.fw {
		next = min(next, k)
	}
	if next != math.MaxUint64 {
		s.fw = next
	}
	backoff := reconnectFirst
	for {
		if ctx.Err() != nil {
			s.giveUp(LostInterrupted)
			s.offerRest(LostInterrupted, r.stopped.time(r.now))
			return 0, false
		}
		if r.now() >= r.end {
			cause := LostSendError
			if s.tg.Stalled() {
				cause = LostStalled
			}
			s.giveUp(cause)
			s.offerRest(LostNotSent, math.MaxInt64)
			return 0, false
		}
		if err := s.tg.Reconnect(ctx); err == nil {
			break
		}
		wait := min(backoff, time.Duration(r.end-r.now()))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
		backoff = min(2*backoff, reconnectMax)
	}
	s.reconnects++
	from := s.fw
	if w := r.cfg.DuplicateWindow; w > 0 {
		// The first record scheduled in the window before the break was detected.
		start := detect - w
		from = uint64(sort.Search(int(s.fw), func(i int) bool {
			d, _ := r.cfg.Pacer.Due(s.seq(uint64(i)))
			return d >= start
		}))
	}
	return from, true
}

// giveUp counts the records offered and never wholly written as lost at send for cause.
func (s *extSender) giveUp(cause string) {
	for k := s.fw; k < s.kNext; k++ {
		s.markUnsent(k, cause)
	}
}

// offerRest offers the records of the schedule this sender has not reached that were due by upTo (run
// clock; math.MaxInt64: the whole rest) and counts them lost at send for cause.
func (s *extSender) offerRest(cause string, upTo int64) {
	for {
		due, ok := s.r.cfg.Pacer.Due(s.seq(s.kNext))
		if !ok || int64(due) > upTo {
			return
		}
		s.rec.Offered(int64(due))
		s.markUnsent(s.kNext, cause)
		s.kNext++
	}
}

// expected counts the records sent and not given up whose class the sink expects to arrive.
func (s *extSender) expected() uint64 {
	var n uint64
	for k := uint64(0); k < s.kNext; k++ {
		if _, gone := s.unsentCause(k); gone {
			continue
		}
		if seq := s.seq(k); !s.r.tracker.Attributable(seq) {
			continue
		}
		if s.r.tracker.ExpectsArrival(s.gen.LabelOf(s.seq(k)).Class) {
			n++
		}
	}
	return n
}

// settle accounts for every record this sender offered that did not arrive at the sink: lost at send,
// settled by the tracker, or (without a sink) unobserved.
func (s *extSender) settle(rec *reports.Recorder, d *reports.Delivery) {
	tr := s.r.tracker
	for k := uint64(0); k < s.kNext; k++ {
		seq := s.seq(k)
		if tr != nil && tr.Arrived(seq) {
			continue
		}
		if cause, gone := s.unsentCause(k); gone {
			due, _ := s.r.cfg.Pacer.Due(seq)
			rec.LostAt(int64(due), s.gen.LabelOf(seq).Class, cause, 1)
			continue
		}
		switch {
		case tr == nil:
			d.Unobserved++
		case !tr.Attributable(seq): // sent, but the sink cannot tell its arrival (see Tracker.Attributable)
			d.Unobserved++
		default:
			tr.Settle(rec, seq)
		}
	}
}
