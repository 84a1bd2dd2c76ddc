// Package transport holds the senders: the generator's side of the wire. A Sender frames records and
// writes them to a collector over TCP, TLS or UDP, without allocating per record.
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

// Sender writes records to one collector connection (one UDP socket). Send, Flush and Close must not
// be called concurrently; Written may be called from any goroutine.
type Sender interface {
	// Send frames rec (a record without a trailing LF) and buffers it, writing the buffer when it is
	// full (a stream sender writes on its own goroutine, so a write error may surface on a later call). rec may be reused when Send returns. It blocks while the collector applies backpressure
	// (up to WriteTimeout, if set). A write error is final: later calls return it again.
	Send(rec []byte) error
	// Flush writes the buffered records, or hands them to the sender's writer; Close waits for it.
	Flush() error
	// Close flushes and closes the connection.
	Close() error
	// Written is the number of records handed to the kernel so far: a stream sender counts a buffer's
	// records once the whole buffer has been written (a buffer cut by a write error is not counted,
	// though part of it may have reached the peer); the UDP sender counts datagrams sent.
	Written() int64
	// LocalAddr is the sender's own address, as the collector sees it as the connection's remote.
	LocalAddr() net.Addr
}

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
	// WriteTimeout bounds each write (a buffer for streams, a datagram for UDP); 0 means none, so that
	// a slow collector slows the sender instead of failing it.
	WriteTimeout time.Duration
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

// ErrNewline is returned by Send, without harming the Sender, for a record that LF framing cannot carry
// because it contains a line feed.
var ErrNewline = errors.New("transport: record contains a line feed, which LF framing cannot carry")

// ErrTooLarge is returned by the UDP Sender's Send, without harming it, for a record over 65,507 bytes.
var ErrTooLarge = errors.New("transport: record too large for a UDP datagram")

// Dial connects to target ("tcp://host:port", "tls://host:port" or "udp://host:port") and returns a
// Sender. Errors name the target and the cause and come within DialTimeout (or when ctx ends). A UDP
// target is not contacted: an unreachable one shows up later as Send errors (ICMP refusals) or not at
// all.
func Dial(ctx context.Context, target string, opts Options) (Sender, error) {
	opts = opts.withDefaults()
	scheme, hostport, err := parseTarget(target)
	if err != nil {
		return nil, err
	}
	f, err := framing.ParseFraming(opts.Framing)
	if err != nil {
		return nil, fmt.Errorf("transport: %s: %w", target, err)
	}
	if scheme == "udp" && f != framing.FramingLF {
		return nil, fmt.Errorf("transport: %s: framing %q is for streams; a UDP datagram carries one record", target, opts.Framing)
	}
	ctx, cancel := context.WithTimeout(ctx, opts.DialTimeout)
	defer cancel()
	nd := &net.Dialer{}
	var conn net.Conn
	switch scheme {
	case "tcp", "udp":
		conn, err = nd.DialContext(ctx, scheme, hostport)
	case "tls":
		conn, err = (&tls.Dialer{NetDialer: nd, Config: opts.TLS}).DialContext(ctx, "tcp", hostport)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return nil, fmt.Errorf("transport: cannot connect to %s within %v: %w", target, opts.DialTimeout, err)
		}
		return nil, fmt.Errorf("transport: cannot connect to %s: %w", target, err)
	}
	if scheme == "udp" {
		return &datagramSender{target: target, conn: conn, writeTimeout: opts.WriteTimeout}, nil
	}
	return newStreamSender(target, conn, f, opts.BufferSize, opts.WriteTimeout), nil
}

// parseTarget parses a stream or datagram target, "scheme://host:port".
func parseTarget(target string) (scheme, hostport string, err error) {
	e, err := endpoint.ParseTarget(target, endpoint.TCP, endpoint.TLS, endpoint.UDP)
	if err != nil {
		return "", "", fmt.Errorf("transport: %w", err)
	}
	return e.Scheme, e.HostPort, nil
}

// isTimeout reports whether err is a timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
