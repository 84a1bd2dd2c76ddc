package collector

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
)

// listenHTTP binds the Cloud NSS endpoint and starts serving.
func (l *Listener) listenHTTP(hostport string) error {
	ln, err := net.Listen("tcp", hostport)
	if err != nil {
		return fmt.Errorf("collector: listen %s://%s: %w", l.transport, hostport, err)
	}
	l.ln, l.addr = ln, ln.Addr()
	l.bodies.New = func() any { return new(httpScratch) }
	l.srv = &http.Server{
		Handler:           httpHandler{l},
		TLSConfig:         l.cfg.TLS,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // TLS noise from probes; failures are counted
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		if l.transport == "https" {
			_ = l.srv.ServeTLS(ln, "", "") // returns http.ErrServerClosed after Close
		} else {
			_ = l.srv.Serve(ln)
		}
	}()
	return nil
}

// httpScratch holds one request's buffers, pooled per Listener.
type httpScratch struct {
	raw   []byte
	plain []byte
	spans []span
	src   bytes.Reader // over raw, for gz
	gz    *gzip.Reader
}

// maxPooledBody is the largest buffer kept for reuse; bigger ones are left to the GC.
const maxPooledBody = 4 << 20

// errTooLarge reports a body over MaxBody.
var errTooLarge = errors.New("body too large")

// httpHandler serves Cloud NSS POSTs for a Listener.
type httpHandler struct{ l *Listener }

// ServeHTTP accepts one Cloud NSS batch, as the package comment describes.
func (h httpHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	l := h.l
	l.st.httpRequests.Add(1)
	if req.Method != http.MethodPost {
		l.st.httpRejected.Add(1)
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "collector: Cloud NSS batches are POSTed", http.StatusMethodNotAllowed)
		return
	}
	l.mu.Lock()
	if l.httpClosed {
		l.mu.Unlock()
		l.st.httpRejected.Add(1)
		http.Error(w, "collector: closing", http.StatusServiceUnavailable)
		return
	}
	l.httpWG.Add(1)
	l.mu.Unlock()
	defer l.httpWG.Done()

	sc := l.bodies.Get().(*httpScratch)
	defer l.putScratch(sc)

	var err error
	sc.raw, err = readLimited(sc.raw[:0], req.Body, l.cfg.MaxBody)
	l.st.bytes.Add(int64(len(sc.raw)))
	if errors.Is(err, errTooLarge) {
		l.st.httpRejected.Add(1)
		http.Error(w, fmt.Sprintf("collector: body over %d bytes", l.cfg.MaxBody), http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		return // the client went away: no one to answer
	}
	body := sc.raw
	switch enc := strings.ToLower(strings.TrimSpace(req.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		body, err = sc.gunzip(l.cfg.MaxBody)
		if errors.Is(err, errTooLarge) {
			l.st.httpRejected.Add(1)
			http.Error(w, fmt.Sprintf("collector: decompressed body over %d bytes", l.cfg.MaxBody), http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			l.st.httpBad.Add(1)
			http.Error(w, "collector: bad gzip body: "+err.Error(), http.StatusBadRequest)
			return
		}
	default:
		l.st.httpRejected.Add(1)
		http.Error(w, "collector: unsupported Content-Encoding "+fmt.Sprintf("%q", enc), http.StatusUnsupportedMediaType)
		return
	}
	at := l.cfg.Now()
	sc.spans, err = splitBatch(sc.spans[:0], body)
	if err != nil {
		l.st.httpBad.Add(1)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

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
	l.st.httpOK.Add(1)
	w.WriteHeader(http.StatusOK)
}

// gunzip decompresses sc.raw into sc.plain, up to limit bytes.
func (sc *httpScratch) gunzip(limit int) ([]byte, error) {
	sc.src.Reset(sc.raw)
	if sc.gz == nil {
		gz, err := gzip.NewReader(&sc.src)
		if err != nil {
			return nil, err
		}
		sc.gz = gz
	} else if err := sc.gz.Reset(&sc.src); err != nil {
		return nil, err
	}
	var err error
	sc.plain, err = readLimited(sc.plain[:0], sc.gz, limit)
	return sc.plain, err
}

// putScratch returns sc to the pool unless its buffers have grown past maxPooledBody.
func (l *Listener) putScratch(sc *httpScratch) {
	if cap(sc.raw) > maxPooledBody || cap(sc.plain) > maxPooledBody {
		return
	}
	l.bodies.Put(sc)
}

// readLimited appends r's content to dst, failing with errTooLarge past limit bytes.
func readLimited(dst []byte, r io.Reader, limit int) ([]byte, error) {
	if cap(dst) == 0 {
		dst = make([]byte, 0, 32<<10)
	}
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
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
