// Package transport holds the senders: the generator's side of the wire, for every kind of target. A
// Sender frames records and writes them to a collector over TCP, TLS or UDP, or posts them in Cloud NSS
// JSON batches over HTTP(S), without allocating per record; the embedded run and external runs use the
// same Senders. A Sender given a Ledger also says what became of the records beyond its sight: which were
// lost at send and why, how many were written but unacknowledged when a connection broke (at risk), and
// which it carried again.
package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/nssbench/nssbench/harness/endpoint"
	"github.com/nssbench/nssbench/harness/framing"
)

// Sender writes records to one target: a collector connection, a UDP socket or an HTTP endpoint. Its
// methods are called from one goroutine, except Interrupt and Written, which may be called from any.
type Sender interface {
	// Send frames rec (a record without a trailing LF) and buffers it, writing the buffer when it is full
	// (a stream sender writes on its own goroutine, so a write error may surface on a later call). seq
	// names the record to the Ledger and in Broke's result (callers without a Ledger may pass anything).
	// rec may be reused when Send returns. It blocks while the collector applies backpressure (up to
	// WriteTimeout, if set). A record the Sender refuses without harm to itself (ErrNewline, ErrTooLarge,
	// a datagram the socket refused) is reported to the Ledger as lost at send and Send returns nil; without
	// a Ledger Send returns the refusal. Any other error means the connection broke and is final until
	// Broke and a successful Reconnect.
	Send(seq uint64, rec []byte) error
	// Flush writes the buffered records, or hands them to the sender's writer; Drain and Close wait for
	// it. An HTTP sender posts its batch once the batch has waited HTTPOptions.BatchWait.
	Flush() error
	// Drain flushes and waits until what was handed over is written; its error is a broken connection,
	// as Send's.
	Drain() error
	// Broke closes a broken connection and returns the records handed to Send that were not wholly
	// written (valid until the next call to the Sender). Records written but not acknowledged by the
	// peer's TCP are reported to the Ledger as at risk.
	Broke() (unwritten []uint64)
	// Stalled reports whether the last break was a write that timed out: the collector stopped reading.
	Stalled() bool
	// Reconnect makes one attempt, within DialTimeout, to connect again after Broke.
	Reconnect(ctx context.Context) error
	// Interrupt makes a blocked write or request return at once and every later one fail. It may be
	// called at any time, more than once.
	Interrupt()
	// Close flushes and closes. A stream sender returns the first write error (the records it could not
	// write are then returned by Broke); an HTTP sender posts its last batch and reports its fate to the
	// Ledger.
	Close() error
	// Written is the number of records handed to the kernel so far: a stream sender counts a buffer's
	// records once the whole buffer has been written (a buffer cut by a write error is not counted,
	// though part of it may have reached the peer); the UDP sender counts datagrams sent, the HTTP sender
	// records in batches answered 200 or 204.
	Written() int64
	// LocalAddr is the sender's own address, as the collector sees it as the connection's remote (nil
	// for HTTP, whose connections come and go).
	LocalAddr() net.Addr
}

// Buffered is implemented by Senders that let the caller render a record straight into their send
// buffer, which saves Send's copy of it. Buffer returns an empty slice with room for at least n bytes
// of the buffer's free space (nil when the Sender has none to offer: octet framing, no connection, n
// larger than its buffers); the caller appends one record to it and passes the result to Send, which
// frames it where it lies. A record that outgrew the room (append moved it) or that Send refuses is
// handled as any other. Buffer may hand the buffer to the writer first, so it may block as Send does.
// The stream senders (tcp://, tls://) implement it.
type Buffered interface {
	Buffer(n int) []byte
}

// Ledger is where a Sender reports what happened to records beyond the caller's sight. It is called
// from the goroutine that calls the Sender's methods.
type Ledger interface {
	// Lost counts record seq as lost at send for cause: it will not be sent again.
	Lost(seq uint64, cause string)
	// AtRisk counts n records written but unacknowledged when their connection broke, or in an HTTP
	// request that failed after it may have reached the collector.
	AtRisk(n uint64)
	// Retried counts one repeated request carrying n records again.
	Retried(n uint64)
}

// Causes a Sender reports records lost at send for (Ledger.Lost).
const (
	LostSendError      = "send_error"      // the sender refused the record, or its connection broke and was not re-established
	LostInterrupted    = "interrupted"     // the run was interrupted while the record waited to be written
	LostNotSent        = "not_sent"        // the run's time (schedule + drain) was over before it was sent
	LostHTTP400        = "http_400"        // its Cloud NSS batch was answered 400: NSS drops such a batch
	LostRetryExhausted = "retry_exhausted" // its batch was retried for the whole retry window, or until the run's end, without success
)

// Options configure Dial. The zero value sends LF-framed records through buffers of 64 KiB that grow to
// 1 MiB on a connection that runs flat out.
type Options struct {
	// Framing is "lf" (default) or "octet" (RFC 6587 octet counting) for tcp:// and tls://. For udp://
	// it must be "" or "lf": a datagram is one record, sent without a terminator.
	Framing string
	// TLS configures tls:// (nil: system roots, server name from the target).
	TLS *tls.Config
	// BufferSize bounds the stream write buffer in bytes; 0 means 1 MiB. A stream sender starts with
	// 64 KiB (BufferSize if smaller); each buffer that fills up doubles the size, up to BufferSize, and
	// each Flush of a partly filled one halves it, down to the start: a connection running flat out
	// makes fewer, larger writes (docs/PERFORMANCE.md measures the gain), a paced one keeps small
	// buffers and its latency. A record larger than the buffer is written on its own.
	BufferSize int
	// DialTimeout bounds connecting, including the TLS handshake; 0 means 5 s.
	DialTimeout time.Duration
	// WriteTimeout bounds each write (a buffer for streams, a datagram for UDP, a request for HTTP); 0
	// means none, so that a slow collector slows the sender instead of failing it.
	WriteTimeout time.Duration
	// Deadline, when set, returns a time after which nothing is written (the zero Time for none): stream
	// writes, HTTP requests and their retries end by it, whatever WriteTimeout says. An HTTP batch not
	// answered by then is lost: LostNotSent if it was never attempted, else LostRetryExhausted.
	Deadline func() time.Time
	// Ledger, when set, is told what became of records beyond Send's return (see Ledger). A stream sender
	// with a Ledger also tracks which records each write carried and, on Linux, how much of the
	// connection the peer has acknowledged.
	Ledger Ledger
	// HTTP tunes http:// and https:// targets.
	HTTP HTTPOptions
}

const (
	defaultBufferSize  = 1 << 20
	initialBufferSize  = 64 << 10
	defaultDialTimeout = 5 * time.Second
	// maxDatagram is the largest UDP payload over IPv4.
	maxDatagram = 65507
)

func (o Options) withDefaults() Options {
	if o.Framing == "" {
		o.Framing = "lf"
	}
	if o.BufferSize <= 0 {
		o.BufferSize = defaultBufferSize
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = defaultDialTimeout
	}
	if o.Deadline == nil {
		o.Deadline = func() time.Time { return time.Time{} }
	}
	o.HTTP = o.HTTP.withDefaults()
	return o
}

// String shows what a Sender will do (defaults filled in).
func (o Options) String() string {
	d := o.withDefaults()
	wt := "none"
	if d.WriteTimeout > 0 {
		wt = d.WriteTimeout.String()
	}
	return fmt.Sprintf("Options{Framing: %s, TLS: %t, BufferSize: %d, DialTimeout: %v, WriteTimeout: %s}",
		d.Framing, d.TLS != nil, d.BufferSize, d.DialTimeout, wt)
}

// ErrNewline is returned by Send (without a Ledger), without harming the Sender, for a record that LF
// framing cannot carry because it contains a line feed.
var ErrNewline = errors.New("transport: record contains a line feed, which LF framing cannot carry")

// errInterrupted is returned by a Sender's writes after Interrupt.
var errInterrupted = errors.New("transport: interrupted")

// ErrTooLarge is returned by the UDP Sender's Send (without a Ledger), without harming it, for a record
// over 65,507 bytes.
var ErrTooLarge = errors.New("transport: record too large for a UDP datagram")

// Dial connects to target ("tcp://host:port", "tls://host:port", "udp://host:port" or
// "http(s)://host:port/path") and returns a Sender. Errors name the target and the cause and come within
// DialTimeout (or when ctx ends). A UDP target is not contacted: an unreachable one shows up later as
// Send errors (ICMP refusals) or not at all. An HTTP target is connected to once, to check it is up.
func Dial(ctx context.Context, target string, opts Options) (Sender, error) {
	opts = opts.withDefaults()
	e, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	if e.IsHTTP() {
		return dialHTTP(ctx, target, e, opts)
	}
	f, err := framing.ParseFraming(opts.Framing)
	if err != nil {
		return nil, fmt.Errorf("transport: %s: %w", target, err)
	}
	if e.Scheme == endpoint.UDP {
		if f != framing.FramingLF {
			return nil, fmt.Errorf("transport: %s: framing %q is for streams; a UDP datagram carries one record", target, opts.Framing)
		}
		conn, err := dial(ctx, target, e.Scheme, e.HostPort, opts)
		if err != nil {
			return nil, err
		}
		return &datagramSender{target: target, conn: conn, writeTimeout: opts.WriteTimeout, led: opts.Ledger}, nil
	}
	s := newStreamSender(target, f, opts)
	s.scheme, s.hostport = e.Scheme, e.HostPort
	if err := s.Reconnect(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseTarget parses a target address, checking that Dial can send to it.
func ParseTarget(target string) (endpoint.Endpoint, error) {
	e, err := endpoint.ParseTarget(target, endpoint.TCP, endpoint.TLS, endpoint.UDP, endpoint.HTTP, endpoint.HTTPS)
	if err != nil {
		return endpoint.Endpoint{}, fmt.Errorf("transport: %w", err)
	}
	return e, nil
}

// dial connects to hostport (scheme tcp, tls or udp) within opts.DialTimeout.
func dial(ctx context.Context, target, scheme, hostport string, opts Options) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, opts.DialTimeout)
	defer cancel()
	nd := &net.Dialer{}
	var conn net.Conn
	var err error
	switch scheme {
	case endpoint.TCP, endpoint.UDP:
		conn, err = nd.DialContext(ctx, scheme, hostport)
	case endpoint.TLS:
		conn, err = (&tls.Dialer{NetDialer: nd, Config: opts.TLS}).DialContext(ctx, "tcp", hostport)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return nil, fmt.Errorf("transport: cannot connect to %s within %v: %w", target, opts.DialTimeout, err)
		}
		return nil, fmt.Errorf("transport: cannot connect to %s: %w", target, err)
	}
	return conn, nil
}

// isTimeout reports whether err is a timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
