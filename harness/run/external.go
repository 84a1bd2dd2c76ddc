package run

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nssbench/nssbench/harness/offer"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
)

// External runs: the same pacer, generator and shards, but the records go to a collector nssbench does
// not run, and their fate is seen, if at all, at a sink.
//
//	pacer ─► generator ─► offer ─► target (tcp, tls, udp, http) ─► external collector ─► sink ─► tracker
//	            └──── seq: scheduled time (pacer.Due), class (generator.LabelOf) ─────────────────┘
//
// Each connection has one sender (an offer.Conn with Reconnect), which offers its share of the schedule
// in order. A stream connection
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
	// interruptGrace is how long a sender may go on flushing after ctx is cancelled before a blocked
	// write is cut.
	interruptGrace = time.Second
	// dialTimeout bounds each connection attempt to an external target, including a TLS handshake.
	dialTimeout = 5 * time.Second
)

// extRunner runs one Config against an external target.
type extRunner struct {
	base
	scheme  string
	tracker *sink.Tracker
}

// runExternal executes cfg against cfg.Target (see the comment above).
func runExternal(ctx context.Context, cfg Config) (*reports.Report, error) {
	e, err := transport.ParseTarget(cfg.Target)
	if err != nil {
		return nil, err
	}
	r := &extRunner{base: base{cfg: cfg, end: cfg.end()}, scheme: e.Scheme}
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
	senders := make([]*offer.Conn, cfg.Connections)
	for i := range senders {
		s := r.conn(i)
		s.Reconnect, s.DuplicateWindow = true, cfg.DuplicateWindow
		if s.Sender, err = transport.Dial(ctx, cfg.Target, r.senderOptions(s)); err != nil {
			for _, s := range senders[:i] {
				s.Sender.Close()
			}
			return nil, fmt.Errorf("connection %d: %w", i, err)
		}
		senders[i] = s
	}
	offer.WaitUntil(ctx, cfg.StartAt) // interrupted while waiting, the senders stop before their first record
	r.start = time.Now()
	defer r.stopped.Watch(ctx, r.now)()
	if r.tracker != nil {
		r.tracker.Begin(r.start)
	}
	for _, s := range senders {
		s.Start = r.start
		s.Recorder = r.recorder()
	}

	stopProgress := progress.Start(cfg.Progress, r.progress)
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// An interrupted sender may go on flushing for interruptGrace; then a blocked write is cut.
			defer context.AfterFunc(ctx, func() { time.AfterFunc(interruptGrace, s.Sender.Interrupt) })()
			s.Run(ctx)
		}()
	}
	wg.Wait()
	interrupted := ctx.Err() != nil
	// The run lasts until its last record was written or, with a sink, arrived.
	elapsed := time.Since(r.start)
	if sk != nil {
		if cfg.Draining != nil {
			sent, arrived := r.counts.Sent.Load(), r.tracker.Stats().Delivered
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
		rep.Target.Sent = true
		rep.Target.Note = strings.TrimPrefix(rep.Target.Note+"; events and bytes are those sent: no sink observed what the collector delivered", "; ")
	}
	return rep, nil
}

// senderOptions configures the transport of sender s, which keeps its ledger.
func (r *extRunner) senderOptions(s *offer.Conn) transport.Options {
	return transport.Options{
		Framing: r.cfg.Framing, TLS: r.cfg.TLS, DialTimeout: dialTimeout, WriteTimeout: max(r.cfg.WriteTimeout, 0),
		Deadline: r.deadline, Ledger: s, HTTP: r.cfg.HTTP,
	}
}

// progress is the snapshot for progress lines; Verdicts counts the sink's deliveries.
func (r *extRunner) progress() progress.Snapshot {
	elapsed := time.Since(r.start)
	p := progress.Snapshot{Elapsed: elapsed, Due: r.cfg.schedule().Offered(elapsed), Sent: r.counts.Sent.Load(), Behind: r.counts.Behind.Load(), P99: r.e2e.Window(0.99)}
	if r.tracker != nil {
		st := r.tracker.Stats()
		p.Verdicts = st.Delivered
	}
	return p
}

// drain waits until every record sent that is expected to arrive has arrived and the sink has been
// quiet for sink.QuietPeriod, or for DrainTimeout.
func (r *extRunner) drain(senders []*offer.Conn) {
	var want uint64
	for _, s := range senders {
		want += r.expected(s)
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
func (r *extRunner) report(senders []*offer.Conn, elapsed time.Duration, interrupted bool) (*reports.Report, error) {
	total, settled := r.recorder(), r.recorder()
	d := &reports.Delivery{Observed: r.tracker != nil, Sink: r.cfg.Sink}
	for _, s := range senders {
		r.settle(s, settled, d)
		if err := total.Merge(s.Recorder); err != nil {
			return nil, err
		}
		s.AddTo(d)
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

	rep := total.Report(r.meta(elapsed, interrupted, r.cfg.Target, r.scheme, r.scheme))
	rep.Delivery = d
	return rep, nil
}

// expected counts the records s sent and did not give up whose class the sink expects to arrive.
func (r *extRunner) expected(s *offer.Conn) uint64 {
	var n uint64
	s.Each(func(seq uint64, lost string) {
		if lost == "" && r.tracker.Attributable(seq) && r.tracker.ExpectsArrival(s.Source.LabelOf(seq).Class) {
			n++
		}
	})
	return n
}

// settle accounts for every record s offered that did not arrive at the sink: lost at send, settled
// by the tracker, or (without a sink) unobserved.
func (r *extRunner) settle(s *offer.Conn, rec *reports.Recorder, d *reports.Delivery) {
	tr := r.tracker
	if tr == nil {
		s.Settle(rec, nil, func(uint64) { d.Unobserved++ })
		return
	}
	s.Settle(rec, tr.Arrived, func(seq uint64) {
		if !tr.Attributable(seq) { // sent, but the sink cannot tell its arrival (see Tracker.Attributable)
			d.Unobserved++
			return
		}
		tr.Settle(rec, seq)
	})
}
