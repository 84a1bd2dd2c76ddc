package collector

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/nssbench/nssbench/harness/framing"
)

// Listener serves one bound address until Close. Its methods are safe for concurrent use.
type Listener struct {
	transport string
	cfg       Config
	nh        NewHandler
	addr      net.Addr

	ln  net.Listener // tcp, tls, http, https
	udp *net.UDPConn // udp
	srv *http.Server // http, https

	wg        sync.WaitGroup // serving goroutines and streams
	closing   atomic.Bool
	drainEnd  time.Time // set before closing is
	closeOnce sync.Once
	closeErr  error

	mu         sync.Mutex
	streams    map[*stream]struct{} // open TCP/TLS connections
	httpClosed bool                 // no more HTTP requests are handed over
	httpWG     sync.WaitGroup       // HTTP requests being handed over
	httpConns  sync.WaitGroup       // HTTP connections not yet closed (their last ConnState not reported)

	nextID  atomic.Uint64
	readers sync.Pool // *framing.Reader
	bodies  sync.Pool // *httpScratch
	udpDrop func() (int64, bool)

	limit  connLimit           // open TCP, TLS and HTTP(S) connections
	budget *semaphore.Weighted // HTTP: Config.HTTPBudget
	slots  *semaphore.Weighted // HTTP: Config.MaxRequests

	st counters
}

// counters are the Listener's running totals behind Stats.
type counters struct {
	conns, open, handshakeErrs, bytes, records, oversize, frameErrs atomic.Int64
	datagrams                                                       atomic.Int64
	httpRequests, httpOK, httpBad, httpRejected                     atomic.Int64
	refused, idleClosed                                             atomic.Int64
	httpUnauthorized, httpBusy, httpTimeouts                        atomic.Int64
}

// Stats are a Listener's totals since Listen. Stream counters are added per read (at most 256 KiB
// behind per open connection) and are exact once Close has returned.
type Stats struct {
	Connections        int64 // TCP/TLS connections served (TLS: handshake completed)
	OpenConnections    int64 // TCP/TLS connections being served now
	TLSHandshakeErrors int64 // tls:// and https:// connections closed because the handshake failed or timed out
	Bytes              int64 // bytes read: stream bytes (after TLS), datagram payloads, HTTP bodies as sent (compressed)
	Records            int64 // records handed to Handler.Record
	Oversize           int64 // records reported to Handler.Oversize
	FrameErrors        int64 // streams ended by broken octet counting
	UDPDatagrams       int64 // datagrams received
	// UDPDrops is the kernel's drop counter for the UDP socket (Linux: the "drops" column of
	// /proc/net/udp{,6} for the socket's inode: datagrams lost to a full receive buffer). -1 when
	// unavailable: not a UDP listener, not Linux, or /proc not readable.
	UDPDrops        int64
	HTTPRequests    int64 // HTTP requests received
	HTTPBatches     int64 // POSTs answered 200 (their records handed over)
	HTTPBadRequests int64 // POSTs answered 400: unparseable body, no records handed over
	HTTPRejected    int64 // requests answered 405 (not POST), 413 (body over MaxBody or the whole budget, batch over MaxRecords), 415 (unknown encoding) or 503 (closing)
	// Refused counts TCP, TLS and HTTP(S) connections closed as soon as accepted: MaxConnections were
	// open.
	Refused int64
	// IdleClosed counts TCP and TLS streams closed after IdleTimeout without data, and HTTP(S)
	// keep-alive connections (HTTP/1.x) the server closed because no next request arrived within
	// IdleTimeout (HTTPReadTimeout when IdleTimeout is negative). Not counted: connections the client
	// closed, idle ones closed by Close, and a new connection that never sent a request (the 10 s header
	// timeout).
	IdleClosed       int64
	HTTPUnauthorized int64 // requests answered 401: no accepted HTTPAuth credential; their bodies were not read
	HTTPBusy         int64 // requests answered 503 with Retry-After: no budget or slot within HTTPQueueWait
	HTTPTimeouts     int64 // requests answered 408: the body was still arriving after HTTPReadTimeout
}

// Listen binds addr and serves it until Close. addr is scheme://host:port with scheme tcp, udp, tls,
// http or https; an empty host binds 127.0.0.1 (bind all interfaces with 0.0.0.0 or [::]) and port 0
// picks a free port (see Addr). nh makes a Handler per stream (see Conn); for UDP it is called once,
// before Listen returns.
func Listen(addr string, cfg Config, nh NewHandler) (*Listener, error) {
	transport, hostport, err := parseAddr(addr)
	if err != nil {
		return nil, err
	}
	if nh == nil {
		return nil, fmt.Errorf("collector: Listen(%q): nil NewHandler", addr)
	}
	if transport == "tls" || transport == "https" {
		if err := checkTLS(addr, cfg.TLS); err != nil {
			return nil, err
		}
		cfg.TLS = hardenTLS(cfg.TLS)
	}
	cfg = cfg.withDefaults()
	l := &Listener{transport: transport, cfg: cfg, nh: nh, streams: make(map[*stream]struct{})}
	l.limit.max = int64(max(cfg.MaxConnections, 0))
	l.readers.New = func() any { return framing.NewReader(nil, cfg.MaxLine) }
	l.udpDrop = func() (int64, bool) { return 0, false }
	switch transport {
	case "udp":
		err = l.listenUDP(hostport)
	case "tcp", "tls":
		err = l.listenStream(hostport)
	default:
		err = l.listenHTTP(hostport)
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Addr returns the bound address (the real port when Listen was given port 0).
func (l *Listener) Addr() net.Addr { return l.addr }

// Transport returns the listener's scheme: "tcp", "udp", "tls", "http" or "https".
func (l *Listener) Transport() string { return l.transport }

// URL returns the bound address with its scheme, e.g. "tcp://127.0.0.1:40123", usable as a transport
// target or a Listen address.
func (l *Listener) URL() string { return l.transport + "://" + l.addr.String() }

// Close stops accepting, lets open streams drain what has reached the host (each stream until it has
// been idle for DrainIdle or ends, all within DrainTimeout; HTTP: in-flight requests complete), waits
// for every Handler's Close and returns. Later calls return the first call's result.
func (l *Listener) Close() error {
	l.closeOnce.Do(func() {
		l.drainEnd = time.Now().Add(l.cfg.DrainTimeout)
		l.closing.Store(true)
		switch l.transport {
		case "udp":
			l.closeErr = joinNonNil(l.udp.SetReadDeadline(l.drainDeadline()))
			l.wg.Wait()
			l.closeErr = joinNonNil(l.closeErr, l.udp.Close())
			return
		case "tcp", "tls":
			l.closeErr = joinNonNil(l.ln.Close())
			l.mu.Lock()
			for s := range l.streams {
				// Wake reads blocked on idle connections; each later read sets its own deadline.
				_ = s.raw.SetReadDeadline(l.drainDeadline())
			}
			l.mu.Unlock()
		default:
			ctx, cancel := context.WithDeadline(context.Background(), l.drainEnd)
			err := l.srv.Shutdown(ctx)
			cancel()
			if err != nil {
				err = joinNonNil(l.srv.Close())
			}
			l.closeErr = err
			l.mu.Lock()
			l.httpClosed = true
			l.mu.Unlock()
			l.httpWG.Wait() // requests still running after a forced close
		}
		l.wg.Wait()
		l.httpConns.Wait() // after Serve has returned: no connection is added any more
	})
	return l.closeErr
}

// Stats returns the totals so far. For UDP it reads the kernel's drop counter (a /proc read).
func (l *Listener) Stats() Stats {
	s := Stats{
		Connections:        l.st.conns.Load(),
		OpenConnections:    l.st.open.Load(),
		TLSHandshakeErrors: l.st.handshakeErrs.Load(),
		Bytes:              l.st.bytes.Load(),
		Records:            l.st.records.Load(),
		Oversize:           l.st.oversize.Load(),
		FrameErrors:        l.st.frameErrs.Load(),
		UDPDatagrams:       l.st.datagrams.Load(),
		UDPDrops:           -1,
		HTTPRequests:       l.st.httpRequests.Load(),
		HTTPBatches:        l.st.httpOK.Load(),
		HTTPBadRequests:    l.st.httpBad.Load(),
		HTTPRejected:       l.st.httpRejected.Load(),
		Refused:            l.st.refused.Load(),
		IdleClosed:         l.st.idleClosed.Load(),
		HTTPUnauthorized:   l.st.httpUnauthorized.Load(),
		HTTPBusy:           l.st.httpBusy.Load(),
		HTTPTimeouts:       l.st.httpTimeouts.Load(),
	}
	if d, ok := l.udpDrop(); ok {
		s.UDPDrops = d
	}
	return s
}

// newConn returns the identity of a new stream.
func (l *Listener) newConn(remote net.Addr) Conn {
	return Conn{ID: l.nextID.Add(1), Transport: l.transport, Remote: remote}
}
