package collector

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// listenStream binds a TCP listener (TLS on top for tls://) and starts accepting.
func (l *Listener) listenStream(hostport string) error {
	ln, err := net.Listen("tcp", hostport)
	if err != nil {
		return fmt.Errorf("collector: listen %s://%s: %w", l.transport, hostport, err)
	}
	l.ln, l.addr = ln, ln.Addr()
	l.wg.Add(1)
	go l.accept()
	return nil
}

// accept serves connections until the listener is closed.
func (l *Listener) accept() {
	defer l.wg.Done()
	var backoff time.Duration
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			if l.closing.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: back off as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if !l.limit.take() {
			l.st.refused.Add(1)
			nc.Close()
			continue
		}
		l.wg.Add(1)
		go l.serveStream(nc)
	}
}

// stream is one TCP or TLS connection. It is the framing.Reader's io.Reader: each Read stamps the
// received time and publishes the counts gathered since the previous one.
type stream struct {
	l        *Listener
	raw      net.Conn // the accepted connection: deadlines are set here
	nc       net.Conn // what records are read from: raw, or TLS over it
	at       int64    // received time of the latest read
	bytes    int64    // not yet published
	records  int64
	oversize int64
	cut      bool // a drain deadline ended the stream
	idle     bool // IdleTimeout ended the stream
}

// Read reads from the connection, under the idle deadline, or a drain deadline once the Listener is
// closing.
func (s *stream) Read(p []byte) (int, error) {
	s.publish()
	if d := s.l.cfg.IdleTimeout; d > 0 && !s.l.closing.Load() {
		if err := s.raw.SetReadDeadline(time.Now().Add(d)); err != nil {
			return 0, err
		}
	}
	// Checked after the idle deadline is set, so that a Close that began meanwhile is not overridden.
	if s.l.closing.Load() {
		if err := s.raw.SetReadDeadline(s.l.drainDeadline()); err != nil {
			return 0, err
		}
	}
	n, err := s.nc.Read(p)
	s.at = s.l.cfg.Now()
	s.bytes += int64(n)
	if err != nil && isTimeout(err) {
		if s.l.closing.Load() {
			s.cut = true
		} else {
			s.idle = true
		}
	}
	return n, err
}

// publish adds the stream's unpublished counts to the Listener's.
func (s *stream) publish() {
	if s.bytes != 0 {
		s.l.st.bytes.Add(s.bytes)
		s.bytes = 0
	}
	if s.records != 0 {
		s.l.st.records.Add(s.records)
		s.records = 0
	}
	if s.oversize != 0 {
		s.l.st.oversize.Add(s.oversize)
		s.oversize = 0
	}
}

// serveStream frames one connection's records and hands them to its Handler until the stream ends.
func (l *Listener) serveStream(nc net.Conn) {
	defer l.wg.Done()
	defer l.limit.release()
	defer nc.Close()
	s := &stream{l: l, raw: nc, nc: nc}
	if l.transport == "tls" {
		s.nc = tls.Server(nc, l.cfg.TLS)
	}
	l.mu.Lock()
	l.streams[s] = struct{}{}
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.streams, s)
		l.mu.Unlock()
	}()

	if tc, ok := nc.(*net.TCPConn); ok && l.cfg.ReadBuffer > 0 {
		_ = tc.SetReadBuffer(l.cfg.ReadBuffer) // best effort: the kernel caps it
	}
	if tc, ok := s.nc.(*tls.Conn); ok {
		if err := l.handshake(tc); err != nil {
			l.st.handshakeErrs.Add(1)
			return
		}
	}
	l.st.conns.Add(1)
	l.st.open.Add(1)
	defer l.st.open.Add(-1)

	h := l.nh(l.newConn(nc.RemoteAddr()))
	r := l.readers.Get().(*framing.Reader)
	r.Reset(s)
	err := feed(r, s, h)
	r.Reset(nil)
	l.readers.Put(r)
	s.publish()

	var fe *framing.FrameError
	switch {
	case err == io.EOF:
		err = nil
	case errors.As(err, &fe):
		l.st.frameErrs.Add(1)
	case s.cut:
		err = ErrClosed
	case s.idle:
		l.st.idleClosed.Add(1)
		err = ErrIdle
	}
	h.Close(err)
}

// feed hands r's records to h until r ends, returning the error that ended it.
func feed(r *framing.Reader, s *stream, h Handler) error {
	for {
		rec, err := r.Next()
		if err == nil {
			s.records++
			h.Record(rec, FormatCEF, s.at)
			continue
		}
		if errors.Is(err, framing.ErrOversize) {
			s.oversize++
			h.Oversize(s.at)
			continue
		}
		return err
	}
}

// handshake completes a TLS handshake within HandshakeTimeout (and the drain, when closing).
func (l *Listener) handshake(tc *tls.Conn) error {
	deadline := time.Now().Add(l.cfg.HandshakeTimeout)
	if l.closing.Load() {
		deadline = l.drainDeadline()
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	return tc.HandshakeContext(ctx)
}
