// Package collectortest holds fixtures shared by tests of the collector and its senders: a self-signed
// TLS pair, a certificate authority for client certificates, a Handler that records everything it is
// given, and one that only counts.
package collectortest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
)

// SelfSigned makes an ECDSA P-256 certificate for 127.0.0.1, ::1 and localhost, valid for an hour, and
// returns a server configuration carrying it and a client configuration trusting it.
func SelfSigned(tb testing.TB) (server, client *tls.Config) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "nssbench test collector"},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	client = &tls.Config{RootCAs: pool}
	return server, client
}

// Stream is what a Recorder saw of one stream.
type Stream struct {
	Conn     collector.Conn
	Records  []string
	Formats  []collector.Format
	Received []int64
	Oversize int
	Closed   bool
	Err      error // the error Close received
}

// Recorder is a collector.NewHandler source that keeps copies of every record. Delay, if set, is slept
// in each Record call to make a slow handler. Safe for concurrent use.
type Recorder struct {
	Delay time.Duration

	mu      sync.Mutex
	streams []*Stream
	closed  chan struct{} // receives one value per closed stream
	once    sync.Once
}

// NewHandler is a collector.NewHandler.
func (r *Recorder) NewHandler(c collector.Conn) collector.Handler {
	r.init()
	s := &Stream{Conn: c}
	r.mu.Lock()
	r.streams = append(r.streams, s)
	r.mu.Unlock()
	return &recordingHandler{r: r, s: s}
}

func (r *Recorder) init() { r.once.Do(func() { r.closed = make(chan struct{}, 1<<16) }) }

// Streams returns copies of the streams seen so far, in order of NewHandler calls.
func (r *Recorder) Streams() []Stream {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Stream, len(r.streams))
	for i, s := range r.streams {
		out[i] = *s
		out[i].Records = append([]string(nil), s.Records...)
		out[i].Formats = append([]collector.Format(nil), s.Formats...)
		out[i].Received = append([]int64(nil), s.Received...)
	}
	return out
}

// Records returns all records seen so far, stream by stream.
func (r *Recorder) Records() []string {
	var out []string
	for _, s := range r.Streams() {
		out = append(out, s.Records...)
	}
	return out
}

// WaitClosed waits until n streams have been closed in total, failing tb after timeout.
func (r *Recorder) WaitClosed(tb testing.TB, n int, timeout time.Duration) {
	tb.Helper()
	r.init()
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		closed := 0
		for _, s := range r.streams {
			if s.Closed {
				closed++
			}
		}
		r.mu.Unlock()
		if closed >= n {
			return
		}
		select {
		case <-r.closed:
		case <-deadline:
			tb.Fatalf("%d of %d streams closed after %v", closed, n, timeout)
		}
	}
}

type recordingHandler struct {
	r *Recorder
	s *Stream
}

func (h *recordingHandler) Record(rec []byte, f collector.Format, received int64) {
	if h.r.Delay > 0 {
		time.Sleep(h.r.Delay)
	}
	h.r.mu.Lock()
	h.s.Records = append(h.s.Records, string(rec))
	h.s.Formats = append(h.s.Formats, f)
	h.s.Received = append(h.s.Received, received)
	h.r.mu.Unlock()
}

func (h *recordingHandler) Oversize(int64) {
	h.r.mu.Lock()
	h.s.Oversize++
	h.r.mu.Unlock()
}

func (h *recordingHandler) Close(err error) {
	h.r.mu.Lock()
	if h.s.Closed {
		h.r.mu.Unlock()
		panic("collectortest: Close called twice")
	}
	h.s.Closed, h.s.Err = true, err
	h.r.mu.Unlock()
	select {
	case h.r.closed <- struct{}{}:
	default:
	}
}

// Counter is a collector.NewHandler source that only counts, for benchmarks. Safe for concurrent use.
type Counter struct {
	Records  atomic.Int64
	Bytes    atomic.Int64 // record bytes, without framing
	Oversize atomic.Int64
	Closed   atomic.Int64
}

// NewHandler is a collector.NewHandler.
func (c *Counter) NewHandler(collector.Conn) collector.Handler { return &countingHandler{c: c} }

type countingHandler struct {
	c              *Counter
	records, bytes int64
}

func (h *countingHandler) Record(rec []byte, _ collector.Format, _ int64) {
	h.records++
	h.bytes += int64(len(rec))
	if h.records%1024 == 0 {
		h.publish()
	}
}

func (h *countingHandler) publish() {
	h.c.Records.Add(h.records)
	h.c.Bytes.Add(h.bytes)
	h.records, h.bytes = 0, 0
}

func (h *countingHandler) Oversize(int64) { h.c.Oversize.Add(1) }

func (h *countingHandler) Close(error) {
	h.publish()
	h.c.Closed.Add(1)
}

// CA is a test certificate authority for client certificates (mutual TLS).
type CA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
	pem  []byte
}

// NewCA makes an ECDSA P-256 certificate authority valid for an hour.
func NewCA(tb testing.TB) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(2),
		Subject:               pkix.Name{CommonName: "nssbench test CA"},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{cert: cert, key: key, pool: pool, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// Pool returns a pool holding the CA's certificate, for tls.Config.ClientCAs.
func (ca *CA) Pool() *x509.CertPool { return ca.pool }

// PEM returns the CA's certificate in PEM, as a -client-ca file holds it.
func (ca *CA) PEM() []byte { return ca.pem }

// ClientCert issues a client certificate (ExtKeyUsageClientAuth) for name, valid for an hour.
func (ca *CA) ClientCert(tb testing.TB, name string) tls.Certificate {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		tb.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// Discard listens on a free loopback TCP port and reads and discards everything each connection sends,
// until the test ends: a collector that takes any load at once. It returns the host:port.
func Discard(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	return ln.Addr().String()
}
