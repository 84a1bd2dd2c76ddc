// Package run orchestrates one load run: it paces the generator, sends its lines over real sockets to the
// embedded reference collector, decides each record with the pipeline, checks every verdict against the
// generator's ground truth, and accounts for every event in a report. With Config.Target it sends to an
// external collector instead, and a sink (Config.Sink, package sink) observes what the collector forwards;
// see external.go.
//
// Data flows one way:
//
//	pacer ─► generator ─► transport ─► socket ─► collector ─► pipeline ─► verdict ─► recorder ─► report
//	            └────────── label + schedule (the in-flight queue of the connection) ──┘
//
// Each connection has one sender goroutine and one in-flight queue. The sender pushes an entry (sequence
// number, class, scheduled and written time) before it hands the record's bytes to the transport; the
// collector's handler for that connection pops one entry per record it decides. TCP keeps a connection's
// records in order, so the n-th verdict of a connection belongs to the n-th record sent on it — for
// malformed lines too, which carry no usable record id. The label never travels inside the line.
package run

import (
	"context"
	"crypto/tls"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
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
	// External targets only.
	LostStalled        = "send_stalled"               // the collector stopped reading and the run ended before the record could be written
	LostInterrupted    = transport.LostInterrupted    // the run was interrupted while the record waited to be written
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
	// StartAt, when set, is the wall-clock time at which the schedule starts (t=0): the run sets up
	// (collector, connections, sink) and then waits for it, so that shards started seconds apart on
	// different machines still offer one schedule together, up to their clocks' offsets. A StartAt
	// already past starts the schedule at once: Meta.Started then shows how late.
	StartAt      time.Time
	Framing      string        // "lf" (default) or "octet"
	MaxLine      int           // collector line limit (default 64 KiB)
	Late         time.Duration // a record sent more than Late after its schedule counts as behind schedule (default 10ms)
	DrainTimeout time.Duration // how long to wait for in-flight records after the last send (default 10s); external runs: see runExternal
	// Cost slows the embedded collector by this much work per record (a busy wait), to model a slower
	// collector: capacity tests use it to put a knee at a known rate (1/Cost events per second).
	Cost time.Duration
	Meta reports.Meta // described run; Run fills Duration, Started, Interrupted, Target and Connections
	// Progress, when set, is called about once a second from its own goroutine with a snapshot.
	Progress func(progress.Snapshot)
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

// Run executes cfg until the pacer's schedule ends or ctx is cancelled (which stops generation; what is in
// flight is still drained and reported, and the report says it was interrupted). Only run-level failures
// (the collector or the sink cannot listen, a connection cannot be made) are errors; per-event fates are
// in the report.
func Run(ctx context.Context, cfg Config) (*reports.Report, error) {
	cfg.defaults()
	if cfg.Target != "" {
		return runExternal(ctx, cfg)
	}
	if cfg.Sink != "" {
		return nil, fmt.Errorf("run: a sink (%s) observes an external collector: it needs a target", cfg.Sink)
	}
	r := &runner{cfg: cfg, flights: map[string]*flight{}}
	return r.run(ctx)
}

func (c *Config) defaults() {
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
}

type runner struct {
	cfg     Config
	start   time.Time
	classes []generator.Class
	names   []string

	mu       sync.Mutex
	flights  map[string]*flight // by the sender's local address, as the collector sees it
	handlers []*handler

	sent, decided, behind atomic.Uint64
	e2e                   progress.Gauge // end-to-end latency for progress lines
}

// now returns the run's clock: monotonic nanoseconds since the start.
func (r *runner) now() int64 { return int64(time.Since(r.start)) }

func (r *runner) run(ctx context.Context) (*reports.Report, error) {
	r.classes = r.cfg.Generator.Classes()
	r.names = make([]string, len(r.classes))
	for i, c := range r.classes {
		r.names[i] = c.Name
	}
	// t=0 of the run's clock and of every recorder's timeline. Dialing the loopback connections below
	// takes well under a millisecond, so the first events are not held back by it. Interrupted while
	// waiting for StartAt, the run ends at once with nothing offered.
	waitUntil(ctx, r.cfg.StartAt)
	r.start = time.Now()
	ln, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{MaxLine: r.cfg.MaxLine, Now: r.now}, r.newHandler)
	if err != nil {
		return nil, fmt.Errorf("start embedded collector: %w", err)
	}
	defer ln.Close()

	senders := make([]*sender, r.cfg.Connections)
	for i := range senders {
		// Loopback dials finish at once; not cancelling them lets a run interrupted before t=0 still
		// end with its (empty) report.
		s, err := r.dial(context.WithoutCancel(ctx), ln.URL(), i)
		if err != nil {
			for _, s := range senders[:i] {
				s.tr.Close()
			}
			return nil, err
		}
		senders[i] = s
	}

	stopProgress := progress.Start(r.cfg.Progress, func() progress.Snapshot {
		elapsed := time.Since(r.start)
		return progress.Snapshot{
			Elapsed: elapsed, Due: r.cfg.schedule().Offered(elapsed), Sent: r.sent.Load(),
			Verdicts: r.decided.Load(), Behind: r.behind.Load(), P99: r.e2e.Quantile(0.99),
		}
	})
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() { defer wg.Done(); s.loop(ctx) }()
	}
	wg.Wait()
	interrupted := ctx.Err() != nil
	if r.cfg.Draining != nil {
		sent := r.sent.Load()
		r.cfg.Draining(sent - min(r.decided.Load(), sent))
	}

	// Every sender has closed its connection; wait for the collector to decide what is in flight.
	deadline := time.NewTimer(r.cfg.DrainTimeout)
	defer deadline.Stop()
	for _, s := range senders {
		select {
		case <-s.fl.done:
		case <-deadline.C:
		}
	}
	// The run lasts until its last verdict: a collector that falls behind shows in the achieved rate.
	elapsed := time.Since(r.start)
	stopProgress()
	if err := ln.Close(); err != nil {
		return nil, fmt.Errorf("stop embedded collector: %w", err)
	}

	total := reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Start: r.start})
	for _, s := range senders {
		s.fl.settle(s.rec)
		if err := total.Merge(s.rec); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	for _, h := range r.handlers {
		if err := total.Merge(h.rec); err != nil {
			r.mu.Unlock()
			return nil, err
		}
	}
	r.mu.Unlock()

	meta := r.cfg.Meta
	meta.Started = r.start
	meta.Duration = elapsed
	meta.Interrupted = interrupted
	meta.Target = "embedded " + ln.URL()
	meta.Transport = "tcp"
	meta.TargetKind = reports.TargetEmbedded
	meta.Connections = r.cfg.Connections
	if r.cfg.Shard.Count > 1 { // 0/1 is the whole run
		meta.ShardIndex, meta.ShardCount = r.cfg.Shard.Index, r.cfg.Shard.Count
	}
	if meta.Pacer == "" {
		meta.Pacer = r.cfg.Pacer.String()
	}
	return total.Report(meta), nil
}

func (r *runner) dial(ctx context.Context, url string, i int) (*sender, error) {
	tr, err := transport.Dial(ctx, url, transport.Options{Framing: r.cfg.Framing})
	if err != nil {
		return nil, fmt.Errorf("connection %d to the embedded collector: %w", i, err)
	}
	fl := newFlight()
	r.mu.Lock()
	r.flights[tr.LocalAddr().String()] = fl
	r.mu.Unlock()
	return &sender{
		r: r, id: i, tr: tr, fl: fl,
		gen: r.cfg.Generator.Clone(),
		rec: reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Start: r.start}),
	}, nil
}

// flight is the queue of one connection's records that were sent and not yet decided.
type flight struct {
	q    chan entry
	done chan struct{} // closed when the collector's stream for this connection has ended
	once sync.Once
	// unsent counts records the sender generated but could not hand to the transport.
	unsent []uint64 // per class
}

type entry struct {
	seq       uint64
	class     uint16
	scheduled int64
	written   int64
}

// flightDepth bounds the records in flight on one connection; a full queue makes the sender wait, which is
// TCP's own backpressure one step earlier.
const flightDepth = 1 << 16

func newFlight() *flight { return &flight{q: make(chan entry, flightDepth), done: make(chan struct{})} }

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
			rec.LostAt(e.scheduled, e.class, cause, 1)
		default:
			for class, n := range f.unsent {
				if n > 0 {
					rec.Lost(uint16(class), LostSendError, n)
				}
			}
			return
		}
	}
}

// sender generates, paces and sends one connection's share of the schedule.
type sender struct {
	r   *runner
	id  int
	tr  transport.Sender
	fl  *flight
	gen *generator.Generator
	rec *reports.Recorder
}

func (s *sender) loop(ctx context.Context) {
	defer s.tr.Close()
	r := s.r
	conns, shards := uint64(r.cfg.Connections), uint64(r.cfg.Shard.Count)
	buf := make([]byte, 0, 64<<10)
	var failed error
	for k := uint64(0); ; k++ {
		seq := (k*conns+uint64(s.id))*shards + uint64(r.cfg.Shard.Index)
		due, ok := r.cfg.Pacer.Due(seq)
		if !ok {
			break
		}
		if ctx.Err() != nil {
			break
		}
		if wait := time.Duration(due - time.Duration(r.now())); wait > 0 {
			if err := s.tr.Flush(); err != nil && failed == nil {
				failed = err
			}
			if !sleepUntil(ctx, r.now, due) {
				break
			}
		}
		line, label := s.gen.Append(buf[:0], seq)
		buf = line[:0]
		s.rec.Offered(int64(due))
		if failed != nil {
			s.unsent(label.Class)
			continue
		}
		written := r.now()
		e := entry{seq: seq, class: label.Class, scheduled: int64(due), written: written}
		select {
		case s.fl.q <- e:
		default:
			// The collector is far behind: flush so it can catch up, then wait for room.
			if err := s.tr.Flush(); err != nil {
				failed = err
				s.unsent(label.Class)
				continue
			}
			s.fl.q <- e
		}
		if err := s.tr.Send(seq, line); err != nil {
			failed = err
			// The entry is queued but its bytes never left; the stream will end without it, so settle
			// counts it as not received. Everything after it is counted as unsent.
			continue
		}
		behind := written-int64(due) > int64(r.cfg.Late)
		s.rec.Sent(reports.Timing{Scheduled: int64(due), Written: written}, behind)
		r.sent.Add(1)
		if behind {
			r.behind.Add(1)
		}
	}
	if failed == nil {
		s.tr.Flush()
	}
}

func (s *sender) unsent(class uint16) {
	for int(class) >= len(s.fl.unsent) {
		s.fl.unsent = append(s.fl.unsent, 0)
	}
	s.fl.unsent[class]++
}

// sleepUntil waits until the run's clock now reaches due, or ctx is done (false). Waits of a few
// milliseconds and more sleep on a timer; the last stretch (Go's timers wake no sooner than a millisecond
// later on Linux) sleeps in the kernel with shortSleep, so a sender neither overshoots by a millisecond
// nor spins a core at moderate rates. What overshoot remains is honest lateness, measured as send lag.
func sleepUntil(ctx context.Context, now func() int64, due time.Duration) bool {
	for {
		wait := due - time.Duration(now())
		switch {
		case wait <= 0:
			return true
		case wait <= timerFloor:
			shortSleep(wait)
			continue
		}
		t := timerPool.Get().(*time.Timer)
		t.Reset(wait - timerFloor)
		select {
		case <-ctx.Done():
			t.Stop()
			timerPool.Put(t)
			return false
		case <-t.C:
			timerPool.Put(t)
		}
	}
}

// waitUntil waits until the wall-clock time t (no time: not at all) or until ctx is done.
func waitUntil(ctx context.Context, t time.Time) {
	d := time.Until(t)
	if t.IsZero() || d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}

// timerFloor is the shortest wait left to a runtime timer.
const timerFloor = 2 * time.Millisecond

// timerPool reuses stopped timers, so pacing allocates nothing per wait.
var timerPool = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}}

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
		rec: reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Start: r.start}),
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
	h.v.Line = h.line
	if c := h.r.cfg.Cost; c > 0 {
		for until := h.r.now() + int64(c); h.r.now() < until; {
		}
	}
	decided := h.r.now()
	fl := h.flight()
	var e entry
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
	exp := &h.r.classes[e.class].Expect
	if m, match := exp.Check(&h.v); !match {
		h.rec.Mismatch(e.class, &h.v, m, rec)
	}
	h.rec.Verdict(e.class, &h.v, reports.Timing{Scheduled: e.scheduled, Written: e.written, Received: received, Decided: decided})
	h.r.e2e.Record(decided - e.scheduled)
}

// Close implements collector.Handler.
func (h *handler) Close(error) {
	if fl := h.flight(); fl != nil {
		fl.finish()
	}
}
