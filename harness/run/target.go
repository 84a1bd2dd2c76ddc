package run

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/nssbench/nssbench/harness/transport"
)

// target is one sender's connection to an external collector. Its methods are called from the sender's
// goroutine, except interrupt.
type target interface {
	// send writes or buffers record seq (rec may be reused when it returns). An error means the
	// connection broke: call broke, then reconnect.
	send(seq uint64, rec []byte) error
	// flush writes what is buffered; an error means the connection broke.
	flush() error
	// broke closes a broken connection and returns the records handed to send that were not written
	// (valid until the next call to the target). Records written but unacknowledged are reported to the
	// ledger as at risk.
	broke() (unwritten []uint64)
	// stalled reports whether the last break was a write that timed out: the collector stopped reading.
	stalled() bool
	// reconnect makes one attempt to connect again.
	reconnect(ctx context.Context) error
	// interrupt makes a blocked write or request return at once and every later one fail. It may be
	// called from any goroutine, at any time, more than once.
	interrupt()
	// close flushes and closes; records it cannot write are reported to the ledger (or returned by broke
	// after an error).
	close() error
}

// ledger is where a target reports what happened to records beyond the sender's sight.
type ledger interface {
	// lost counts record seq as lost at send for cause: it will not be sent again.
	lost(seq uint64, cause string)
	// atRisk counts n records written but unacknowledged when their connection broke.
	atRisk(n uint64)
	// retried counts one repeated connection or request carrying n records again.
	retried(n uint64)
}

// errInterrupted is returned by a target's writes after interrupt.
var errInterrupted = errors.New("run: interrupted")

// dialTimeout bounds each connection attempt to an external target, including a TLS handshake.
const dialTimeout = 5 * time.Second

// ParseTarget parses an external target address (Config.Target), checking that Run can send to it.
func ParseTarget(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("target %q: want tcp://, tls://, udp://host:port or http(s)://host:port[/path]", target)
	}
	switch u.Scheme {
	case "tcp", "tls", "udp", "http", "https":
		return u, nil
	}
	return nil, fmt.Errorf("target %q: unknown scheme %q; want tcp, tls, udp, http or https", target, u.Scheme)
}

// dialTarget connects one sender to cfg.Target: the error names the target and the cause and comes
// within dialTimeout.
func dialTarget(ctx context.Context, cfg *Config, scheme string, led ledger, deadline func() time.Time) (target, error) {
	switch scheme {
	case "tcp", "tls":
		return dialStream(ctx, cfg, scheme, led, deadline)
	case "udp":
		tr, err := transport.Dial(ctx, cfg.Target, transport.Options{Framing: cfg.Framing, DialTimeout: dialTimeout})
		if err != nil {
			return nil, err
		}
		return &datagramTarget{tr: tr, led: led}, nil
	}
	return dialHTTP(ctx, cfg, led, deadline)
}

// datagramTarget sends one UDP datagram per record. UDP has no connection to break: a datagram the
// socket refuses (too large, an ICMP refusal of an earlier one) is lost at send, and everything else is
// only seen, or not, by a sink.
type datagramTarget struct {
	tr  transport.Sender
	led ledger
}

func (t *datagramTarget) send(seq uint64, rec []byte) error {
	if err := t.tr.Send(rec); err != nil {
		t.led.lost(seq, LostSendError)
	}
	return nil
}

func (t *datagramTarget) flush() error                    { return nil }
func (t *datagramTarget) broke() []uint64                 { return nil }
func (t *datagramTarget) stalled() bool                   { return false }
func (t *datagramTarget) reconnect(context.Context) error { return nil }
func (t *datagramTarget) interrupt()                      {}
func (t *datagramTarget) close() error                    { return t.tr.Close() }
