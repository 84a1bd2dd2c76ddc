// Package server runs the reference collector and platform pipeline standalone, as `nssbench collect`
// does: listeners hand records to per-stream deciders, every verdict goes to a sink, and counters that
// always balance (received = alerts + dropped) are exported for progress lines and Prometheus.
package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// Sink receives every verdict. Calls may come from many streams at once; v is valid only during the call.
type Sink interface {
	Verdict(c collector.Conn, v *verdict.Verdict) error
}

// Flusher is a Sink that buffers verdicts. The server flushes it every Config.FlushEvery while
// running and once more in Close, after the last verdict. Flush may be called concurrently with Verdict.
type Flusher interface {
	Flush() error
}

// Config describes a server.
type Config struct {
	Listen    []string // listener URLs, e.g. "tcp://127.0.0.1:5514", "udp://…", "tls://…", "http://…"
	Collector collector.Config
	Pipeline  *pipeline.Pipeline
	Sink      Sink // nil: verdicts are only counted
	// FlushEvery is how often a Sink that is a Flusher is flushed while the server runs, so that
	// readers can follow its output. 0: only in Close.
	FlushEvery time.Duration
}

// Server is a running reference collector.
type Server struct {
	cfg       Config
	listeners []*collector.Listener
	counters  Counters
	sinkErr   atomic.Pointer[error]
	sinkDown  chan struct{} // closed on the sink's first error
	udpIDs    idSpan        // record ids received over UDP, for the record-id gap estimate

	flushStop chan struct{} // closed to stop the periodic flush; nil when there is none
	flushDone chan struct{} // closed when the periodic flush has stopped
	stopOnce  sync.Once
}

// Start binds every listener and starts serving. On error, nothing is left listening.
func Start(cfg Config) (*Server, error) {
	if len(cfg.Listen) == 0 {
		return nil, errors.New("no listen address")
	}
	s := &Server{cfg: cfg, sinkDown: make(chan struct{})}
	for _, addr := range cfg.Listen {
		ln, err := collector.Listen(addr, cfg.Collector, s.newHandler)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.listeners = append(s.listeners, ln)
	}
	if f, ok := cfg.Sink.(Flusher); ok && cfg.FlushEvery > 0 {
		s.flushStop, s.flushDone = make(chan struct{}), make(chan struct{})
		go s.flushLoop(f, cfg.FlushEvery)
	}
	return s, nil
}

// flushLoop flushes f every interval until flushStop is closed.
func (s *Server) flushLoop(f Flusher, every time.Duration) {
	defer close(s.flushDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.flushStop:
			return
		case <-t.C:
			s.sinkFailed(f.Flush())
		}
	}
}

// sinkFailed keeps err if it is the sink's first error, and then closes sinkDown.
func (s *Server) sinkFailed(err error) {
	if err != nil {
		first := err // only a failure moves a variable to the heap
		if s.sinkErr.CompareAndSwap(nil, &first) && s.sinkDown != nil {
			close(s.sinkDown)
		}
	}
}

// SinkFailed is closed when writing or flushing a verdict to the sink first fails, so that the caller
// can stop at once rather than at Close: the verdicts decided after it are counted but not written.
// SinkErr then returns the error.
func (s *Server) SinkFailed() <-chan struct{} { return s.sinkDown }

// SinkErr returns the sink's first error, or nil.
func (s *Server) SinkErr() error {
	if p := s.sinkErr.Load(); p != nil {
		return fmt.Errorf("verdict sink: %w", *p)
	}
	return nil
}

// URLs returns the bound address of each listener, in the order given, e.g. "tcp://127.0.0.1:40123".
func (s *Server) URLs() []string {
	urls := make([]string, len(s.listeners))
	for i, ln := range s.listeners {
		urls[i] = ln.URL()
	}
	return urls
}

// Counters returns the live counters. They may be read at any time from any goroutine.
func (s *Server) Counters() *Counters { return &s.counters }

// Listeners returns the listeners, for their wire statistics.
func (s *Server) Listeners() []*collector.Listener { return s.listeners }

// String is a one-line summary for progress output: the counters and, when there are UDP listeners,
// the kernel's count of datagrams they lost to a full receive buffer ("; udp drops N", or
// "; udp drops unavailable" when a UDP listener has no such counter: not Linux, /proc unreadable),
// followed, when UDP records carried record ids, by the ids missing from their span ("(record-id gaps
// N)"), the estimate of loss that needs no kernel counter. Each call reads /proc once per UDP listener.
func (s *Server) String() string {
	line := s.counters.String()
	var drops int64
	udp, known := 0, true
	for _, ln := range s.listeners {
		if ln.Transport() != "udp" {
			continue
		}
		udp++
		if n := ln.Stats().UDPDrops; n >= 0 {
			drops += n
		} else {
			known = false
		}
	}
	if udp == 0 {
		return line
	}
	if known {
		line = fmt.Sprintf("%s; udp drops %d", line, drops)
	} else {
		line += "; udp drops unavailable"
	}
	if gaps, ok := s.udpIDs.gaps(); ok {
		line = fmt.Sprintf("%s (record-id gaps %d)", line, gaps)
	}
	return line
}

// Close stops every listener, drains what was received, waits for the deciders and flushes a Flusher
// sink. It returns the first error of closing or of writing to the sink. Later calls only repeat the
// flush and the error.
func (s *Server) Close() error {
	var first error
	for _, ln := range s.listeners {
		if err := ln.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.stopOnce.Do(func() {
		if s.flushStop != nil {
			close(s.flushStop)
			<-s.flushDone
		}
	})
	if f, ok := s.cfg.Sink.(Flusher); ok {
		s.sinkFailed(f.Flush())
	}
	if first == nil {
		first = s.SinkErr()
	}
	return first
}

type handler struct {
	s    *Server
	conn collector.Conn
	udp  bool // the stream is a UDP listener's
	dec  *pipeline.Decider
	v    verdict.Verdict
	line uint64
}

func (s *Server) newHandler(c collector.Conn) collector.Handler {
	s.counters.Streams.Add(1)
	return &handler{s: s, conn: c, udp: c.Transport == "udp", dec: s.cfg.Pipeline.NewDecider()}
}

// Record implements collector.Handler.
func (h *handler) Record(rec []byte, f collector.Format, _ int64) {
	h.v.Reset()
	if f == collector.FormatJSON {
		h.dec.DecideJSON(rec, &h.v)
	} else {
		h.dec.Decide(rec, &h.v)
	}
	h.done()
}

// Oversize implements collector.Handler.
func (h *handler) Oversize(int64) {
	h.v.Reset()
	h.dec.DecideOversize(&h.v)
	h.done()
}

func (h *handler) done() {
	h.line++
	h.v.Line, h.v.Conn = h.line, h.conn.ID
	h.s.counters.add(&h.v)
	if h.udp {
		if id, ok := parseID(h.v.RecordID); ok && h.v.Reason != verdict.ReasonMalformed {
			h.s.udpIDs.add(id)
		} else {
			h.s.udpIDs.noID()
		}
	}
	if h.s.cfg.Sink != nil {
		h.s.sinkFailed(h.s.cfg.Sink.Verdict(h.conn, &h.v))
	}
}

// Close implements collector.Handler.
func (h *handler) Close(err error) {
	if err != nil && !errors.Is(err, collector.ErrClosed) && !errors.Is(err, collector.ErrIdle) {
		h.s.counters.StreamErrors.Add(1)
	}
}

// Counters count what the server decided. Received = Alerts + Dropped at every quiescent moment.
type Counters struct {
	Streams      atomic.Uint64 // streams opened (connections, HTTP requests, the UDP socket)
	StreamErrors atomic.Uint64 // streams that ended with an error (broken framing, read errors; not the listener's close or an idle timeout)
	Received     atomic.Uint64 // records decided
	Alerts       atomic.Uint64
	Mapped       atomic.Uint64
	Dropped      atomic.Uint64
	reasons      [8]atomic.Uint64 // by verdict.Reason
	details      [8]atomic.Uint64 // malformed, by verdict.Detail
}

func (c *Counters) add(v *verdict.Verdict) {
	c.Received.Add(1)
	switch v.Kind {
	case verdict.KindAlert:
		c.Alerts.Add(1)
		if v.Threat != nil {
			c.Mapped.Add(1)
		}
	case verdict.KindDropped:
		c.Dropped.Add(1)
		c.reasons[v.Reason].Add(1)
		if v.Reason == verdict.ReasonMalformed {
			c.details[v.Detail].Add(1)
		}
	}
}

// Reason returns how many records were dropped for r.
func (c *Counters) Reason(r verdict.Reason) uint64 { return c.reasons[r].Load() }

// Detail returns how many records were dropped as malformed with detail d.
func (c *Counters) Detail(d verdict.Detail) uint64 { return c.details[d].Load() }

// String is a one-line summary for progress output.
func (c *Counters) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "received %d: alerts %d (mapped %d), dropped %d", c.Received.Load(), c.Alerts.Load(), c.Mapped.Load(), c.Dropped.Load())
	for _, r := range verdict.Reasons() {
		if n := c.Reason(r); n > 0 {
			fmt.Fprintf(&b, " %s=%d", r, n)
		}
	}
	return b.String()
}

// JSONLines is a Sink writing one verdict record per line (PIPELINE.md's shape) to a writer. It
// serialises concurrent streams and buffers 256 KiB; Flush writes what is buffered, and a Server
// flushes it every Config.FlushEvery.
type JSONLines struct {
	mu  sync.Mutex
	w   *bufio.Writer
	buf []byte
}

var (
	_ Sink    = (*JSONLines)(nil)
	_ Flusher = (*JSONLines)(nil)
)

// CreateJSONLines returns a JSON-lines sink on the file at path, created or truncated, or on stdout
// when path is "-", and the function that closes its file (nothing for stdout), to call once the
// server is closed.
func CreateJSONLines(path string, stdout io.Writer) (*JSONLines, func() error, error) {
	if path == "-" {
		return NewJSONLines(stdout), func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return NewJSONLines(f), f.Close, nil
}

// NewJSONLines returns a JSON-lines sink on w.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{w: bufio.NewWriterSize(w, 256<<10)} }

// Verdict implements Sink.
func (j *JSONLines) Verdict(_ collector.Conn, v *verdict.Verdict) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.buf = append(v.AppendJSON(j.buf[:0]), '\n')
	_, err := j.w.Write(j.buf)
	return err
}

// Flush writes every buffered verdict to the writer, so that it holds whole lines only. It may be
// called concurrently with Verdict.
func (j *JSONLines) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.w.Flush()
}

// Watch calls report with the server's stats line (String) every interval (never when 0) until ctx is
// done or the server's sink fails; then it returns the sink's error, nil when ctx ended it.
func (s *Server) Watch(ctx context.Context, every time.Duration, report func(stats string)) error {
	var tick <-chan time.Time
	if every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.SinkFailed():
			return s.SinkErr()
		case <-tick:
			report(s.String())
		}
	}
}
