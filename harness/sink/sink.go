// Package sink receives what an external collector forwards and matches it to what a load run sent:
// the far end of `nssbench run --target … --sink …`.
//
//	generator ─► sender ─► external collector (syslog-ng, a SIEM's relay, …) ─► Sink ─► Tracker ─► recorder
//
// A Sink listens on TCP (LF framing or octet counting, per connection), UDP or HTTP (Cloud NSS-style JSON
// batches) and hands every record to a Tracker, which reads its record id (the CEF extension externalId,
// or a JSON field), maps the id back to the generator's sequence number, and counts it delivered,
// duplicated, reordered, foreign or unattributed. Latency is measured from the record's scheduled send
// time (the pacer's, a pure function of the sequence number) to its arrival; duplicates and losses come
// from a one-bit-per-record seen-set. Nothing else is kept per record.
//
// Conformance through the external pipeline: the run's ground truth says, per record, what the collector
// should do with it (Options.Expect). Arrivals and, after the drain, non-arrivals are checked against
// it, and the outcome is recorded as verdicts, drops, losses and mismatches, so the report's balance
// (offered = alerts + dropped + lost) holds for external runs too.
package sink

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/endpoint"
)

// Sink serves one listening address and feeds a Tracker. Its methods are safe for concurrent use.
type Sink struct {
	ln *collector.Listener
	t  *Tracker
	xs sync.Pool // *Extractor
}

// Listen binds addr — tcp://host:port, udp://host:port or http://host:port (port 0 picks a free one) —
// and hands every record received to t, timed on t's run clock. Stream records are read in the
// tracker's Options.Format; HTTP batches always as JSON objects.
func Listen(addr string, t *Tracker) (*Sink, error) {
	if err := checkScheme(addr); err != nil {
		return nil, err
	}
	s := &Sink{t: t}
	s.xs.New = func() any { return NewExtractor(t.opts) }
	cfg := collector.Config{MaxLine: t.opts.MaxLine, Now: t.now}
	ln, err := collector.Listen(addr, cfg, s.newHandler)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	s.ln = ln
	return s, nil
}

// checkScheme rejects what is not an address a sink serves: the collector's TLS schemes, for one.
func checkScheme(addr string) error {
	e, err := endpoint.Parse(addr, endpoint.TCP, endpoint.UDP, endpoint.TLS, endpoint.HTTP, endpoint.HTTPS)
	if err != nil {
		return fmt.Errorf("sink: %w", err)
	}
	if e.Scheme == endpoint.TLS || e.Scheme == endpoint.HTTPS {
		return fmt.Errorf("sink: address %q: a sink listens on tcp://, udp:// or http://", addr)
	}
	return nil
}

// URL returns the bound address with its scheme, e.g. "tcp://127.0.0.1:40123".
func (s *Sink) URL() string { return s.ln.URL() }

// Close stops listening after draining what has reached the host (see collector.Listener.Close).
func (s *Sink) Close() error { return s.ln.Close() }

// WaitConnected waits up to d for a collector to connect to a TCP sink, and reports whether one did.
// Collectors such as syslog-ng connect to their destination when they start and retry only every few
// seconds, so a run that starts before the connection measures the collector's retry interval as
// latency. It returns false at once for UDP and HTTP sinks, which have no lasting connection.
func (s *Sink) WaitConnected(d time.Duration) bool {
	if !strings.HasPrefix(s.ln.URL(), "tcp://") {
		return false
	}
	for end := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if s.ln.Stats().OpenConnections > 0 {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// handler feeds one stream's records to the tracker.
type handler struct {
	s *Sink
	x *Extractor
}

func (s *Sink) newHandler(collector.Conn) collector.Handler {
	return &handler{s: s, x: s.xs.Get().(*Extractor)}
}

// Record implements collector.Handler.
func (h *handler) Record(rec []byte, f collector.Format, received int64) {
	format := h.s.t.opts.Format
	if f == collector.FormatJSON {
		format = FormatJSON
	}
	h.s.t.Arrive(h.x, rec, format, received)
}

// Oversize implements collector.Handler.
func (h *handler) Oversize(received int64) { h.s.t.Oversize(received) }

// Close implements collector.Handler.
func (h *handler) Close(error) {
	h.s.xs.Put(h.x)
	h.x = nil
}
