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
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
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
	LostStalled        = "send_stalled"               // the collector stopped reading and the run ended before the record could be written
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
	// SendCost pauses the embedded run's sender this long before it generates each record (a sleep, so
	// the pause takes no CPU from the collector), to model a load generator that cannot keep to its
	// schedule while the collector keeps up: tests of the sender-bound rule use it (at most 1/SendCost
	// events per second per connection). External runs ignore it.
	SendCost time.Duration
	// Clock says how records are stamped: generator.ClockVirtual (the zero value) renders the
	// generator's deterministic virtual time, generator.ClockWall each record's scheduled send time
	// (the run's wall-clock start plus its due offset). Meta.Clock records which.
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
	r := &runner{cfg: cfg, flights: map[string]*flight{}}
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

// stopClock keeps the run clock at which the run was interrupted, once.
type stopClock struct{ at atomic.Int64 }

// watch records the time now() when ctx ends (-1, before any record was due, if it has already
// ended); call the result to stop watching.
func (c *stopClock) watch(ctx context.Context, now func() int64) func() bool {
	if ctx.Err() != nil {
		c.at.Store(-1)
	}
	return context.AfterFunc(ctx, func() { c.time(now) })
}

// time returns the run clock of the interrupt, taking now() if it has not been recorded yet.
func (c *stopClock) time(now func() int64) int64 {
	c.at.CompareAndSwap(0, max(now(), 1))
	return c.at.Load()
}

type runner struct {
	cfg     Config
	start   time.Time
	end     int64 // see Config.end
	stopped stopClock
	classes []generator.Class
	names   []string
	feeds   []string // per class, its feed's name

	mu       sync.Mutex
	flights  map[string]*flight // by the sender's local address, as the collector sees it
	handlers []*handler

	sent, decided, behind atomic.Uint64
	e2e                   progress.Gauge // end-to-end latency for progress lines, by second
}

// now returns the run's clock: monotonic nanoseconds since the start.
func (r *runner) now() int64 { return int64(time.Since(r.start)) }

func (r *runner) run(ctx context.Context) (*reports.Report, error) {
	r.classes = r.cfg.Source.Classes()
	r.names, r.feeds = classNames(r.classes)
	// t=0 of the run's clock and of every recorder's timeline. Dialing the loopback connections below
	// takes well under a millisecond, so the first events are not held back by it. Interrupted while
	// waiting for StartAt, the run ends at once with nothing offered.
	if e, err := transport.ParseTarget(r.cfg.Listen); err != nil || e.Scheme != "tcp" {
		return nil, fmt.Errorf("run: embedded collector address %q: want tcp://host:port", r.cfg.Listen)
	}
	waitUntil(ctx, r.cfg.StartAt)
	r.start = time.Now()
	r.end = r.cfg.end()
	defer r.stopped.watch(ctx, r.now)()
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
	stop, cancel := ctx, context.CancelFunc(func() {})
	if r.end != math.MaxInt64 {
		stop, cancel = context.WithDeadline(ctx, r.start.Add(time.Duration(r.end)))
	}
	defer cancel()

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
			Verdicts: r.decided.Load(), Behind: r.behind.Load(), P99: r.e2e.Window(0.99),
		}
	})
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() { defer wg.Done(); s.loop(ctx, stop) }()
	}
	wg.Wait()
	interrupted := ctx.Err() != nil
	if r.cfg.Draining != nil {
		sent := r.sent.Load()
		r.cfg.Draining(sent - min(r.decided.Load(), sent))
	}

	// Every sender has closed its connection; wait for the collector to decide what is in flight, for
	// DrainTimeout but not past the run's end.
	limit := time.Now().Add(r.cfg.DrainTimeout)
	if r.end != math.MaxInt64 {
		limit = minTime(limit, r.start.Add(time.Duration(r.end)))
	}
	deadline := time.NewTimer(time.Until(limit))
	defer deadline.Stop()
	for _, s := range senders {
		select {
		case <-s.fl.done:
		case <-deadline.C:
		}
	}
	if err := ln.Close(); err != nil {
		return nil, fmt.Errorf("stop embedded collector: %w", err)
	}
	// The run lasts until its last verdict: a collector that falls behind shows in the achieved rate.
	elapsed := time.Since(r.start)
	stopProgress()

	total := reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Feeds: r.feeds, Start: r.start})
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
		total.Unattributed(h.stray)
	}
	r.mu.Unlock()

	meta := r.cfg.Meta
	meta.Started = r.start
	meta.Duration = elapsed
	meta.Interrupted = interrupted
	meta.Clock = r.cfg.Clock.String()
	meta.Ending = r.cfg.ending()
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
	rep := total.Report(meta)
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

// deadline returns the wall-clock time of r.end, the zero Time for none.
func (r *runner) deadline() time.Time {
	if r.end == math.MaxInt64 {
		return time.Time{}
	}
	return r.start.Add(time.Duration(r.end))
}

func (r *runner) dial(ctx context.Context, url string, i int) (*sender, error) {
	tr, err := transport.Dial(ctx, url, transport.Options{Framing: r.cfg.Framing, Deadline: r.deadline})
	if err != nil {
		return nil, fmt.Errorf("connection %d to the embedded collector: %w", i, err)
	}
	fl := newFlight()
	r.mu.Lock()
	r.flights[tr.LocalAddr().String()] = fl
	r.mu.Unlock()
	return &sender{
		r: r, id: i, tr: tr, fl: fl,
		gen: r.cfg.Source.Fork(),
		rec: reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Feeds: r.feeds, Start: r.start}),
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
	gen generator.Source
	rec *reports.Recorder
}

// loop offers the connection's share of the schedule until it ends or stop (ctx, or the run's end) is
// done; then the records due and unsent are offered and lost.
func (s *sender) loop(ctx, stop context.Context) {
	defer s.tr.Close()
	r := s.r
	conns, shards := uint64(r.cfg.Connections), uint64(r.cfg.Shard.Count)
	out := newScratch(s.tr)
	clock := batchClock{now: r.now}
	var failed error
	// pending is when the oldest record still in the transport's buffer was written (0: none). A sender
	// behind its schedule never waits, so never flushes to wait: flushing once that record has waited
	// half of Late keeps records from sitting in the sender's own buffer, which would count as wire lag
	// (the collector's) what is the sender's. A sender running flat out fills its buffer sooner.
	var pending int64
	k := uint64(0)
send:
	for ; ; k++ {
		seq := (k*conns+uint64(s.id))*shards + uint64(r.cfg.Shard.Index)
		due, ok := r.cfg.Pacer.Due(seq)
		if !ok {
			break
		}
		if stop.Err() != nil {
			break
		}
		if due > time.Duration(clock.check(int64(due))) {
			if err := s.tr.Flush(); err != nil && failed == nil {
				failed = err
			}
			pending = 0
			if !sleepUntil(stop, r.now, due) {
				break
			}
		}
		if c := r.cfg.SendCost; c > 0 {
			time.Sleep(c)
		}
		line, label := render(r.cfg.Clock, r.start, s.gen, out.dst(), seq, due)
		out.rendered(line)
		s.rec.Offered(int64(due))
		if failed != nil {
			if r.now() >= r.end { // the write was cut at the run's end: the rest is not sent
				s.rec.LostAt(int64(due), label.Class, s.stopCause(ctx), 1)
				k++
				break
			}
			s.unsent(label.Class)
			continue
		}
		written := clock.written()
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
			select {
			case s.fl.q <- e:
			case <-stop.Done():
				s.rec.LostAt(int64(due), label.Class, s.stopCause(ctx), 1)
				k++
				break send
			}
		}
		if err := s.tr.Send(seq, line); err != nil {
			failed = err
			// The entry is queued but its bytes never left; the stream will end without it, so settle
			// counts it as not received. Everything after it is counted as unsent.
			continue
		}
		switch {
		case pending == 0:
			pending = written
		case written-pending >= int64(r.cfg.Late/2):
			if err := s.tr.Flush(); err != nil && failed == nil {
				failed = err
			}
			pending = 0
		}
		behind := written-int64(due) > int64(r.cfg.Late)
		s.rec.Sent(reports.Timing{Scheduled: int64(due), Written: written}, behind)
		s.rec.SentBytes(label.Class, len(line))
		r.sent.Add(1)
		if behind {
			r.behind.Add(1)
		}
	}
	if failed == nil {
		s.tr.Flush()
	}
	if stop.Err() != nil || r.now() >= r.end {
		s.tr.Close() // the collector may end the stream while the rest is counted
		s.rest(ctx, k)
	}
}

// stopCause is why records due and unsent are lost once stop is done.
func (s *sender) stopCause(ctx context.Context) string {
	if ctx.Err() != nil {
		return LostInterrupted
	}
	return LostNotSent
}

// rest offers the records from the k-th on that were due when the run stopped, and counts them lost:
// interrupted (due by the interrupt) or not sent (the run's time was over: the rest of the schedule).
func (s *sender) rest(ctx context.Context, k uint64) {
	r := s.r
	cause, upTo := s.stopCause(ctx), int64(math.MaxInt64)
	if cause == LostInterrupted {
		upTo = r.stopped.time(r.now)
	}
	conns, shards := uint64(r.cfg.Connections), uint64(r.cfg.Shard.Count)
	// Millions of records may be left: count them per class and timeline second (wall-clock seconds, as
	// the recorder, which starts at r.start, keeps them), not one by one.
	lost := make([]uint64, len(r.classes))
	frac := int64(r.start.Nanosecond())
	at, sec := int64(0), int64(-1) // a time in the second being counted, and that second
	flush := func() {
		for class, n := range lost {
			if n > 0 {
				s.rec.LostAt(at, uint16(class), cause, n)
				lost[class] = 0
			}
		}
	}
	for ; ; k++ {
		seq := (k*conns+uint64(s.id))*shards + uint64(r.cfg.Shard.Index)
		due, ok := r.cfg.Pacer.Due(seq)
		if !ok || int64(due) > upTo {
			break
		}
		if t := (frac + int64(due)) / int64(time.Second); t != sec {
			flush()
			at, sec = int64(due), t
		}
		s.rec.Offered(int64(due))
		lost[s.gen.LabelOf(seq).Class]++
	}
	flush()
}

// render renders record seq, due at offset due of a schedule that started at start, as clock stamps it.
func render(clock generator.Clock, start time.Time, g generator.Source, dst []byte, seq uint64, due time.Duration) ([]byte, generator.Label) {
	if clock == generator.ClockWall {
		return g.AppendAt(dst, seq, start.UnixNano()+int64(due))
	}
	return g.Append(dst, seq)
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
		rec: reports.NewRecorder(reports.RecorderConfig{Classes: r.names, Feeds: r.feeds, Start: r.start}),
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
	if rec != nil { // an oversize record was cut: its length is not known
		h.rec.DeliveredBytes(e.class, len(rec))
	}
	h.r.e2e.Record(decided - e.scheduled)
}

// Close implements collector.Handler.
func (h *handler) Close(error) {
	if fl := h.flight(); fl != nil {
		fl.finish()
	}
}
