package collector

import (
	"bufio"
	"bytes"
	"context"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// ErrIdle is the error a Handler's Close receives when its TCP or TLS stream was closed for
// Config.IdleTimeout without data.
var ErrIdle = errors.New("collector: stream idle")

// HTTPHeader is one accepted credential of Config.HTTPAuth: a header and its exact value.
type HTTPHeader struct {
	Name  string // canonical form, e.g. "Authorization"
	Value string // e.g. "Bearer 3f…"
}

// ParseHTTPAuth reads accepted credentials, one "Header: value" per line (e.g. "Authorization: Bearer
// 3f…" or "X-Api-Key: …"), as Cloud NSS sends its configured HTTP header. Blank lines and lines
// starting with '#' are skipped; space around the name and the value is not part of them. name is
// used in errors ("name:line: …"). At least one credential is required.
func ParseHTTPAuth(name string, data []byte) ([]HTTPHeader, error) {
	var out []HTTPHeader
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s:%d: want \"Header: value\"", name, n)
		case !validHeaderName(k):
			return nil, fmt.Errorf("%s:%d: %q is not a header name", name, n, k)
		case v == "":
			return nil, fmt.Errorf("%s:%d: header %s has no value", name, n, k)
		}
		out = append(out, HTTPHeader{Name: textproto.CanonicalMIMEHeaderKey(k), Value: v})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no \"Header: value\" line", name)
	}
	return out, nil
}

// ReadHTTPAuth reads the credentials file at path (ParseHTTPAuth, its errors naming path).
func ReadHTTPAuth(path string) ([]HTTPHeader, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseHTTPAuth(path, data)
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// authorized reports whether req carries one of the accepted credentials. Every credential and every
// value of its header is compared, in constant time, so the time taken does not depend on how much of
// a secret matched.
func authorized(req *http.Request, accepted []HTTPHeader) bool {
	ok := 0
	for _, a := range accepted {
		for _, v := range req.Header.Values(a.Name) {
			ok |= subtle.ConstantTimeCompare([]byte(strings.TrimSpace(v)), []byte(a.Value))
		}
	}
	return ok == 1
}

// aeadSuites are the TLS 1.2 cipher suites a Listener accepts: ECDHE key exchange with AES-GCM or
// ChaCha20-Poly1305. TLS 1.3's suites are all AEAD and not configurable.
var aeadSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// hardenTLS returns a copy of c that speaks TLS 1.2 or later and, where c names no cipher suites,
// limits TLS 1.2 to aeadSuites.
func hardenTLS(c *tls.Config) *tls.Config {
	c = c.Clone()
	c.MinVersion = max(c.MinVersion, tls.VersionTLS12)
	if len(c.CipherSuites) == 0 {
		c.CipherSuites = aeadSuites
	}
	return c
}

// connLimit counts a Listener's open connections against Config.MaxConnections.
type connLimit struct {
	max  int64 // 0: no cap
	open atomic.Int64
}

// take claims a place for a new connection, and false when the cap is reached.
func (c *connLimit) take() bool {
	if c.open.Add(1) > c.max && c.max > 0 {
		c.open.Add(-1)
		return false
	}
	return true
}

// release gives back a place taken by take.
func (c *connLimit) release() { c.open.Add(-1) }

// limitedListener is the HTTP listener's net.Listener: connections beyond the cap are closed at once
// and counted; the others give their place back when closed.
type limitedListener struct {
	net.Listener
	l *Listener
}

// Accept returns the next connection within the cap.
func (ll limitedListener) Accept() (net.Conn, error) {
	for {
		nc, err := ll.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if ll.l.limit.take() {
			return &limitedConn{Conn: nc, lim: &ll.l.limit}, nil
		}
		ll.l.st.refused.Add(1)
		nc.Close()
	}
}

// limitedConn gives its place back once, on its first Close. For the HTTP server it also follows the
// connection's state, so that a keep-alive closed for IdleTimeout can be told apart (see connState).
type limitedConn struct {
	net.Conn
	lim  *connLimit
	once sync.Once

	state       atomic.Int32 // the http.ConnState last reported
	idleExpired atomic.Bool  // a read timed out while the connection was idle
}

// Read reads from the connection, noting a timeout while idle: net/http's wait for the next request
// reached its IdleTimeout deadline.
func (c *limitedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && http.ConnState(c.state.Load()) == http.StateIdle && isTimeout(err) {
		c.idleExpired.Store(true)
	}
	return n, err
}

// Close closes the connection and releases its place.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.lim.release)
	return err
}

// errBusy reports a request that did not get its budget or slot within HTTPQueueWait.
var errBusy = errors.New("busy")

// errOverBudget reports a request that needs more than the whole budget.
var errOverBudget = errors.New("over the whole budget")

// reservation is one HTTP request's share of Config.HTTPBudget, grown as its buffers grow.
type reservation struct {
	sem  *semaphore.Weighted
	size int64 // the whole budget
	ctx  context.Context
	held int64
}

// grow makes the reservation n bytes larger, waiting for them until the request's queue deadline.
func (r *reservation) grow(n int64) error {
	if n <= 0 {
		return nil
	}
	if r.held+n > r.size {
		return errOverBudget
	}
	if !r.sem.TryAcquire(n) {
		if err := r.sem.Acquire(r.ctx, n); err != nil {
			return errBusy
		}
	}
	r.held += n
	return nil
}

// shrink gives n bytes of the reservation back.
func (r *reservation) shrink(n int64) {
	if n = min(n, r.held); n > 0 {
		r.sem.Release(n)
		r.held -= n
	}
}

// release gives the whole reservation back.
func (r *reservation) release() { r.shrink(r.held) }
