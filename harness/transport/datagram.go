package transport

import (
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// datagramSender sends each record as one UDP datagram on a connected socket.
type datagramSender struct {
	target       string
	conn         net.Conn
	written      atomic.Int64
	writeTimeout time.Duration
}

var _ Sender = (*datagramSender)(nil)

// Send sends rec as one datagram. Errors (ErrTooLarge, a refusal reported by ICMP for an earlier
// datagram, a full send buffer past WriteTimeout) concern this datagram only: the Sender stays usable.
func (s *datagramSender) Send(rec []byte) error {
	if len(rec) > maxDatagram {
		return ErrTooLarge
	}
	if s.writeTimeout > 0 {
		if err := s.conn.SetWriteDeadline(time.Now().Add(s.writeTimeout)); err != nil {
			return fmt.Errorf("transport: send to %s: %w", s.target, err)
		}
	}
	if _, err := s.conn.Write(rec); err != nil {
		return fmt.Errorf("transport: send to %s: %w", s.target, err)
	}
	s.written.Add(1)
	return nil
}

// Flush does nothing: datagrams are not buffered.
func (s *datagramSender) Flush() error { return nil }

// Close closes the socket.
func (s *datagramSender) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("transport: close %s: %w", s.target, err)
	}
	return nil
}

// Written returns the datagrams sent so far.
func (s *datagramSender) Written() int64 { return s.written.Load() }

// LocalAddr implements Sender.
func (s *datagramSender) LocalAddr() net.Addr { return s.conn.LocalAddr() }
