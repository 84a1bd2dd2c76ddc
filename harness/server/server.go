// Package server runs the reference collector and platform pipeline standalone, as `nssbench collect`
// does: listeners hand records to per-stream deciders, every verdict goes to a sink, and counters that
// always balance (received = alerts + dropped) are exported for progress lines and Prometheus.
package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/verdict"
)

// Sink receives every verdict. Calls may come from many streams at once; v is valid only during the call.
type Sink interface {
	Verdict(c collector.Conn, v *verdict.Verdict) error
}

// Config describes a server.
type Config struct {
	Listen    []string // listener URLs, e.g. "tcp://127.0.0.1:5514", "udp://…", "tls://…", "http://…"
	Collector collector.Config
	Pipeline  *pipeline.Pipeline
	Sink      Sink // nil: verdicts are only counted
}

// Server is a running reference collector.
type Server struct {
	cfg       Config
	listeners []*collector.Listener
	counters  Counters
	sinkErr   atomic.Pointer[error]
}

// Start binds every listener and starts serving. On error, nothing is left listening.
func Start(cfg Config) (*Server, error) {
	if len(cfg.Listen) == 0 {
		return nil, errors.New("no listen address")
	}
	s := &Server{cfg: cfg}
	for _, addr := range cfg.Listen {
		ln, err := collector.Listen(addr, cfg.Collector, s.newHandler)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.listeners = append(s.listeners, ln)
	}
	return s, nil
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

// Close stops every listener, drains what was received and waits for the deciders. It returns the
// first error of closing or of writing to the sink.
func (s *Server) Close() error {
	var first error
	for _, ln := range s.listeners {
		if err := ln.Close(); err != nil && first == nil {
			first = err
		}
	}
	if p := s.sinkErr.Load(); p != nil && first == nil {
		first = fmt.Errorf("verdict sink: %w", *p)
	}
	return first
}

type handler struct {
	s    *Server
	conn collector.Conn
	dec  *pipeline.Decider
	v    verdict.Verdict
	line uint64
}

func (s *Server) newHandler(c collector.Conn) collector.Handler {
	s.counters.Streams.Add(1)
	return &handler{s: s, conn: c, dec: s.cfg.Pipeline.NewDecider()}
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
	h.v.Line = h.line
	h.s.counters.add(&h.v)
	if h.s.cfg.Sink != nil {
		if err := h.s.cfg.Sink.Verdict(h.conn, &h.v); err != nil {
			first := err // only a failing record moves a variable to the heap
			h.s.sinkErr.CompareAndSwap(nil, &first)
		}
	}
}

// Close implements collector.Handler.
func (h *handler) Close(err error) {
	if err != nil && !errors.Is(err, collector.ErrClosed) {
		h.s.counters.StreamErrors.Add(1)
	}
}

// Counters count what the server decided. Received = Alerts + Dropped at every quiescent moment.
type Counters struct {
	Streams      atomic.Uint64 // streams opened (connections, HTTP requests, the UDP socket)
	StreamErrors atomic.Uint64 // streams that ended with an error (broken framing, read errors)
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
// serialises concurrent streams; Flush writes what is buffered.
type JSONLines struct {
	mu  sync.Mutex
	w   *bufio.Writer
	buf []byte
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

// Flush writes buffered verdicts.
func (j *JSONLines) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.w.Flush()
}
