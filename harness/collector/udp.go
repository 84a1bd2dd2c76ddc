package collector

import (
	"errors"
	"fmt"
	"net"
	"sync"
)

// maxDatagram holds any UDP payload (65,507 bytes over IPv4, 65,527 over IPv6), so a datagram is never
// truncated by the read and oversize is judged on its real length.
const maxDatagram = 64 << 10

// listenUDP binds the UDP socket, makes its one Handler and starts reading.
func (l *Listener) listenUDP(hostport string) error {
	ua, err := net.ResolveUDPAddr("udp", hostport)
	if err != nil {
		return fmt.Errorf("collector: listen udp://%s: %w", hostport, err)
	}
	uc, err := net.ListenUDP("udp", ua)
	if err != nil {
		return fmt.Errorf("collector: listen udp://%s: %w", hostport, err)
	}
	rb := l.cfg.ReadBuffer
	if rb <= 0 {
		rb = defaultUDPReadBuffer
	}
	if err := uc.SetReadBuffer(rb); err != nil {
		uc.Close()
		return fmt.Errorf("collector: udp://%s: set read buffer: %w", hostport, err)
	}
	l.udp, l.addr = uc, uc.LocalAddr()
	l.udpDrop = cachedDrops(udpDropCounter(uc), &l.closing)
	h := l.nh(l.newConn(nil))
	l.wg.Add(1)
	go l.serveUDP(h)
	return nil
}

// cachedDrops wraps a drop counter so that its last value stays readable after the socket is closed:
// once closing is set, the first read is kept.
func cachedDrops(read func() (int64, bool), closing interface{ Load() bool }) func() (int64, bool) {
	var (
		mu   sync.Mutex
		done bool
		n    int64
		ok   bool
	)
	return func() (int64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return n, ok
		}
		v, vok := read()
		if closing.Load() {
			done, n, ok = true, v, vok
		}
		return v, vok
	}
}

// serveUDP hands each datagram to h as one record until the socket is closed or, while closing,
// idle for DrainIdle.
func (l *Listener) serveUDP(h Handler) {
	defer l.wg.Done()
	buf := make([]byte, maxDatagram)
	var err error
	for {
		if l.closing.Load() {
			if err = l.udp.SetReadDeadline(l.drainDeadline()); err != nil {
				break
			}
		}
		var n int
		n, err = l.udp.Read(buf)
		if err != nil {
			if l.closing.Load() && isTimeout(err) || errors.Is(err, net.ErrClosed) {
				err = nil
			}
			break
		}
		at := l.cfg.Now()
		l.st.datagrams.Add(1)
		l.st.bytes.Add(int64(n))
		rec := trimTrailingNewline(buf[:n])
		if len(rec) > l.cfg.MaxLine {
			l.st.oversize.Add(1)
			h.Oversize(at)
			continue
		}
		l.st.records.Add(1)
		h.Record(rec, FormatCEF, at)
	}
	// Read the drop counter while the socket still exists.
	l.udpDrop()
	h.Close(err)
}
