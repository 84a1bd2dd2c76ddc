package run

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// streamTarget writes framed records to a TCP or TLS connection, as VM-based NSS does, and keeps what it
// needs to say, when the connection breaks, which records may not have reached the collector.
//
// Acknowledgement tracking: after every successful write the target asks the kernel how many bytes of
// the connection are still unacknowledged by the peer (Linux: SIOCOUTQ); a ring of the end offsets of
// the last ackRing records written turns that into a count of records. At a break, the records written
// after the last acknowledged byte are at risk. TLS counts plaintext against TCP bytes, so it slightly
// overstates the risk; where the kernel does not tell (not Linux), only records cut by the failed write
// are at risk. Records acknowledged by the peer's TCP but still unread by the collector when it died
// are not at risk by this measure: only a sink (or the duplicate window) catches those.
type streamTarget struct {
	target       string
	scheme       string
	hostport     string
	tlsConf      *tls.Config
	framing      framing.Framing
	writeTimeout time.Duration // <= 0: none
	deadline     func() time.Time
	led          ledger

	mu          sync.Mutex // guards conn and interrupted against interrupt
	conn        net.Conn
	acks        *outq // the current connection's unacknowledged byte count
	interrupted bool

	buf      []byte
	bufSeqs  []uint64 // the records in buf, in order
	bufEnds  []int    // their end offsets in buf
	timedOut bool     // the last write failed by its deadline

	// The current connection's written records: written bytes, record count, the ring of their end
	// offsets, and how many of them are known acknowledged.
	written  uint64
	nWritten uint64
	nAcked   uint64
	ends     []uint64
	unsent   []uint64 // broke's result
}

const (
	streamBuffer = 64 << 10 // write buffer, as transport's
	ackRing      = 1 << 16  // records whose end offsets are kept for acknowledgement tracking
)

func dialStream(ctx context.Context, cfg *Config, scheme string, led ledger, deadline func() time.Time) (*streamTarget, error) {
	f, err := framing.ParseFraming(cfg.Framing)
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", cfg.Target, err)
	}
	u, err := ParseTarget(cfg.Target)
	if err != nil {
		return nil, err
	}
	if u.Port() == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("target %q: want %s://host:port", cfg.Target, scheme)
	}
	t := &streamTarget{
		target: cfg.Target, scheme: scheme, hostport: u.Host, tlsConf: cfg.TLS, framing: f,
		writeTimeout: cfg.WriteTimeout, deadline: deadline, led: led,
		buf: make([]byte, 0, streamBuffer), ends: make([]uint64, ackRing),
	}
	if err := t.reconnect(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// reconnect dials the target once, within dialTimeout.
func (t *streamTarget) reconnect(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	nd := &net.Dialer{}
	var conn net.Conn
	var err error
	if t.scheme == "tls" {
		conn, err = (&tls.Dialer{NetDialer: nd, Config: t.tlsConf}).DialContext(ctx, "tcp", t.hostport)
	} else {
		conn, err = nd.DialContext(ctx, "tcp", t.hostport)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("cannot connect to %s within %v: %w", t.target, dialTimeout, err)
		}
		return fmt.Errorf("cannot connect to %s: %w", t.target, err)
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	acks := newOutq(raw)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.interrupted {
		conn.Close()
		return errInterrupted
	}
	t.conn, t.acks = conn, acks
	t.written, t.nWritten, t.nAcked = 0, 0, 0
	return nil
}

// send frames rec into the buffer, writing the buffer first if rec would not fit, and after it when
// full.
func (t *streamTarget) send(seq uint64, rec []byte) error {
	if t.framing == framing.FramingLF && bytes.IndexByte(rec, '\n') >= 0 {
		t.led.lost(seq, LostSendError) // LF framing cannot carry it; generated records never have one
		return nil
	}
	if len(t.buf) > 0 && len(t.buf)+len(rec)+21 > streamBuffer {
		if err := t.flush(); err != nil {
			return err
		}
	}
	t.buf = t.framing.Append(t.buf, rec)
	t.bufSeqs = append(t.bufSeqs, seq)
	t.bufEnds = append(t.bufEnds, len(t.buf))
	if len(t.buf) >= streamBuffer {
		return t.flush()
	}
	return nil
}

// flush writes the buffer under the write deadline: WriteTimeout from now, but no later than the run's.
func (t *streamTarget) flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	var dl time.Time
	if t.writeTimeout > 0 {
		dl = time.Now().Add(t.writeTimeout)
	}
	if hard := t.deadline(); !hard.IsZero() && (dl.IsZero() || hard.Before(dl)) {
		dl = hard
	}
	t.mu.Lock()
	if t.interrupted {
		t.mu.Unlock()
		return errInterrupted
	}
	err := t.conn.SetWriteDeadline(dl)
	t.mu.Unlock()
	n := 0
	if err == nil {
		n, err = t.conn.Write(t.buf)
	}
	// The records wholly written, even by a failed write, are written.
	i := 0
	for i < len(t.bufEnds) && t.bufEnds[i] <= n {
		t.ends[(t.nWritten+uint64(i))%ackRing] = t.written + uint64(t.bufEnds[i])
		i++
	}
	t.nWritten += uint64(i)
	t.written += uint64(n)
	if err != nil {
		t.timedOut = isTimeout(err)
		// Keep the records not wholly written for broke.
		t.bufSeqs = append(t.bufSeqs[:0], t.bufSeqs[i:]...)
		t.buf, t.bufEnds = t.buf[:0], t.bufEnds[:0]
		return fmt.Errorf("write to %s: %w", t.target, err)
	}
	t.buf, t.bufSeqs, t.bufEnds = t.buf[:0], t.bufSeqs[:0], t.bufEnds[:0]
	t.sampleAcks()
	return nil
}

// sampleAcks advances nAcked to the records the peer has acknowledged.
func (t *streamTarget) sampleAcks() {
	out, ok := t.acks.unacked()
	if !ok {
		t.nAcked = t.nWritten
		return
	}
	acked := t.written - min(uint64(out), t.written)
	if t.nWritten-t.nAcked > ackRing {
		t.nAcked = t.nWritten - ackRing // older end offsets were overwritten
	}
	for t.nAcked < t.nWritten && t.ends[t.nAcked%ackRing] <= acked {
		t.nAcked++
	}
}

// broke reports the unacknowledged records as at risk, closes the connection and returns the records
// that were never wholly written.
func (t *streamTarget) broke() []uint64 {
	if n := t.nWritten - t.nAcked; n > 0 {
		t.led.atRisk(n)
	}
	t.nWritten, t.nAcked = 0, 0
	t.mu.Lock()
	if t.conn != nil {
		t.conn.Close()
	}
	t.mu.Unlock()
	t.unsent = append(t.unsent[:0], t.bufSeqs...)
	t.buf, t.bufSeqs, t.bufEnds = t.buf[:0], t.bufSeqs[:0], t.bufEnds[:0]
	return t.unsent
}

func (t *streamTarget) stalled() bool { return t.timedOut }

// interrupt sets a write deadline in the past on the current connection and refuses later writes.
func (t *streamTarget) interrupt() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.interrupted = true
	if t.conn != nil {
		_ = t.conn.SetWriteDeadline(time.Unix(1, 0))
	}
}

// close flushes and closes the connection. After a failed flush the unwritten records are left for
// broke.
func (t *streamTarget) close() error {
	ferr := t.flush()
	t.mu.Lock()
	cerr := t.conn.Close()
	t.mu.Unlock()
	if ferr != nil {
		return ferr
	}
	if cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		return fmt.Errorf("close %s: %w", t.target, cerr)
	}
	return nil
}

// isTimeout reports whether err is a deadline expiry.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
