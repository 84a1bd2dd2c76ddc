// Package run orchestrates one load run: it paces the generator into senders (package offer) over real
// sockets to the embedded reference collector, decides each record with the pipeline, checks every
// verdict against the generator's ground truth, and accounts for every event in a report. With
// Config.Target it sends to an external collector instead, and a sink (Config.Sink, package sink)
// observes what the collector forwards; see external.go.
//
// Data flows one way:
//
//	pacer ─► generator ─► offer ─► transport ─► socket ─► collector ─► pipeline ─► verdict ─► recorder ─► report
//	                        └────── label + schedule (the in-flight queue of the connection) ──┘
//
// Each connection has one sender goroutine (an offer.Conn) and one in-flight queue. The sender pushes
// an entry (sequence number, class, scheduled and written time) before it hands the record's bytes to
// the transport; the collector's handler for that connection pops one entry per record it decides. TCP
// keeps a connection's records in order, so the n-th verdict of a connection belongs to the n-th record
// sent on it — for malformed lines too, which carry no usable record id. The label never travels inside
// the line.
package run

import (
	"context"
	"crypto/tls"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/offer"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
)

// Lost causes: why an event that was generated never got a verdict.
const (
	LostSendError   = transport.LostSendError // the transport refused the record (connection broke, not re-established)
	LostNotReceived = "not_received"          // sent, but the collector's stream ended without it
	LostDrain       = "drain_timeout"
	// LostNotSent: due, but still unsent when the run's time (the schedule's end plus DrainTimeout) was
	// over; LostInterrupted: due, but unsent when the run was interrupted.
	LostNotSent = transport.LostNotSent
	// External targets only.
	LostStalled        = offer.LostStalled            // the collector stopped reading and the run ended before the record could be written
	LostInterrupted    = transport.LostInterrupted    // the run was interrupted while the record was due and unsent
	LostHTTP400        = transport.LostHTTP400        // its Cloud NSS batch was answered 400: NSS drops such a batch
	LostRetryExhausted = transport.LostRetryExhausted // its batch was retried for the whole retry window without success
)

// Config describes one run, against the embedded collector or, with Target, an external one.
type Config struct {
	Generator   *generator.Generator
	Pacer       pacer.Pacer
	Pipeline    *pipeline.Pipeline
	Connections int   // sender connections (default 1); the shard's k-th event goes to connection k mod Connections
	Shard       Shard // which part of the schedule this process sends (default: all of it)
	// Source, when set, is what is sent instead of Generator's records: a replayed recording (package
	// harness/replay) sends its recorded lines, each checked against its own expected verdict. Record
	// seq is the source's seq-th record; the Pacer must not schedule more records than it has.
	Source generator.Source
	// StartAt, when set, is the wall-clock time at which the schedule starts (t=0): the run sets up
	// (collector, connections, sink) and then waits for it, so that shards started seconds apart on
	// different machines still offer one schedule together, up to their clocks' offsets. A StartAt
	// already past starts the schedule at once: Meta.Started then shows how late.
	StartAt      time.Time
	Framing      string        // "lf" (default) or "octet"
	MaxLine      int           // collector line limit (default 64 KiB)
	Late         time.Duration // a record sent more than Late after its schedule counts as behind schedule (default 10ms)
	DrainTimeout time.Duration // how long to wait for in-flight records after the last send (default 10s); external runs: see runExternal
	// DeliverAll delivers the whole schedule, however late, and waits DrainTimeout after the last send.
	// Without it a run ends by the schedule's end plus DrainTimeout, on every target kind: nothing is
	// sent, written or waited for after that, and the records still unsent are lost (LostNotSent).
	DeliverAll bool
	// Listen is the embedded collector's address, tcp://host:port (default tcp://127.0.0.1:0: a free
	// loopback port). Records that reach it from anything but the run's senders are decided and counted
	// as unattributed.
	Listen string
	// Cost slows the embedded collector by this much work per record (a busy wait), to model a slower
	// collector: capacity tests use it to put a knee at a known rate (1/Cost events per second).
	Cost time.Duration
	// SendCost pauses each sender this long before it generates a record (a sleep, so the pause takes no
	// CPU from the collector), to model a load generator that cannot keep to its schedule while the
	// collector keeps up: tests of the sender-bound rule use it, embedded and through a relay (at most
	// 1/SendCost events per second per connection).
	SendCost time.Duration
	// Clock says how records are stamped: generator.ClockVirtual (the zero value) renders the
	// generator's deterministic virtual time, generator.ClockWall each record's scheduled send time
	// (the run's wall-clock start plus its due offset). Meta.Clock records which, unless it is set
	// already (reports.ClockRecorded: a verbatim replay's records carry their recorded stamps).
	Clock generator.Clock
	Meta  reports.Meta // described run; Run fills Duration, Started, Interrupted, Ending, Target and Connections
	// Progress, when set, is called about once a second from its own goroutine with a snapshot.
	Progress func(progress.Snapshot)
	// Probe measures the collector under test (package probe: a process from /proc, a Prometheus
	// endpoint, or nssbench itself with Self) from before the first record to the end of the drain,
	// into the report's target section. The zero value measures nothing.
	Probe probe.Target
	// Draining, when set, is called once when the last record is sent, with the records in flight:
	// sent and not yet decided (external: not yet arrived at the sink; not called without a sink).
	Draining func(inFlight uint64)

	// Target, when set, sends the feed to an external collector instead of the embedded one:
	// tcp://host:port or tls://host:port (framed as Framing, reconnecting after a break), udp://host:port
	// (one datagram per record), or http(s)://host:port/path (Cloud NSS-style JSON batches: the generator's
	// feeds must print JSON, see scenarios.ForCloudNSS). Pipeline, MaxLine and Cost are then unused. An unreachable
	// target is a run-level error within the dial timeout (5 s); UDP targets are not contacted.
	Target string
	// TLS configures tls:// and https:// targets (nil: system roots, server name from the target).
	TLS *tls.Config
	// HTTP tunes http(s):// targets.
	HTTP transport.HTTPOptions
	// WriteTimeout: a stream write blocked this long (the collector stopped reading) counts as a broken
	// connection; an HTTP request without an answer this long counts as failed. Default 10 s; negative:
	// never. Whatever it is, nothing is written after DrainTimeout past the end of the schedule.
	WriteTimeout time.Duration
	// DuplicateWindow is NSS's "Duplicate Logs" setting for stream targets: once a broken connection is
	// re-established, the records scheduled in this window before the break was detected are sent again
	// (the sink counts the duplicates). 0 sends again only the records whose write failed.
	DuplicateWindow time.Duration
	// Sink, when set with Target, listens at this address (tcp://, udp:// or http://host:port) for what
	// the external collector forwards and matches it to what was sent (package sink). Without a sink an
	// external run reports only the sender's side, and says so.
	Sink        string
	SinkOptions sink.Options
	// SinkWait: before the schedule starts, wait up to this long for the collector to connect to a
	// tcp:// sink, so that its reconnection interval is not measured as latency (0: do not wait).
	SinkWait time.Duration
}

// Shard selects the Index-th of Count disjoint parts of a schedule: the events whose sequence number is
// Index mod Count. Each event keeps its global sequence number, record id and scheduled time, so shard i's
// bytes are the same whether it runs alone or beside the others, and the shards' union is the unsharded
// run. The zero value is the whole schedule.
type Shard struct {
	Index, Count int
}

// schedule is the part of the pacer's schedule this run offers.
func (c *Config) schedule() pacer.Schedule {
	return pacer.Schedule{Pacer: c.Pacer, Shard: c.Shard.Index, Shards: c.Shard.Count}
}

// String returns "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// Set parses "i/n", 0 <= i < n, so that a *Shard is a command line's -shard flag (flag.Value).
func (s *Shard) Set(v string) error {
	is, ns, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/4", v)
	}
	s.Index, s.Count = i, n
	return nil
}

// Run executes cfg until the pacer's schedule ends, its time is over (the schedule's end plus DrainTimeout,
// unless DeliverAll) or ctx is cancelled. A cancelled ctx stops generation: the records due by then and
// unsent are offered and lost (LostInterrupted), what is in flight is still drained and reported, and the
// report says it was interrupted. Only run-level failures (the collector or the sink cannot listen, a
// connection cannot be made) are errors; per-event fates are in the report.
func Run(ctx context.Context, cfg Config) (*reports.Report, error) {
	cfg.defaults()
	if cfg.Target != "" {
		return runExternal(ctx, cfg)
	}
	if cfg.Sink != "" {
		return nil, fmt.Errorf("run: a sink (%s) observes an external collector: it needs a target", cfg.Sink)
	}
	r := &runner{base: base{cfg: cfg}, flights: map[string]*flight{}}
	return r.run(ctx)
}

func (c *Config) defaults() {
	if c.Source == nil && c.Generator != nil {
		c.Source = c.Generator
	}
	if c.Connections <= 0 {
		c.Connections = 1
	}
	if c.Framing == "" {
		c.Framing = "lf"
	}
	if c.MaxLine <= 0 {
		c.MaxLine = 64 << 10
	}
	if c.Late <= 0 {
		c.Late = 10 * time.Millisecond
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = 10 * time.Second
	}
	if c.Shard.Count <= 0 {
		c.Shard = Shard{Index: 0, Count: 1}
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.Listen == "" {
		c.Listen = "tcp://127.0.0.1:0"
	}
}

// end returns the run clock after which nothing is sent, written or waited for: the schedule's last due
// time plus DrainTimeout, or math.MaxInt64 with DeliverAll or a schedule without an end.
func (c *Config) end() int64 {
	if _, last, ok := c.schedule().End(); ok && !c.DeliverAll {
		return int64(last + c.DrainTimeout)
	}
	return math.MaxInt64
}

// ending names how the run ends, for Meta.Ending.
func (c *Config) ending() string {
	if c.DeliverAll {
		return reports.EndDeliverAll
	}
	return reports.EndDeadline
}

// base is what both runners keep: the run's clock, its classes and its live counters.
type base struct {
	cfg          Config
	start        time.Time // t=0 of the run's clock and of every recorder's timeline
	end          int64     // see Config.end
	stopped      offer.StopClock
	names, feeds []string       // per class, its name and its feed's
	counts       offer.Counts   // sent and behind schedule, for progress lines
	e2e          progress.Gauge // end-to-end latency for progress lines
}

// now returns the run's clock: monotonic nanoseconds since the start.
func (b *base) now() int64 { return int64(time.Since(b.start)) }

// deadline returns the wall-clock time of b.end, the zero Time for none.
func (b *base) deadline() time.Time {
	if b.end == math.MaxInt64 {
		return time.Time{}
	}
	return b.start.Add(time.Duration(b.end))
}

// recorder returns an empty recorder of the run's classes.
func (b *base) recorder() *reports.Recorder {
	return reports.NewRecorder(reports.RecorderConfig{Classes: b.names, Feeds: b.feeds, Start: b.start})
}

// conn returns the i-th connection's sender, without its transport and recorder.
func (b *base) conn(i int) *offer.Conn {
	return &offer.Conn{
		Share:  offer.Share{Schedule: b.cfg.schedule(), Conn: i, Conns: b.cfg.Connections},
		Source: b.cfg.Source.Fork(), Clock: b.cfg.Clock, Start: b.start, Now: b.now, End: b.end, Late: b.cfg.Late,
		SendCost: b.cfg.SendCost, Stopped: &b.stopped, Counts: &b.counts,
	}
}

// meta returns the report's description of the run, which sent to target over transport.
func (b *base) meta(elapsed time.Duration, interrupted bool, target, transport, kind string) reports.Meta {
	meta := b.cfg.Meta
	meta.Started = b.start
	meta.Duration = elapsed
	meta.Interrupted = interrupted
	if meta.Clock == "" { // a verbatim replay says its records carry their recorded stamps
		meta.Clock = b.cfg.Clock.String()
	}
	meta.Ending = b.cfg.ending()
	meta.Target, meta.Transport, meta.TargetKind = target, transport, kind
	meta.Connections = b.cfg.Connections
	if b.cfg.Shard.Count > 1 { // 0/1 is the whole run
		meta.ShardIndex, meta.ShardCount = b.cfg.Shard.Index, b.cfg.Shard.Count
	}
	if meta.Pacer == "" {
		meta.Pacer = b.cfg.Pacer.String()
	}
	return meta
}

// runner runs one Config against the embedded collector.
type runner struct {
	base
	classes []generator.Class

	mu       sync.Mutex
	flights  map[string]*flight // by the sender's local address, as the collector sees it
	handlers []*handler

	decided atomic.Uint64
}

func (r *runner) run(ctx context.Context) (*reports.Report, error) {
	r.classes = r.cfg.Source.Classes()
	r.names, r.feeds = classNames(r.classes)
	// t=0 of the run's clock and of every recorder's timeline. Dialing the loopback connections below
	// takes well under a millisecond, so the first events are not held back by it. Interrupted while
	// waiting for StartAt, the run ends at once with nothing offered.
	if e, err := transport.ParseTarget(r.cfg.Listen); err != nil || e.Scheme != "tcp" {
		return nil, fmt.Errorf("run: embedded collector address %q: want tcp://host:port", r.cfg.Listen)
	}
	offer.WaitUntil(ctx, r.cfg.StartAt)
	r.start = time.Now()
	r.end = r.cfg.end()
	defer r.stopped.Watch(ctx, r.now)()
	// When the run's time is over, what the collector has not read is lost: its own drain at Close is
	// short. With DeliverAll the run waited DrainTimeout for it already.
	ln, err := collector.Listen(r.cfg.Listen, collector.Config{MaxLine: r.cfg.MaxLine, Now: r.now, DrainTimeout: closeDrain}, r.newHandler)
	if err != nil {
		return nil, fmt.Errorf("start embedded collector: %w", err)
	}
	defer ln.Close()
	// Sampling outlives an interrupt: the drain that follows is the collector's work too.
	tp, err := probe.StartTarget(context.WithoutCancel(ctx), r.cfg.Probe)
	if err != nil {
		return nil, fmt.Errorf("measure the target: %w", err)
	}
	defer tp.Stop(0, 0) // on an early return; Stop may be called again

	senders, flights := make([]*offer.Conn, r.cfg.Connections), make([]*flight, r.cfg.Connections)
	for i := range senders {
		// Loopback dials finish at once; not cancelling them lets a run interrupted before t=0 still
		// end with its (empty) report.
		s, fl, err := r.dial(context.WithoutCancel(ctx), ln.URL(), i)
		if err != nil {
			for _, s := range senders[:i] {
				s.Sender.Close()
			}
			return nil, err
		}
		senders[i], flights[i] = s, fl
	}

	stopProgress := progress.Start(r.cfg.Progress, func() progress.Snapshot {
		elapsed := time.Since(r.start)
		return progress.Snapshot{
			Elapsed: elapsed, Due: r.cfg.schedule().Offered(elapsed), Sent: r.counts.Sent.Load(),
			Verdicts: r.decided.Load(), Behind: r.counts.Behind.Load(), P99: r.e2e.Window(0.99),
		}
	})
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(ctx) }()
	}
	wg.Wait()
	interrupted := ctx.Err() != nil
	if r.cfg.Draining != nil {
		sent := r.counts.Sent.Load()
		r.cfg.Draining(sent - min(r.decided.Load(), sent))
	}

	// Every sender has closed its connection; wait for the collector to decide what is in flight, for
	// DrainTimeout but not past the run's end.
	limit := time.Now().Add(r.cfg.DrainTimeout)
	if end := r.deadline(); !end.IsZero() {
		limit = minTime(limit, end)
	}
	deadline := time.NewTimer(time.Until(limit))
	defer deadline.Stop()
	for _, fl := range flights {
		select {
		case <-fl.done:
		case <-deadline.C:
		}
	}
	if err := ln.Close(); err != nil {
		return nil, fmt.Errorf("stop embedded collector: %w", err)
	}
	// The run lasts until its last verdict: a collector that falls behind shows in the achieved rate.
	elapsed := time.Since(r.start)
	stopProgress()

	total := r.recorder()
	for i, s := range senders {
		flights[i].settle(s.Recorder)
		s.Settle(s.Recorder, nil, nil)
		if err := total.Merge(s.Recorder); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	for _, h := range r.handlers {
		if err := total.Merge(h.rec); err != nil {
			r.mu.Unlock()
			return nil, err
		}
		total.Unattributed(h.stray)
	}
	r.mu.Unlock()

	rep := total.Report(r.meta(elapsed, interrupted, "embedded "+ln.URL(), "tcp", reports.TargetEmbedded))
	rep.Target = tp.Stop(rep.Counts.Verdicts, rep.Bytes.Delivered)
	return rep, nil
}

// classNames returns the names of classes and of their feeds, by class index.
func classNames(classes []generator.Class) (names, feeds []string) {
	names, feeds = make([]string, len(classes)), make([]string, len(classes))
	for i, c := range classes {
		names[i], feeds[i] = c.Name, c.Feed.String()
	}
	return names, feeds
}

// closeDrain bounds the embedded collector's drain at Close, after the run has waited for it.
const closeDrain = 200 * time.Millisecond

// minTime returns the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (r *runner) dial(ctx context.Context, url string, i int) (*offer.Conn, *flight, error) {
	tr, err := transport.Dial(ctx, url, transport.Options{Framing: r.cfg.Framing, Deadline: r.deadline})
	if err != nil {
		return nil, nil, fmt.Errorf("connection %d to the embedded collector: %w", i, err)
	}
	fl := newFlight()
	r.mu.Lock()
	r.flights[tr.LocalAddr().String()] = fl
	r.mu.Unlock()
	s := r.conn(i)
	s.Sender, s.Recorder, s.Queue = tr, r.recorder(), fl.q
	return s, fl, nil
}

// flight is the queue of one connection's records that were sent and not yet decided.
type flight struct {
	q    chan offer.Entry
	done chan struct{} // closed when the collector's stream for this connection has ended
	once sync.Once
}

// flightDepth bounds the records in flight on one connection; a full queue makes the sender wait, which is
// TCP's own backpressure one step earlier.
const flightDepth = 1 << 16

func newFlight() *flight {
	return &flight{q: make(chan offer.Entry, flightDepth), done: make(chan struct{})}
}

func (f *flight) finish() { f.once.Do(func() { close(f.done) }) }

// settle counts what is still queued as lost: sent, but never decided. Call it after the stream ended
// or the drain timed out.
func (f *flight) settle(rec *reports.Recorder) {
	cause := LostNotReceived
	select {
	case <-f.done:
	default:
		cause = LostDrain
	}
	for {
		select {
		case e := <-f.q:
			rec.LostAt(e.Scheduled, e.Class, cause, 1)
		default:
			return
		}
	}
}

// handler decides the records of one collector connection.
type handler struct {
	r    *runner
	conn collector.Conn
	fl   *flight
	dec  *pipeline.Decider
	rec  *reports.Recorder
	v    verdict.Verdict
	line uint64
	// stray counts records for which no sent entry was queued: framing split a record, or a peer other
	// than nssbench wrote to the collector. They are decided but cannot be attributed.
	stray uint64
}

func (r *runner) newHandler(c collector.Conn) collector.Handler {
	h := &handler{
		r: r, conn: c, dec: r.cfg.Pipeline.NewDecider(),
		rec: r.recorder(),
	}
	r.mu.Lock()
	r.handlers = append(r.handlers, h)
	r.mu.Unlock()
	return h
}

// flight finds the sender of this connection. It is looked up at the first record, by when the sender has
// registered (it registers before it sends).
func (h *handler) flight() *flight {
	if h.fl == nil && h.conn.Remote != nil {
		h.r.mu.Lock()
		h.fl = h.r.flights[h.conn.Remote.String()]
		h.r.mu.Unlock()
	}
	return h.fl
}

// Record implements collector.Handler.
func (h *handler) Record(rec []byte, f collector.Format, received int64) {
	h.v.Reset()
	if f == collector.FormatJSON {
		h.dec.DecideJSON(rec, &h.v)
	} else {
		h.dec.Decide(rec, &h.v)
	}
	h.finish(rec, received)
}

// Oversize implements collector.Handler.
func (h *handler) Oversize(received int64) {
	h.v.Reset()
	h.dec.DecideOversize(&h.v)
	h.finish(nil, received)
}

func (h *handler) finish(rec []byte, received int64) {
	h.line++
	h.v.Line, h.v.Conn = h.line, h.conn.ID
	if c := h.r.cfg.Cost; c > 0 {
		for until := h.r.now() + int64(c); h.r.now() < until; {
		}
	}
	decided := h.r.now()
	fl := h.flight()
	var e offer.Entry
	ok := false
	if fl != nil {
		select {
		case e, ok = <-fl.q:
		default:
		}
	}
	if !ok {
		h.stray++
		return
	}
	h.r.decided.Add(1)
	exp := &h.r.classes[e.Class].Expect
	if m, match := exp.Check(&h.v); !match {
		h.rec.Mismatch(e.Class, &h.v, m, rec)
	}
	h.rec.Verdict(e.Class, &h.v, reports.Timing{Scheduled: e.Scheduled, Written: e.Written, Received: received, Decided: decided})
	if rec != nil { // an oversize record was cut: its length is not known
		h.rec.DeliveredBytes(e.Class, len(rec))
	}
	h.r.e2e.Record(decided - e.Scheduled)
}

// Close implements collector.Handler.
func (h *handler) Close(error) {
	if fl := h.flight(); fl != nil {
		fl.finish()
	}
}
