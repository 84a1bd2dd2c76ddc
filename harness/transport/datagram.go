package transport

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// datagramSender sends each record as one UDP datagram on a connected socket. UDP has no connection to
// break: a datagram the socket refuses (too large, an ICMP refusal of an earlier one) is lost at send,
// and everything else is only seen, or not, by a sink.
type datagramSender struct {
	target       string
	conn         net.Conn
	written      atomic.Int64
	writeTimeout time.Duration
	led          Ledger
}

var _ Sender = (*datagramSender)(nil)

// Send sends rec as one datagram. Errors (ErrTooLarge, a refusal reported by ICMP for an earlier
// datagram, a full send buffer past WriteTimeout) concern this datagram only: the Sender stays usable,
// and with a Ledger the record is reported lost instead.
func (s *datagramSender) Send(seq uint64, rec []byte) error {
	if err := s.send(rec); err != nil {
		if s.led == nil {
			return err
		}
		s.led.Lost(seq, LostSendError)
	}
	return nil
}

func (s *datagramSender) send(rec []byte) error {
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

// Drain does nothing: datagrams are not buffered.
func (s *datagramSender) Drain() error { return nil }

// Broke returns nothing: a datagram socket does not break.
func (s *datagramSender) Broke() []uint64 { return nil }

// Stalled is always false.
func (s *datagramSender) Stalled() bool { return false }

// Reconnect does nothing.
func (s *datagramSender) Reconnect(context.Context) error { return nil }

// Interrupt does nothing: a datagram write does not block for long.
func (s *datagramSender) Interrupt() {}

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
