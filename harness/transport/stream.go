package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// octetOverhead bounds the bytes octet counting adds to a record ("LEN SP").
const octetOverhead = 21

// ackRing is how many written records' end offsets a tracking stream sender keeps for acknowledgement
// tracking.
const ackRing = 1 << 16

// streamSender frames records into a buffer written to a TCP or TLS connection, as VM-based NSS does.
//
// Writing is pipelined: a full buffer is handed to a writer goroutine and framing goes on in a second
// buffer, so producing records (generating them, typically) and the kernel's work for the write — on
// loopback that includes the receiving side's — use two cores. There are exactly two buffers, so a
// collector that stops reading still stops the sender after one buffer: backpressure, not memory.
// The buffer's size follows the producer: each buffer that fills up doubles it (up to maxSize), since a
// producer that fills buffers without pausing is running flat out and larger writes cost both cores
// less per record; each Flush of a partly filled buffer halves it again (down to the initial size),
// since a producer that pauses to flush is paced and small buffers keep its latency low. Only the flush
// threshold moves: buffers keep their capacity, so resizing allocates only while growing to a new high.
//
//	Send ─► buf (filling) ──full──► writer goroutine ─► conn.Write
//	          ▲                                  │
//	          └────────────── free ◄─────────────┘
//
// Acknowledgement tracking (with a Ledger): each buffer carries the sequence numbers of its records and
// their end offsets, so the writer knows which records each write carried, even one cut short by an
// error. After every successful write the writer asks the kernel how many bytes of the connection the
// peer has not acknowledged yet (Linux: SIOCOUTQ); a ring of the end offsets of the last ackRing records
// written turns that into a count of records. When the connection breaks, the records written after the
// last acknowledged byte are at risk, and those never wholly written (the rest of the cut buffer, any
// buffer handed over after it, the one filling) are returned by Broke to be sent again. TLS counts
// plaintext against TCP bytes, so it slightly overstates the risk; where the kernel does not tell (not
// Linux), only records cut by the failed write are at risk. Records acknowledged by the peer's TCP but
// still unread by the collector when it died are not at risk by this measure: only a sink (or the
// duplicate window) catches those. The writer owns this bookkeeping while the connection lives; Broke
// and Close read it once the writer has stopped.
type streamSender struct {
	target   string
	scheme   string // tcp or tls
	hostport string
	opts     Options
	framing  framing.Framing
	size     int // flush threshold: the current buffer size
	minSize  int // the initial size, what size may shrink to
	maxSize  int // what size may grow to
	track    bool
	ends     []uint64 // the ring of written records' end offsets (tracking only)

	cur     *block      // the buffer being filled
	spare   *block      // the other buffer, while there is no connection
	c       *streamConn // the current connection; nil after Broke or Close until Reconnect
	written atomic.Int64

	mu          sync.Mutex // guards conn and interrupted against Interrupt
	conn        net.Conn
	interrupted bool

	timedOut bool     // the last connection's write failed by its deadline
	cut      []uint64 // records of stopped connections not wholly written
	risky    uint64   // records of stopped connections written but unacknowledged
	unsent   []uint64 // Broke's result
	closeErr error
}

// block is one buffer and, when tracking, which records it holds.
type block struct {
	buf     []byte
	seqs    []uint64 // the records in buf, in order (tracking only)
	ends    []int    // their end offsets in buf (tracking only)
	records int64
}

func (b *block) reset() {
	b.buf, b.seqs, b.ends, b.records = b.buf[:0], b.seqs[:0], b.ends[:0], 0
}

// streamConn is one connection and its writer goroutine. The fields after done belong to the writer
// until done is closed.
type streamConn struct {
	conn        net.Conn
	acks        *outq
	full        chan *block // to the writer
	free        chan *block // back from the writer, emptied
	done        chan struct{}
	err         atomic.Pointer[error] // the first write error: final for this connection
	deadlineSet bool

	wrote    uint64   // bytes written
	nWritten uint64   // records wholly written
	nAcked   uint64   // of which known acknowledged
	cut      []uint64 // records not wholly written after the error
	timedOut bool
}

var (
	_ Sender   = (*streamSender)(nil)
	_ Buffered = (*streamSender)(nil)
)

func newStreamSender(target string, f framing.Framing, opts Options) *streamSender {
	size := min(initialBufferSize, opts.BufferSize)
	s := &streamSender{
		target: target, opts: opts, framing: f, size: size, minSize: size, maxSize: opts.BufferSize,
		track: opts.Ledger != nil,
		cur:   &block{buf: make([]byte, 0, size)}, spare: &block{buf: make([]byte, 0, size)},
	}
	if s.track {
		s.ends = make([]uint64, ackRing)
	}
	return s
}

// Reconnect dials the target once, within DialTimeout, and starts the connection's writer.
func (s *streamSender) Reconnect(ctx context.Context) error {
	if s.c != nil {
		s.stop()
	}
	conn, err := dial(ctx, s.target, s.scheme, s.hostport, s.opts)
	if err != nil {
		return err
	}
	return s.attach(conn)
}

// attach starts writing to conn, unless the sender was interrupted.
func (s *streamSender) attach(conn net.Conn) error {
	c := &streamConn{conn: conn, full: make(chan *block), free: make(chan *block, 1), done: make(chan struct{})}
	if s.track {
		raw := conn
		if tc, ok := conn.(*tls.Conn); ok {
			raw = tc.NetConn()
		}
		c.acks = newOutq(raw)
	}
	s.mu.Lock()
	if s.interrupted {
		s.mu.Unlock()
		conn.Close()
		return errInterrupted
	}
	s.conn = conn
	s.mu.Unlock()
	c.free <- s.spare
	s.spare, s.c = nil, c
	go s.writer(c)
	return nil
}

// writer writes the blocks it is handed, in order. After a write error it keeps taking blocks (so
// Send never blocks on it) but only notes their records as not written: the error is final.
func (s *streamSender) writer(c *streamConn) {
	defer close(c.done)
	for b := range c.full {
		if c.err.Load() == nil {
			n, err := s.write(c, b.buf)
			s.account(c, b, n, err)
		} else {
			c.cut = append(c.cut, b.seqs...)
		}
		b.reset()
		c.free <- b
	}
}

// write writes p under the write deadline: WriteTimeout from now, but no later than Options.Deadline.
func (s *streamSender) write(c *streamConn, p []byte) (int, error) {
	var dl time.Time
	if s.opts.WriteTimeout > 0 {
		dl = time.Now().Add(s.opts.WriteTimeout)
	}
	if hard := s.opts.Deadline(); !hard.IsZero() && (dl.IsZero() || hard.Before(dl)) {
		dl = hard
	}
	s.mu.Lock()
	if s.interrupted {
		s.mu.Unlock()
		return 0, errInterrupted
	}
	var err error
	if !dl.IsZero() || c.deadlineSet {
		err = c.conn.SetWriteDeadline(dl)
		c.deadlineSet = !dl.IsZero()
	}
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return c.conn.Write(p)
}

// account books a write of block b that wrote n bytes: the records wholly written, and on an error the
// ones that were not.
func (s *streamSender) account(c *streamConn, b *block, n int, err error) {
	if err == nil {
		s.written.Add(b.records)
	}
	if s.track {
		i := 0
		for i < len(b.ends) && b.ends[i] <= n {
			s.ends[(c.nWritten+uint64(i))%ackRing] = c.wrote + uint64(b.ends[i])
			i++
		}
		c.nWritten += uint64(i)
		c.wrote += uint64(n)
		if err != nil {
			c.cut = append(c.cut, b.seqs[i:]...)
		} else {
			s.sampleAcks(c)
		}
	}
	if err != nil {
		c.timedOut = isTimeout(err)
		// A variable of its own, so that only a failed write moves one to the heap.
		final := fmt.Errorf("transport: write to %s (%d records, %d bytes): %w", s.target, b.records, len(b.buf), err)
		c.err.Store(&final)
	}
}

// sampleAcks advances c.nAcked to the records the peer has acknowledged.
func (s *streamSender) sampleAcks(c *streamConn) {
	out, ok := c.acks.unacked()
	if !ok {
		c.nAcked = c.nWritten
		return
	}
	acked := c.wrote - min(uint64(out), c.wrote)
	if c.nWritten-c.nAcked > ackRing {
		c.nAcked = c.nWritten - ackRing // older end offsets were overwritten
	}
	for c.nAcked < c.nWritten && s.ends[c.nAcked%ackRing] <= acked {
		c.nAcked++
	}
}

// failed returns the connection's write error, if any.
func (s *streamSender) failed() error {
	if s.c == nil {
		if s.closeErr != nil {
			return s.closeErr
		}
		return fmt.Errorf("transport: %s: not connected", s.target)
	}
	if p := s.c.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Send frames rec into the buffer, handing the buffer to the writer first if rec would not fit. It
// blocks while the writer is still busy with the previous buffer.
func (s *streamSender) Send(seq uint64, rec []byte) error {
	if err := s.failed(); err != nil {
		return err
	}
	if s.framing == framing.FramingLF && bytes.IndexByte(rec, '\n') >= 0 {
		return s.refuse(seq, ErrNewline)
	}
	b := s.cur
	if n := len(b.buf); s.framing == framing.FramingLF && len(rec) > 0 && n+len(rec) < cap(b.buf) &&
		&b.buf[:n+1][n] == &rec[0] {
		// rec was rendered in place, into the space Buffer returned: frame it where it lies.
		b.buf = append(b.buf[:n+len(rec)], '\n')
		s.sent(b, seq)
		return nil
	}
	if len(b.buf) > 0 && len(b.buf)+len(rec)+octetOverhead > s.size {
		s.handOff(true)
		b = s.cur
	}
	b.buf = s.framing.Append(b.buf, rec)
	s.sent(b, seq)
	return nil
}

// sent books record seq, just framed into b, and hands b to the writer once it is full.
func (s *streamSender) sent(b *block, seq uint64) {
	b.records++
	if s.track {
		b.seqs = append(b.seqs, seq)
		b.ends = append(b.ends, len(b.buf))
	}
	if len(b.buf) >= s.size {
		s.handOff(true)
	}
}

// Buffer implements Buffered, with LF framing on a live connection (nil otherwise). When the buffer
// being filled has no room for n bytes and an LF, it is handed to the writer first.
func (s *streamSender) Buffer(n int) []byte {
	if s.framing != framing.FramingLF || s.c == nil || s.c.err.Load() != nil {
		return nil
	}
	b := s.cur
	if cap(b.buf)-len(b.buf) <= n {
		if len(b.buf) == 0 {
			return nil
		}
		s.handOff(true)
		if b = s.cur; cap(b.buf) <= n {
			return nil
		}
	}
	return b.buf[len(b.buf):len(b.buf)]
}

// refuse reports a record the sender will not carry to the Ledger, or returns err without one.
func (s *streamSender) refuse(seq uint64, err error) error {
	if s.opts.Ledger == nil {
		return err
	}
	s.opts.Ledger.Lost(seq, LostSendError)
	return nil
}

// handOff gives the current buffer to the writer and takes the other one once it is free, doubling the
// buffer size after a full buffer and halving it after a flushed one.
func (s *streamSender) handOff(full bool) {
	s.c.full <- s.cur
	if full {
		s.size = min(2*s.size, s.maxSize)
	} else {
		s.size = max(s.size/2, s.minSize)
	}
	s.cur = <-s.c.free
	if cap(s.cur.buf) < s.size {
		s.cur.buf = make([]byte, 0, s.size)
	}
}

// Flush hands what is buffered to the writer, which writes it in the background; it returns the first
// write error so far. Drain and Close wait for the writes.
func (s *streamSender) Flush() error {
	if err := s.failed(); err != nil {
		return err
	}
	if len(s.cur.buf) > 0 {
		s.handOff(false)
	}
	return nil
}

// Drain flushes and waits for the writer to finish the buffer it holds.
func (s *streamSender) Drain() error {
	if err := s.Flush(); err != nil {
		return err
	}
	b := <-s.c.free // the other buffer comes back once written
	s.c.free <- b
	return s.failed()
}

// stop ends the connection: it waits for the writer, takes over its bookkeeping and closes the
// connection, returning the first write error or the close's.
func (s *streamSender) stop() error {
	c := s.c
	close(c.full)
	<-c.done
	s.spare, s.c = <-c.free, nil
	s.cut = append(s.cut, c.cut...)
	s.risky += c.nWritten - c.nAcked
	s.timedOut = c.timedOut
	s.mu.Lock()
	cerr := c.conn.Close()
	s.conn = nil
	s.mu.Unlock()
	if p := c.err.Load(); p != nil {
		return *p
	}
	if cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		return fmt.Errorf("transport: close %s: %w", s.target, cerr)
	}
	return nil
}

// Broke stops the connection, reports its unacknowledged records as at risk and returns the records
// that were never wholly written.
func (s *streamSender) Broke() []uint64 {
	if s.c != nil {
		s.stop()
	}
	if s.risky > 0 && s.opts.Ledger != nil {
		s.opts.Ledger.AtRisk(s.risky)
	}
	s.risky = 0
	s.unsent = append(append(s.unsent[:0], s.cut...), s.cur.seqs...)
	s.cut = s.cut[:0]
	s.cur.reset()
	return s.unsent
}

// Stalled implements Sender.
func (s *streamSender) Stalled() bool { return s.timedOut }

// Interrupt sets a write deadline in the past on the current connection and refuses later writes and
// connections.
func (s *streamSender) Interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interrupted = true
	if s.conn != nil {
		_ = s.conn.SetWriteDeadline(time.Unix(1, 0))
	}
}

// Close flushes, waits for the writer and closes the connection; it returns the first error. The
// records a failed write left are returned by Broke. Later calls return the same.
func (s *streamSender) Close() error {
	if s.c == nil {
		return s.closeErr
	}
	if len(s.cur.buf) > 0 {
		s.handOff(false)
	}
	s.closeErr = s.stop()
	return s.closeErr
}

// Written returns the records written so far.
func (s *streamSender) Written() int64 { return s.written.Load() }

// LocalAddr implements Sender.
func (s *streamSender) LocalAddr() net.Addr {
	if s.c == nil {
		return nil
	}
	return s.c.conn.LocalAddr()
}
