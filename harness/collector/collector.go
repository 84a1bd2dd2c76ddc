// Package collector is the wire side of the embedded reference collector: listeners that accept NSS
// log streams (TCP, TLS, UDP, Cloud NSS HTTP(S) POSTs), frame them into records and hand each record
// to a Handler. It does not parse records; the caller wires handlers to the pipeline.
//
// TCP and TLS (tcp://, tls://): one Conn and Handler per connection. LF framing or RFC 6587 octet
// counting is detected per connection (package framing). Records are handed over in the connection's
// goroutine as they are read, so a slow handler slows reading and, through TCP flow control, the
// sender: no queue, no drops. Broken octet counting ends the connection (it cannot be resynchronised).
//
// UDP (udp://): one Conn and Handler for the socket, with Remote nil, made by Listen. One datagram is
// one record; one trailing LF (or CRLF) is stripped. Datagrams the kernel drops for a full receive
// buffer are counted in Stats.UDPDrops where the kernel tells (Linux).
//
// Cloud NSS (http://, https://): POSTs to any path; one Conn and Handler per request, Remote the client.
//   - With Config.HTTPAuth, a request without an accepted credential header gets 401, unread.
//   - POST only, else 405 (with Allow: POST).
//   - Content-Encoding none, identity, gzip or x-gzip, else 415. A body over Config.MaxBody (after
//     decompression) gets 413, as does a batch of more than Config.MaxRecords objects.
//   - Memory is bounded by Config.HTTPBudget and work by Config.MaxRequests: a request that finds no
//     room within HTTPQueueWait gets 503 with Retry-After. A body still arriving at HTTPReadTimeout
//     gets 408.
//   - The body is a JSON array of objects (NSS's "JSON Array Notation") or whitespace-separated
//     objects (NDJSON). It is validated whole first: an unparseable body (or a corrupt gzip stream) gets
//     400 and no Handler is made, as NSS drops a batch answered 400.
//   - Otherwise each object, as sent, is one FormatJSON record (an object over MaxLine is reported as
//     Oversize), in order, then Close(nil). The response (200, empty body; NSS treats 200 and 204 as
//     done) is written after the Handler is done, so a slow handler slows the sender.
//   - A request arriving after Close has begun gets 503.
//
// Every TCP, TLS and HTTP(S) listener caps its open connections (Config.MaxConnections: one beyond is
// closed at once) and closes idle ones (Config.IdleTimeout). TLS listeners speak TLS 1.2 (ECDHE AEAD
// suites only, unless Config.TLS names its own) and 1.3; ClientCAs and ClientAuth in Config.TLS make
// them require client certificates.
package collector

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/nssbench/nssbench/harness/endpoint"
	"github.com/nssbench/nssbench/harness/framing"
)

// Format names the grammar of a record handed to a Handler.
type Format uint8

// The record formats.
const (
	FormatCEF  Format = iota + 1 // a syslog/CEF line from a TCP, TLS or UDP stream
	FormatJSON                   // one Cloud NSS JSON object from an HTTP(S) POST
)

// String returns "cef" or "json".
func (f Format) String() string {
	switch f {
	case FormatCEF:
		return "cef"
	case FormatJSON:
		return "json"
	}
	return "unknown"
}

// Conn identifies one record stream: a TCP or TLS connection, the UDP socket, or one HTTP request.
type Conn struct {
	ID        uint64   // unique within a Listener, from 1, in order of arrival
	Transport string   // "tcp", "tls", "udp", "http" or "https"
	Remote    net.Addr // the peer; nil for UDP (one stream for all sources)
}

// Handler receives one stream's records. A Handler's methods are called from one goroutine, in stream
// order, and Close exactly once, last.
//
// received is the time the record was read from the wire, from Config.Now (default
// time.Now().UnixNano()). For TCP and TLS it is the time of the read that completed the record (one
// read brings up to 256 KiB), for UDP the datagram's, for HTTP the time the request body was read.
type Handler interface {
	// Record handles one record, without its framing. rec is valid only during the call.
	Record(rec []byte, f Format, received int64)
	// Oversize reports a record that exceeded Config.MaxLine and was skipped.
	Oversize(received int64)
	// Close ends the stream: err is nil on a clean end (EOF, the end of an HTTP batch, the UDP socket
	// closed by Listener.Close), ErrClosed when Listener.Close cut a stream that was still open, a
	// *framing.FrameError for broken octet counting, or the read error.
	Close(err error)
}

// NewHandler makes the Handler for a new stream. It is called from the stream's goroutine (from Listen
// for UDP); calls for different streams may be concurrent.
type NewHandler func(c Conn) Handler

// ErrClosed is the error a Handler's Close receives when Listener.Close ended its stream: the records
// read before the drain ended have been handed over; a partial record was discarded.
var ErrClosed = errors.New("collector: listener closed")

// Config tunes a Listener. The zero value is usable for tcp://, udp:// and http://.
type Config struct {
	// MaxLine is the record length limit in bytes, without framing; longer records are skipped and
	// reported through Handler.Oversize. 0 means framing.DefaultMaxLen (64 KiB). For HTTP it applies to
	// each JSON object.
	MaxLine int
	// TLS is the server configuration for tls:// and https://; it must carry a certificate.
	TLS *tls.Config
	// ReadBuffer sets the socket receive buffer (SO_RCVBUF) in bytes. For UDP 0 means 8 MiB; the
	// kernel caps it at net.core.rmem_max (Linux) without an error. For TCP 0 keeps the kernel's
	// autotuning.
	ReadBuffer int
	// MaxBody is the largest HTTP request body in bytes, after gzip decompression; larger bodies get
	// 413. 0 means 32 MiB.
	MaxBody int
	// HandshakeTimeout bounds a TLS handshake. 0 means 10 s.
	HandshakeTimeout time.Duration
	// DrainIdle: during Close, a stream's drain ends once no data has arrived for this long. 0 means
	// 100 ms.
	DrainIdle time.Duration
	// DrainTimeout bounds Close's drain of all streams. 0 means 5 s.
	DrainTimeout time.Duration
	// Now returns the received time handed to Handlers, in nanoseconds. nil means
	// time.Now().UnixNano(). It must be safe for concurrent use.
	Now func() int64

	// Limits (see limits.go for the mechanics and Stats for their counters).

	// MaxConnections caps the TCP, TLS and HTTP(S) connections open at once; one beyond it is closed
	// as soon as it is accepted and counted in Stats.Refused. 0 means no cap.
	MaxConnections int
	// IdleTimeout closes a TCP or TLS stream on which nothing has arrived for this long (its Handler's
	// Close gets ErrIdle) and an HTTP keep-alive connection waiting as long for its next request, both
	// counted in Stats.IdleClosed. 0 means 5 min; negative means never (HTTP keep-alives: they wait at
	// most HTTPReadTimeout).
	IdleTimeout time.Duration
	// HTTPBudget bounds the memory of all HTTP requests at once: their bodies as sent, decompressed,
	// and the index of their objects, in bytes. A request waits up to HTTPQueueWait for its share, then
	// gets 503 with Retry-After. 0 means 64 MiB.
	HTTPBudget int64
	// MaxRequests caps the HTTP requests being decoded and handed over at once (a request takes its
	// slot once its body has arrived); one beyond waits up to HTTPQueueWait, then gets 503. 0 means 64.
	MaxRequests int
	// HTTPQueueWait is how long a request may wait, in all, for its budget and its slot. 0 means 5 s.
	HTTPQueueWait time.Duration
	// MaxRecords caps the JSON objects of one HTTP request; a batch of more gets 413. 0 means 100,000.
	MaxRecords int
	// HTTPReadTimeout bounds reading a whole request, headers and body; a body still arriving then
	// gets 408 (counted in Stats.HTTPTimeouts). 0 means 1 min. Headers alone have 10 s.
	HTTPReadTimeout time.Duration
	// HTTPWriteTimeout bounds writing a response to a client that does not read it. 0 means 10 s.
	HTTPWriteTimeout time.Duration
	// HTTPAuth, when not empty, is the set of accepted credentials: a request must carry one of these
	// headers with exactly its value (compared in constant time), else it gets 401 (counted in
	// Stats.HTTPUnauthorized) and its body is never read. See ParseHTTPAuth.
	HTTPAuth []HTTPHeader
}

const (
	defaultUDPReadBuffer    = 8 << 20
	defaultMaxBody          = 32 << 20
	defaultHandshakeTimeout = 10 * time.Second
	defaultDrainIdle        = 100 * time.Millisecond
	defaultDrainTimeout     = 5 * time.Second
	defaultIdleTimeout      = 5 * time.Minute
	defaultHTTPBudget       = 64 << 20
	defaultMaxRequests      = 64
	defaultHTTPQueueWait    = 5 * time.Second
	defaultMaxRecords       = 100_000
	defaultHTTPReadTimeout  = time.Minute
	defaultHTTPWriteTimeout = 10 * time.Second
)

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.MaxLine <= 0 {
		c.MaxLine = framing.DefaultMaxLen
	}
	if c.MaxBody <= 0 {
		c.MaxBody = defaultMaxBody
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = defaultHandshakeTimeout
	}
	if c.DrainIdle <= 0 {
		c.DrainIdle = defaultDrainIdle
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = defaultDrainTimeout
	}
	if c.Now == nil {
		c.Now = func() int64 { return time.Now().UnixNano() }
	}
	c.IdleTimeout = orDefault(c.IdleTimeout, defaultIdleTimeout)
	c.HTTPBudget = orDefault(c.HTTPBudget, defaultHTTPBudget)
	c.MaxRequests = orDefault(c.MaxRequests, defaultMaxRequests)
	c.HTTPQueueWait = orDefault(c.HTTPQueueWait, defaultHTTPQueueWait)
	c.MaxRecords = orDefault(c.MaxRecords, defaultMaxRecords)
	c.HTTPReadTimeout = orDefault(c.HTTPReadTimeout, defaultHTTPReadTimeout)
	c.HTTPWriteTimeout = orDefault(c.HTTPWriteTimeout, defaultHTTPWriteTimeout)
	return c
}

// orDefault returns def for a zero v.
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// String shows the configuration a Listener runs with (defaults filled in).
func (c Config) String() string {
	d := c.withDefaults()
	rb := "kernel"
	if d.ReadBuffer > 0 {
		rb = fmt.Sprint(d.ReadBuffer)
	}
	return fmt.Sprintf("Config{MaxLine: %d, TLS: %t, ReadBuffer: %s, MaxBody: %d, HandshakeTimeout: %v, DrainIdle: %v, DrainTimeout: %v, "+
		"MaxConnections: %d, IdleTimeout: %v, HTTPBudget: %d, MaxRequests: %d, HTTPQueueWait: %v, MaxRecords: %d, "+
		"HTTPReadTimeout: %v, HTTPWriteTimeout: %v, HTTPAuth: %d}",
		d.MaxLine, d.TLS != nil, rb, d.MaxBody, d.HandshakeTimeout, d.DrainIdle, d.DrainTimeout,
		d.MaxConnections, d.IdleTimeout, d.HTTPBudget, d.MaxRequests, d.HTTPQueueWait, d.MaxRecords,
		d.HTTPReadTimeout, d.HTTPWriteTimeout, len(d.HTTPAuth))
}

// parseAddr splits "scheme://host:port" into a transport and a host:port to bind, with an empty host
// meaning 127.0.0.1. http(s) addresses may carry a path, which is ignored: every path is served.
func parseAddr(addr string) (transport, hostport string, err error) {
	e, err := endpoint.Parse(addr, endpoint.TCP, endpoint.UDP, endpoint.TLS, endpoint.HTTP, endpoint.HTTPS)
	if err != nil {
		return "", "", fmt.Errorf("collector: %w", err)
	}
	if e.Host == "" {
		e.HostPort = net.JoinHostPort("127.0.0.1", e.Port)
	}
	return e.Scheme, e.HostPort, nil
}

// checkTLS reports whether cfg can serve TLS.
func checkTLS(addr string, cfg *tls.Config) error {
	if cfg == nil || (len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil) {
		return fmt.Errorf("collector: address %q: Config.TLS must carry a certificate", addr)
	}
	return nil
}

// isTimeout reports whether err is a deadline expiry.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// drainDeadline is the read deadline while closing: DrainIdle from now, but no later than the end of
// the drain.
func (l *Listener) drainDeadline() time.Time {
	d := time.Now().Add(l.cfg.DrainIdle)
	if d.After(l.drainEnd) {
		return l.drainEnd
	}
	return d
}

// joinNonNil joins errors, ignoring net.ErrClosed-style noise from closing what is being closed.
func joinNonNil(errs ...error) error {
	var keep []error
	for _, e := range errs {
		if e != nil && !errors.Is(e, net.ErrClosed) {
			keep = append(keep, e)
		}
	}
	return errors.Join(keep...)
}

// trimTrailingNewline strips one trailing LF, and a CR before it.
func trimTrailingNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}
