package collector

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/semaphore"
)

// listenHTTP binds the Cloud NSS endpoint and starts serving.
func (l *Listener) listenHTTP(hostport string) error {
	ln, err := net.Listen("tcp", hostport)
	if err != nil {
		return fmt.Errorf("collector: listen %s://%s: %w", l.transport, hostport, err)
	}
	l.ln, l.addr = ln, ln.Addr()
	l.bodies.New = func() any { return new(httpScratch) }
	l.budget = semaphore.NewWeighted(l.cfg.HTTPBudget)
	l.slots = semaphore.NewWeighted(int64(l.cfg.MaxRequests))
	idle := l.cfg.IdleTimeout
	if idle < 0 {
		idle = 0 // net/http: no limit… unless ReadTimeout is set, so keep-alives wait at most that
	}
	l.srv = &http.Server{
		Handler:           httpHandler{l},
		TLSConfig:         l.cfg.TLS,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       l.cfg.HTTPReadTimeout,
		IdleTimeout:       idle,
		ErrorLog:          log.New(handshakeLog{&l.st.handshakeErrs}, "", 0), // counted, not logged
		ConnState:         l.connState,
	}
	limited := limitedListener{Listener: ln, l: l}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		if l.transport == "https" {
			_ = l.srv.ServeTLS(limited, "", "") // returns http.ErrServerClosed after Close
		} else {
			_ = l.srv.Serve(limited)
		}
	}()
	return nil
}

// tlsHandshakeError starts the line net/http logs, once, for every failed TLS handshake of its
// connections.
var tlsHandshakeError = []byte("http: TLS handshake error from ")

// handshakeLog is the HTTP server's ErrorLog: it counts net/http's failed TLS handshakes (a timeout, a
// client not speaking TLS, a missing or refused client certificate included) and discards every line.
type handshakeLog struct{ n *atomic.Int64 }

// Write counts p, one log line, when it reports a failed handshake.
func (h handshakeLog) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, tlsHandshakeError) {
		h.n.Add(1)
	}
	return len(p), nil
}

// connState is the HTTP server's ConnState hook. It counts a connection closed after waiting idle for
// its next request until the server's idle deadline (Stats.IdleClosed), and tracks the connections
// being served in httpConns, so that Close returns once each has been counted.
func (l *Listener) connState(nc net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew: // from the Serve goroutine, before it returns: before Close waits
		l.httpConns.Add(1)
	case http.StateClosed, http.StateHijacked: // the last state of every connection
		defer l.httpConns.Done()
	}
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	c, ok := nc.(*limitedConn)
	if !ok {
		return
	}
	prev := http.ConnState(c.state.Swap(int32(st)))
	if st == http.StateClosed && prev == http.StateIdle && c.idleExpired.Load() {
		l.st.idleClosed.Add(1)
	}
}

// httpScratch holds one request's buffers, pooled per Listener.
type httpScratch struct {
	raw   []byte
	plain []byte
	spans []span
	src   bytes.Reader // over raw, for gz
	gz    *gzip.Reader
}

// bytes returns the memory the scratch's buffers hold.
func (sc *httpScratch) bytes() int64 {
	return int64(cap(sc.raw) + cap(sc.plain) + cap(sc.spans)*spanSize)
}

// spanSize is the memory of one span.
const spanSize = int(unsafe.Sizeof(span{}))

// maxPooledBody is the largest buffer kept for reuse; bigger ones are left to the GC.
const maxPooledBody = 4 << 20

// maxGzipRatio bounds how much larger than its compressed form a gzip (deflate) stream can be.
const maxGzipRatio = 1032

// errTooLarge reports a body over MaxBody.
var errTooLarge = errors.New("body too large")

// httpHandler serves Cloud NSS POSTs for a Listener.
type httpHandler struct{ l *Listener }

// ServeHTTP accepts one Cloud NSS batch, as the package comment describes.
func (h httpHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	l := h.l
	l.st.httpRequests.Add(1)
	if len(l.cfg.HTTPAuth) > 0 && !authorized(req, l.cfg.HTTPAuth) {
		l.st.httpUnauthorized.Add(1)
		w.Header().Set("Connection", "close") // the body is never read
		l.reply(w, http.StatusUnauthorized, "collector: missing or wrong credentials")
		return
	}
	if req.Method != http.MethodPost {
		l.st.httpRejected.Add(1)
		w.Header().Set("Allow", http.MethodPost)
		l.reply(w, http.StatusMethodNotAllowed, "collector: Cloud NSS batches are POSTed")
		return
	}
	l.mu.Lock()
	if l.httpClosed {
		l.mu.Unlock()
		l.st.httpRejected.Add(1)
		l.reply(w, http.StatusServiceUnavailable, "collector: closing")
		return
	}
	l.httpWG.Add(1)
	l.mu.Unlock()
	defer l.httpWG.Done()

	ctx, cancel := context.WithTimeout(req.Context(), l.cfg.HTTPQueueWait)
	defer cancel()
	sc := l.bodies.Get().(*httpScratch)
	defer l.putScratch(sc)
	res := reservation{sem: l.budget, size: l.cfg.HTTPBudget, ctx: ctx}
	defer res.release()
	if code, err := l.serveBatch(req, sc, &res); err != nil {
		if code == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", strconv.Itoa(int(max(1, l.cfg.HTTPQueueWait.Round(time.Second)/time.Second))))
		}
		if code != http.StatusBadRequest {
			w.Header().Set("Connection", "close") // the body may be unread
		}
		l.reply(w, code, err.Error())
		return
	}
	l.st.httpOK.Add(1)
	l.reply(w, http.StatusOK, "")
}

// serveBatch reads, decodes and hands over one batch within its reservation. It returns the status
// and error to answer when the batch is refused, counted under its Stats field.
//
// The reservation is taken in as few steps as possible, each before the memory is allocated, so that
// requests waiting for the budget hold little of it: with a Content-Length, the body and (unless
// gzipped) the largest index it could need at once; for gzip, once the body has arrived, the
// decompressed size its trailer states and the index for that. The index is allocated at its real
// size and the rest given back. Only a body without a Content-Length grows its reservation as it grows;
// a gzip stream larger than its trailer says is counted first, then reserved at its size (see gunzip).
func (l *Listener) serveBatch(req *http.Request, sc *httpScratch, res *reservation) (int, error) {
	var gz bool
	switch enc := strings.ToLower(strings.TrimSpace(req.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		gz = true
	default:
		l.st.httpRejected.Add(1)
		return http.StatusUnsupportedMediaType, fmt.Errorf("collector: unsupported Content-Encoding %q", enc)
	}
	if req.ContentLength > int64(l.cfg.MaxBody) {
		l.st.httpRejected.Add(1)
		return http.StatusRequestEntityTooLarge, fmt.Errorf("collector: body over %d bytes", l.cfg.MaxBody)
	}
	rawCap, index := 0, 0
	if n := int(req.ContentLength); n >= 0 {
		rawCap = n + 1 // room to see EOF without growing
		if !gz {
			index = l.maxSpans(n)
		}
	}
	if err := sc.fit(res, rawCap, 0, index); err != nil {
		return l.refuse(err)
	}
	var err error
	sc.raw, err = readLimited(sc.raw[:0], req.Body, l.cfg.MaxBody, res)
	l.st.bytes.Add(int64(len(sc.raw)))
	switch {
	case errors.Is(err, errTooLarge):
		l.st.httpRejected.Add(1)
		return http.StatusRequestEntityTooLarge, fmt.Errorf("collector: body over %d bytes", l.cfg.MaxBody)
	case errors.Is(err, errBusy), errors.Is(err, errOverBudget):
		return l.refuse(err)
	case isTimeout(err):
		l.st.httpTimeouts.Add(1)
		return http.StatusRequestTimeout, fmt.Errorf("collector: body not received within %v", l.cfg.HTTPReadTimeout)
	case err != nil: // the client went away, most likely
		l.st.httpBad.Add(1)
		return http.StatusBadRequest, fmt.Errorf("collector: reading the body: %w", err)
	}
	body := sc.raw
	if gz {
		body, err = sc.gunzip(l, res)
		switch {
		case errors.Is(err, errTooLarge):
			l.st.httpRejected.Add(1)
			return http.StatusRequestEntityTooLarge, fmt.Errorf("collector: decompressed body over %d bytes", l.cfg.MaxBody)
		case errors.Is(err, errBusy), errors.Is(err, errOverBudget):
			return l.refuse(err)
		case err != nil:
			l.st.httpBad.Add(1)
			return http.StatusBadRequest, fmt.Errorf("collector: bad gzip body: %w", err)
		}
	}
	at := l.cfg.Now()
	// Every object starts with '{': the count bounds the spans, so their buffer is sized once.
	if n := min(bytes.Count(body, []byte{'{'}), l.cfg.MaxRecords+1); n > cap(sc.spans) {
		if err := res.grow(int64((n-cap(sc.spans))*spanSize) - (res.held - sc.bytes())); err != nil {
			return l.refuse(err)
		}
		sc.spans = make([]span, 0, n)
	}
	res.shrink(res.held - sc.bytes()) // what was reserved for a larger index
	sc.spans, err = splitBatch(sc.spans[:0], body, l.cfg.MaxRecords)
	if errors.Is(err, errTooManyRecords) {
		l.st.httpRejected.Add(1)
		return http.StatusRequestEntityTooLarge, fmt.Errorf("collector: batch over %d records", l.cfg.MaxRecords)
	}
	if err != nil {
		l.st.httpBad.Add(1)
		return http.StatusBadRequest, err
	}
	if !l.slots.TryAcquire(1) {
		if err := l.slots.Acquire(res.ctx, 1); err != nil {
			return l.refuse(errBusy)
		}
	}
	defer l.slots.Release(1)

	hd := l.nh(l.newConn(remoteAddr(req.RemoteAddr)))
	var records, oversize int64
	for _, s := range sc.spans {
		if s.end-s.start > l.cfg.MaxLine {
			oversize++
			hd.Oversize(at)
			continue
		}
		records++
		hd.Record(body[s.start:s.end], FormatJSON, at)
	}
	hd.Close(nil)
	l.st.records.Add(records)
	l.st.oversize.Add(oversize)
	return http.StatusOK, nil
}

// maxSpans bounds the objects of a body of n bytes: each takes at least two bytes ("{}"), and there
// are at most MaxRecords+1 before the batch is refused.
func (l *Listener) maxSpans(n int) int { return min(n/2+1, l.cfg.MaxRecords+1) }

// fit makes sc's buffers hold at least raw body bytes and plain decompressed ones, reserving them and
// room for an index of spans objects in res in one step, before anything is allocated; the index
// itself is allocated once its size is known. The reservation covers what sc already holds.
func (sc *httpScratch) fit(res *reservation, raw, plain, spans int) error {
	need := sc.bytes() - res.held
	need += int64(max(raw-cap(sc.raw), 0) + max(plain-cap(sc.plain), 0) + max(spans-cap(sc.spans), 0)*spanSize)
	if err := res.grow(need); err != nil {
		return err
	}
	if raw > cap(sc.raw) {
		sc.raw = make([]byte, 0, raw)
	}
	if plain > cap(sc.plain) {
		sc.plain = make([]byte, 0, plain)
	}
	return nil
}

// refuse counts a request that did not fit the budget or find a slot: 503 (retry) when it waited too
// long, 413 when it alone needs more than the whole budget.
func (l *Listener) refuse(err error) (int, error) {
	if errors.Is(err, errOverBudget) {
		l.st.httpRejected.Add(1)
		return http.StatusRequestEntityTooLarge, fmt.Errorf("collector: request needs more than the whole HTTP budget (%d bytes)", l.cfg.HTTPBudget)
	}
	l.st.httpBusy.Add(1)
	return http.StatusServiceUnavailable, fmt.Errorf("collector: busy: no room within %v, retry later", l.cfg.HTTPQueueWait)
}

// reply answers a request within HTTPWriteTimeout: code with msg as its text body (none when empty).
func (l *Listener) reply(w http.ResponseWriter, code int, msg string) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(l.cfg.HTTPWriteTimeout))
	if msg == "" {
		w.WriteHeader(code)
		return
	}
	http.Error(w, msg, code)
}

// gunzip decompresses sc.raw into sc.plain, up to MaxBody bytes, within res, and returns the result.
//
// The gzip trailer's size, when plausible for the compressed size and within MaxBody, sizes sc.plain
// and its index in one reservation; for a single gzip member it is exact and the stream is inflated
// once. A stream of several members (RFC 1952 allows them concatenated) is larger than its trailer,
// which states the last member's size only: then the decompressed share is given back, the rest of the
// stream is inflated without being kept (counted, stopping past MaxBody, so a bomb costs no memory),
// and the exact size is reserved in one step, so that a request never waits for budget while holding
// part of its decompressed size. An implausible trailer goes straight to the count.
func (sc *httpScratch) gunzip(l *Listener, res *reservation) ([]byte, error) {
	if err := sc.resetGzip(); err != nil {
		return nil, err
	}
	limit := l.cfg.MaxBody
	if n := len(sc.raw); n >= 4 {
		size := int(binary.LittleEndian.Uint32(sc.raw[n-4:])) // ISIZE: the last member's size mod 2^32
		if size <= min(limit, maxGzipRatio*n) {
			if err := sc.fit(res, 0, size+1, l.maxSpans(size)); err != nil {
				return nil, err
			}
		}
	}
	// sc.plain's room (room to see EOF), but no more than one byte past the limit.
	plain, done, err := fill(sc.plain[:0:min(cap(sc.plain), limit+1)], sc.gz)
	switch {
	case err != nil:
		return nil, err
	case len(plain) > limit:
		return nil, errTooLarge
	case done:
		return plain, nil
	}
	w := counter{limit: int64(limit - len(plain))}
	if _, err := sc.gz.WriteTo(&w); err != nil {
		return nil, err
	}
	size := len(plain) + int(w.n)
	sc.plain = nil // too small: its share, and the index's, are given back before waiting for the size
	res.shrink(res.held - sc.bytes())
	if err := sc.fit(res, 0, size+1, l.maxSpans(size)); err != nil {
		return nil, err
	}
	if err := sc.resetGzip(); err != nil {
		return nil, err
	}
	sc.plain, err = readLimited(sc.plain[:0], sc.gz, limit, res) // size+1 bytes of room: no growth
	return sc.plain, err
}

// resetGzip points sc.gz at sc.raw and reads the first member's header.
func (sc *httpScratch) resetGzip() error {
	sc.src.Reset(sc.raw)
	if sc.gz == nil {
		gz, err := gzip.NewReader(&sc.src)
		sc.gz = gz
		return err
	}
	return sc.gz.Reset(&sc.src)
}

// fill reads r into dst's spare capacity until r ends (done) or dst is full, and returns dst extended
// by what was read.
func fill(dst []byte, r io.Reader) (_ []byte, done bool, _ error) {
	for len(dst) < cap(dst) {
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, true, nil
		}
		if err != nil {
			return dst, false, err
		}
	}
	return dst, false, nil
}

// counter is an io.Writer that only counts, failing with errTooLarge past limit bytes.
type counter struct{ n, limit int64 }

// Write counts p.
func (c *counter) Write(p []byte) (int, error) {
	if c.n += int64(len(p)); c.n > c.limit {
		return 0, errTooLarge
	}
	return len(p), nil
}

// putScratch returns sc to the pool unless its buffers have grown past maxPooledBody.
func (l *Listener) putScratch(sc *httpScratch) {
	if cap(sc.raw) > maxPooledBody || cap(sc.plain) > maxPooledBody {
		return
	}
	l.bodies.Put(sc)
}

// readLimited appends r's content to dst, failing with errTooLarge past limit bytes. dst grows by
// doubling, each growth reserved in res first (the old buffer's share is given back after the copy).
func readLimited(dst []byte, r io.Reader, limit int, res *reservation) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			n := min(max(2*cap(dst), 32<<10), limit+1)
			if err := res.grow(int64(n)); err != nil {
				return dst, err
			}
			old := cap(dst)
			dst = append(make([]byte, 0, n), dst...)
			res.shrink(int64(old))
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if len(dst) > limit {
			return dst, errTooLarge
		}
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

// remoteAddr parses an http.Request's RemoteAddr; nil if it is not ip:port.
func remoteAddr(s string) net.Addr {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return nil
	}
	return net.TCPAddrFromAddrPort(ap)
}
