package transport

import (
	"bytes"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// octetOverhead bounds the bytes octet counting adds to a record ("LEN SP").
const octetOverhead = 21

// streamSender frames records into a buffer written to a TCP or TLS connection.
type streamSender struct {
	target       string
	conn         net.Conn
	framing      framing.Framing
	size         int // flush threshold
	buf          []byte
	pending      int64 // records in buf
	written      atomic.Int64
	writeTimeout time.Duration
	err          error // the first write error: final
}

var _ Sender = (*streamSender)(nil)

// Send frames rec into the buffer, writing the buffer first if rec would not fit.
func (s *streamSender) Send(rec []byte) error {
	if s.err != nil {
		return s.err
	}
	if s.framing == framing.FramingLF && bytes.IndexByte(rec, '\n') >= 0 {
		return ErrNewline
	}
	if len(s.buf) > 0 && len(s.buf)+len(rec)+octetOverhead > s.size {
		if err := s.Flush(); err != nil {
			return err
		}
	}
	s.buf = s.framing.Append(s.buf, rec)
	s.pending++
	if len(s.buf) >= s.size {
		return s.Flush()
	}
	return nil
}

// Flush writes the buffered records.
func (s *streamSender) Flush() error {
	if s.err != nil {
		return s.err
	}
	if len(s.buf) == 0 {
		return nil
	}
	if s.writeTimeout > 0 {
		if err := s.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil {
			return s.fail(err)
		}
	}
	if _, err := s.conn.Write(s.buf); err != nil {
		return s.fail(err)
	}
	s.written.Add(s.pending)
	s.pending = 0
	s.buf = s.buf[:0]
	return nil
}

// fail records the first write error, naming the target and what was lost.
func (s *streamSender) fail(err error) error {
	s.err = fmt.Errorf("transport: write to %s (%d records, %d bytes buffered): %w", s.target, s.pending, len(s.buf), err)
	return s.err
}

// Close flushes and closes the connection; it returns the first error.
func (s *streamSender) Close() error {
	ferr := s.Flush()
	cerr := s.conn.Close()
	if ferr != nil {
		return ferr
	}
	if cerr != nil {
		return fmt.Errorf("transport: close %s: %w", s.target, cerr)
	}
	return nil
}

// Written returns the records written so far.
func (s *streamSender) Written() int64 { return s.written.Load() }

// LocalAddr implements Sender.
func (s *streamSender) LocalAddr() net.Addr { return s.conn.LocalAddr() }
