package transport

import (
	"bytes"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// octetOverhead bounds the bytes octet counting adds to a record ("LEN SP").
const octetOverhead = 21

// streamSender frames records into a buffer written to a TCP or TLS connection.
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
type streamSender struct {
	target       string
	conn         net.Conn
	framing      framing.Framing
	size         int // flush threshold: the current buffer size
	minSize      int // the initial size, what size may shrink to
	maxSize      int // what size may grow to
	buf          []byte
	pending      int64 // records in buf
	written      atomic.Int64
	writeTimeout time.Duration

	full      chan block  // to the writer
	free      chan []byte // back from the writer, emptied
	done      chan struct{}
	err       atomic.Pointer[error] // the first write error: final
	closeOnce sync.Once
	closeErr  error
}

// block is one buffer handed to the writer.
type block struct {
	buf     []byte
	records int64
}

var _ Sender = (*streamSender)(nil)

func newStreamSender(target string, conn net.Conn, f framing.Framing, maxSize int, writeTimeout time.Duration) *streamSender {
	size := min(initialBufferSize, maxSize)
	s := &streamSender{
		target: target, conn: conn, framing: f, size: size, minSize: size, maxSize: maxSize, writeTimeout: writeTimeout,
		buf:  make([]byte, 0, size),
		full: make(chan block),
		free: make(chan []byte, 1),
		done: make(chan struct{}),
	}
	for range cap(s.free) {
		s.free <- make([]byte, 0, size)
	}
	go s.writer()
	return s
}

// writer writes the blocks it is handed, in order. After a write error it keeps taking blocks (so
// senders never block on it) but drops them: the error is final.
func (s *streamSender) writer() {
	defer close(s.done)
	for b := range s.full {
		if s.err.Load() == nil {
			if err := s.write(b.buf); err != nil {
				// A variable of its own, so that only a failed write moves one to the heap.
				final := fmt.Errorf("transport: write to %s (%d records, %d bytes): %w", s.target, b.records, len(b.buf), err)
				s.err.Store(&final)
			} else {
				s.written.Add(b.records)
			}
		}
		s.free <- b.buf[:0]
	}
}

func (s *streamSender) write(p []byte) error {
	if s.writeTimeout > 0 {
		if err := s.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil {
			return err
		}
	}
	_, err := s.conn.Write(p)
	return err
}

// failed returns the writer's error, if any.
func (s *streamSender) failed() error {
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Send frames rec into the buffer, handing the buffer to the writer first if rec would not fit. It
// blocks while the writer is still busy with the previous buffer.
func (s *streamSender) Send(rec []byte) error {
	if err := s.failed(); err != nil {
		return err
	}
	if s.framing == framing.FramingLF && bytes.IndexByte(rec, '\n') >= 0 {
		return ErrNewline
	}
	if len(s.buf) > 0 && len(s.buf)+len(rec)+octetOverhead > s.size {
		s.handOff(true)
	}
	s.buf = s.framing.Append(s.buf, rec)
	s.pending++
	if len(s.buf) >= s.size {
		s.handOff(true)
	}
	return nil
}

// handOff gives the current buffer to the writer and takes the other one once it is free, doubling the
// buffer size after a full buffer and halving it after a flushed one.
func (s *streamSender) handOff(full bool) {
	s.full <- block{buf: s.buf, records: s.pending}
	if full {
		s.size = min(2*s.size, s.maxSize)
	} else {
		s.size = max(s.size/2, s.minSize)
	}
	s.buf, s.pending = <-s.free, 0
	if cap(s.buf) < s.size {
		s.buf = make([]byte, 0, s.size)
	}
}

// Flush hands what is buffered to the writer, which writes it in the background; it returns the first
// write error so far. Close waits for the writes.
func (s *streamSender) Flush() error {
	if err := s.failed(); err != nil {
		return err
	}
	if len(s.buf) > 0 {
		s.handOff(false)
	}
	return nil
}

// Close flushes, waits for the writer and closes the connection; it returns the first error. Later
// calls return the same.
func (s *streamSender) Close() error {
	s.closeOnce.Do(func() {
		if len(s.buf) > 0 {
			s.handOff(false)
		}
		close(s.full)
		<-s.done
		cerr := s.conn.Close()
		if s.closeErr = s.failed(); s.closeErr == nil && cerr != nil {
			s.closeErr = fmt.Errorf("transport: close %s: %w", s.target, cerr)
		}
	})
	return s.closeErr
}

// Written returns the records written so far.
func (s *streamSender) Written() int64 { return s.written.Load() }

// LocalAddr implements Sender.
func (s *streamSender) LocalAddr() net.Addr { return s.conn.LocalAddr() }
