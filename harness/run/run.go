// Package run orchestrates one load run: it paces the generator, sends its lines over real sockets to the
// embedded reference collector, decides each record with the pipeline, checks every verdict against the
// generator's ground truth, and accounts for every event in a report.
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
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/harness/verdict"
	"github.com/nssbench/nssbench/reports"
)

// Lost causes: why an event that was generated never got a verdict.
const (
	LostSendError   = "send_error"   // the transport refused the record (connection broke)
	LostNotReceived = "not_received" // sent, but the collector's stream ended without it
	LostDrain       = "drain_timeout"
)

// Config describes one run against the embedded collector.
type Config struct {
	Generator    *generator.Generator
	Pacer        pacer.Pacer
	Pipeline     *pipeline.Pipeline
	Connections  int           // sender connections (default 1); event n goes to connection n mod Connections
	Framing      string        // "lf" (default) or "octet"
	MaxLine      int           // collector line limit (default 64 KiB)
	Late         time.Duration // a record sent more than Late after its schedule counts as behind schedule (default 10ms)
	DrainTimeout time.Duration // how long to wait for in-flight records after the last send (default 10s)
	Meta         reports.Meta  // described run; Run fills Duration, Started, Interrupted, Target and Connections
	// Progress, when set, is called about once a second from its own goroutine with a snapshot.
	Progress func(Progress)
}

// Progress is a snapshot of a running run, for progress lines.
type Progress struct {
	Elapsed  time.Duration
	Offered  uint64 // events due so far
	Sent     uint64
	Verdicts uint64
	Behind   uint64
}

// Run executes cfg until the pacer's schedule ends or ctx is cancelled (which stops generation; what is in
// flight is still drained and reported, and the report says it was interrupted). Only run-level failures
// (the collector cannot listen, a connection cannot be made) are errors; per-event fates are in the report.
func Run(ctx context.Context, cfg Config) (*reports.Report, error) {
	cfg.defaults()
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
}

type runner struct {
	cfg     Config
	start   time.Time
	classes []generator.Class
	names   []string

	mu       sync.Mutex
	flights  map[string]*flight // by the sender's local address, as the collector sees it
	handlers []*handler

	offered, sent, decided, behind atomic.Uint64
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
	// takes well under a millisecond, so the first events are not held back by it.
	r.start = time.Now()
	ln, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{MaxLine: r.cfg.MaxLine, Now: r.now}, r.newHandler)
	if err != nil {
		return nil, fmt.Errorf("start embedded collector: %w", err)
	}
	defer ln.Close()

	senders := make([]*sender, r.cfg.Connections)
	for i := range senders {
		s, err := r.dial(ctx, ln.URL(), i)
		if err != nil {
			for _, s := range senders[:i] {
				s.tr.Close()
			}
			return nil, err
		}
		senders[i] = s
	}

	stopProgress := r.progress()
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() { defer wg.Done(); s.loop(ctx) }()
	}
	wg.Wait()
	interrupted := ctx.Err() != nil
	elapsed := time.Since(r.start)

	// Every sender has closed its connection; wait for the collector to decide what is in flight.
	deadline := time.NewTimer(r.cfg.DrainTimeout)
	defer deadline.Stop()
	for _, s := range senders {
		select {
		case <-s.fl.done:
		case <-deadline.C:
		}
	}
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
	meta.Connections = r.cfg.Connections
	if meta.Pacer == "" {
		meta.Pacer = r.cfg.Pacer.String()
	}
	return total.Report(meta), nil
}

// progress calls cfg.Progress about once a second until the returned stop function is called.
func (r *runner) progress() (stop func()) {
	if r.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.cfg.Progress(Progress{
					Elapsed: time.Since(r.start), Offered: r.offered.Load(), Sent: r.sent.Load(),
					Verdicts: r.decided.Load(), Behind: r.behind.Load(),
				})
			}
		}
	}()
	return func() { close(done); wg.Wait() }
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

// sleepSlack is how far ahead of a record's schedule the sender stops sleeping: timers overshoot, so
// the last stretch is waited by yielding instead.
const sleepSlack = 50 * time.Microsecond

func (s *sender) loop(ctx context.Context) {
	defer s.tr.Close()
	r := s.r
	n := uint64(r.cfg.Connections)
	buf := make([]byte, 0, 64<<10)
	var failed error
	for k := uint64(0); ; k++ {
		seq := k*n + uint64(s.id)
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
			if !s.sleep(ctx, due) {
				break
			}
		}
		line, label := s.gen.Append(buf[:0], seq)
		buf = line[:0]
		s.rec.Offered(int64(due))
		r.offered.Add(1)
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
		if err := s.tr.Send(line); err != nil {
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

// sleep waits until the run's clock reaches due, or ctx is done (false).
func (s *sender) sleep(ctx context.Context, due time.Duration) bool {
	for {
		wait := due - time.Duration(s.r.now())
		if wait <= 0 {
			return true
		}
		if wait <= sleepSlack {
			runtime.Gosched()
			continue
		}
		t := time.NewTimer(wait - sleepSlack)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
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
}

// Close implements collector.Handler.
func (h *handler) Close(error) {
	if fl := h.flight(); fl != nil {
		fl.finish()
	}
}
