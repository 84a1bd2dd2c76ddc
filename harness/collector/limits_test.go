package collector_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

func TestParseHTTPAuth(t *testing.T) {
	tests := []struct {
		name, in string
		want     []collector.HTTPHeader
		err      string
	}{
		{name: "bearer", in: "Authorization: Bearer s3cret\n", want: []collector.HTTPHeader{{Name: "Authorization", Value: "Bearer s3cret"}}},
		{name: "several", in: "# keys\n\n  x-api-key :  k1  \r\nAuthorization: Basic YTpi\n", want: []collector.HTTPHeader{
			{Name: "X-Api-Key", Value: "k1"}, {Name: "Authorization", Value: "Basic YTpi"}}},
		{name: "value-with-colons", in: "X-Token: a:b:c", want: []collector.HTTPHeader{{Name: "X-Token", Value: "a:b:c"}}},
		{name: "no-colon", in: "Authorization Bearer x\n", err: "auth:1: want"},
		{name: "bad-name", in: "\nBad Name: x\n", err: "auth:2: \"Bad Name\" is not a header name"},
		{name: "no-value", in: "Authorization:  \n", err: "auth:1: header Authorization has no value"},
		{name: "empty", in: "# nothing\n", err: "auth: no"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := collector.ParseHTTPAuth("auth", []byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("error = %v; want one starting %q", err, tc.err)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("ParseHTTPAuth = %v, %v; want %v", got, err, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("[%d] = %+v; want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// post sends body to url with the given headers and returns the status and response headers.
func post(t *testing.T, hc *http.Client, url string, body []byte, hdr ...string) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// TestHTTPAuth: with credentials configured, a request without one of them gets 401, is counted, and
// has no Handler and no body read; one with any accepted credential is served.
func TestHTTPAuth(t *testing.T) {
	auth, err := collector.ParseHTTPAuth("auth", []byte("Authorization: Bearer right\nX-Api-Key: k2\n"))
	if err != nil {
		t.Fatal(err)
	}
	var rec collectortest.Recorder
	l := listen(t, "http://127.0.0.1:0", collector.Config{HTTPAuth: auth}, rec.NewHandler)
	hc := &http.Client{Timeout: waitFor}
	body := []byte(`[{"a":1}]`)
	for _, tc := range []struct {
		name string
		hdr  []string
		want int
	}{
		{"none", nil, 401},
		{"wrong", []string{"Authorization", "Bearer wrong"}, 401},
		{"prefix", []string{"Authorization", "Bearer righ"}, 401},
		{"other-header", []string{"X-Other", "Bearer right"}, 401},
		{"bearer", []string{"Authorization", "Bearer right"}, 200},
		{"api-key", []string{"X-Api-Key", "k2"}, 200},
	} {
		if got, _ := post(t, hc, l.URL(), body, tc.hdr...); got != tc.want {
			t.Errorf("%s: status %d; want %d", tc.name, got, tc.want)
		}
	}
	l.Close()
	st := l.Stats()
	if st.HTTPUnauthorized != 4 || st.HTTPBatches != 2 || st.Records != 2 || st.Bytes != int64(2*len(body)) {
		t.Errorf("Stats() = %+v; want 4 unauthorized, 2 batches of 1 record, only their bodies read", st)
	}
	if n := len(rec.Streams()); n != 2 {
		t.Errorf("%d handlers; want 2, none for the refused requests", n)
	}
}

// TestHTTPSlowBody: a body still arriving after HTTPReadTimeout gets 408 and is counted; an idle
// keep-alive connection is closed after IdleTimeout.
func TestHTTPSlowBody(t *testing.T) {
	var rec collectortest.Recorder
	l := listen(t, "http://127.0.0.1:0", collector.Config{HTTPReadTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond}, rec.NewHandler)

	slow := tcpDialer(t, l.Addr().String())
	defer slow.Close()
	slow.SetDeadline(time.Now().Add(waitFor))
	io.WriteString(slow, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n[")
	resp, err := http.ReadResponse(bufio.NewReader(slow), nil)
	if err != nil {
		t.Fatalf("no answer to a slow body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("slow body: status %d; want 408", resp.StatusCode)
	}

	idle := tcpDialer(t, l.Addr().String())
	defer idle.Close()
	idle.SetDeadline(time.Now().Add(waitFor))
	io.WriteString(idle, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]")
	br := bufio.NewReader(idle)
	resp, err = http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("keep-alive request: %v, %v", resp, err)
	}
	resp.Body.Close()
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) && !isReset(err) {
		t.Errorf("idle keep-alive: read = %v; want the collector to close the connection", err)
	}
	if st := l.Stats(); st.HTTPTimeouts != 1 || st.HTTPBatches != 1 {
		t.Errorf("Stats() = %+v; want 1 timeout, 1 batch", st)
	}
}

// isReset reports a connection reset by the peer.
func isReset(err error) bool { return err != nil && strings.Contains(err.Error(), "connection reset") }

// blockingHandler blocks every Record until release is closed, after signalling entered once.
type blockingHandler struct {
	entered chan struct{}
	release chan struct{}
	once    *sync.Once
}

func (h blockingHandler) Record([]byte, collector.Format, int64) {
	h.once.Do(func() { close(h.entered) })
	<-h.release
}
func (blockingHandler) Oversize(int64) {}
func (blockingHandler) Close(error)    {}

// TestHTTPBudget: while one request holds most of the budget (or the only slot), another that does not
// fit waits HTTPQueueWait and gets 503 with Retry-After; one that needs more than the whole budget gets
// 413 at once; once the first is done, the next fits.
func TestHTTPBudget(t *testing.T) {
	big := []byte(`[{"a":"` + strings.Repeat("x", 300<<10) + `"}]`) // ~300 KiB: with its buffers, most of 512 KiB
	small := []byte(`[{"a":1}]`)
	for _, tc := range []struct {
		name   string
		cfg    collector.Config
		second []byte
	}{
		{"budget", collector.Config{HTTPBudget: 512 << 10, MaxRecords: 10, MaxLine: 1 << 20}, big},
		{"slots", collector.Config{HTTPBudget: 8 << 20, MaxRequests: 1, MaxRecords: 10, MaxLine: 1 << 20}, small},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.HTTPQueueWait = 100 * time.Millisecond
			h := blockingHandler{entered: make(chan struct{}), release: make(chan struct{}), once: new(sync.Once)}
			l := listen(t, "http://127.0.0.1:0", tc.cfg, func(collector.Conn) collector.Handler { return h })
			var releaseOnce sync.Once
			release := func() { releaseOnce.Do(func() { close(h.release) }) }
			t.Cleanup(release) // before the Listener's Close, which waits for the request
			hc := &http.Client{Timeout: waitFor}
			first := make(chan int, 1)
			go func() {
				resp, err := hc.Post(l.URL(), "application/json", bytes.NewReader(big))
				if err != nil {
					first <- 0
					return
				}
				resp.Body.Close()
				first <- resp.StatusCode
			}()
			<-h.entered // the first request holds its budget and slot
			code, hdr := post(t, hc, l.URL(), tc.second)
			if code != 503 || hdr.Get("Retry-After") != "1" {
				t.Errorf("second request: status %d, Retry-After %q; want 503, 1", code, hdr.Get("Retry-After"))
			}
			release()
			if code := <-first; code != 200 {
				t.Errorf("first request: status %d; want 200", code)
			}
			if code, _ := post(t, hc, l.URL(), tc.second); code != 200 {
				t.Errorf("second request once the first is done: status %d; want 200", code)
			}
			if st := l.Stats(); st.HTTPBusy != 1 || st.HTTPBatches != 2 {
				t.Errorf("Stats() = %+v; want 1 busy, 2 batches", st)
			}
		})
	}
	t.Run("over-whole-budget", func(t *testing.T) {
		var rec collectortest.Recorder
		l := listen(t, "http://127.0.0.1:0", collector.Config{HTTPBudget: 64 << 10, MaxLine: 1 << 20}, rec.NewHandler)
		if code, _ := post(t, &http.Client{Timeout: waitFor}, l.URL(), big); code != 413 {
			t.Errorf("status %d; want 413", code)
		}
		if st := l.Stats(); st.HTTPRejected != 1 || st.HTTPBusy != 0 {
			t.Errorf("Stats() = %+v; want 1 rejected", st)
		}
	})
}

// TestHTTPMaxRecords: a batch of more objects than MaxRecords gets 413, whole; one of exactly
// MaxRecords is served.
func TestHTTPMaxRecords(t *testing.T) {
	var rec collectortest.Recorder
	l := listen(t, "http://127.0.0.1:0", collector.Config{MaxRecords: 3}, rec.NewHandler)
	hc := &http.Client{Timeout: waitFor}
	for _, tc := range []struct {
		body string
		want int
	}{
		{`[{},{},{}]`, 200},
		{`[{},{},{},{}]`, 413},
		{"{}\n{}\n{}\n{}\n", 413},
		{`[{"a":{"b":{}}},{},{}]`, 200}, // nested objects are not records
	} {
		if code, _ := post(t, hc, l.URL(), []byte(tc.body)); code != tc.want {
			t.Errorf("%s: status %d; want %d", tc.body, code, tc.want)
		}
	}
	if got := len(rec.Records()); got != 6 {
		t.Errorf("%d records handed over; want 6", got)
	}
}

// TestMaxConnections: a TCP (or TLS) connection beyond MaxConnections is closed at once and counted;
// once one closes, a new one is served.
func TestMaxConnections(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	for _, tc := range []struct {
		scheme string
		dial   dialer
	}{{"tcp", tcpDialer}, {"tls", tlsDialer(client)}} {
		t.Run(tc.scheme, func(t *testing.T) {
			var rec collectortest.Recorder
			l := listen(t, tc.scheme+"://127.0.0.1:0", collector.Config{MaxConnections: 2, TLS: server}, rec.NewHandler)
			addr := l.Addr().String()
			a, b := tc.dial(t, addr), tc.dial(t, addr)
			io.WriteString(a, nssLines[0]+"\n")
			io.WriteString(b, nssLines[1]+"\n")
			waitUntil(t, func() bool { return len(rec.Records()) == 2 })

			over := tcpDialer(t, addr) // accepted by the kernel, closed by the collector
			over.SetReadDeadline(time.Now().Add(waitFor))
			if _, err := over.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !isReset(err) {
				t.Errorf("connection over the cap: read = %v; want it closed", err)
			}
			over.Close()
			if st := l.Stats(); st.Refused != 1 || st.OpenConnections != 2 {
				t.Errorf("Stats() = %+v; want 1 refused, 2 open", st)
			}

			a.Close()
			rec.WaitClosed(t, 1, waitFor)
			waitUntil(t, func() bool { return l.Stats().OpenConnections == 1 })
			c := tc.dial(t, addr)
			io.WriteString(c, nssLines[2]+"\n")
			waitUntil(t, func() bool { return len(rec.Records()) == 3 })
			b.Close()
			c.Close()
		})
	}
}

// TestIdleTimeout: a TCP or TLS stream without data for IdleTimeout is closed, counted, and its
// Handler closed with ErrIdle after its records.
func TestIdleTimeout(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	for _, tc := range []struct {
		scheme string
		dial   dialer
	}{{"tcp", tcpDialer}, {"tls", tlsDialer(client)}} {
		t.Run(tc.scheme, func(t *testing.T) {
			var rec collectortest.Recorder
			l := listen(t, tc.scheme+"://127.0.0.1:0", collector.Config{IdleTimeout: 200 * time.Millisecond, TLS: server}, rec.NewHandler)
			c := tc.dial(t, l.Addr().String())
			defer c.Close()
			io.WriteString(c, nssLines[0]+"\n")
			c.SetReadDeadline(time.Now().Add(waitFor))
			if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !isReset(err) {
				t.Errorf("idle stream: read = %v; want it closed", err)
			}
			rec.WaitClosed(t, 1, waitFor)
			s := rec.Streams()[0]
			if !errors.Is(s.Err, collector.ErrIdle) || len(s.Records) != 1 {
				t.Errorf("stream: %d records, Close(%v); want 1, ErrIdle", len(s.Records), s.Err)
			}
			if st := l.Stats(); st.IdleClosed != 1 {
				t.Errorf("Stats().IdleClosed = %d; want 1", st.IdleClosed)
			}
		})
	}
}

// TestClientCertificates: with ClientCAs and RequireAndVerifyClientCert, tls:// and https:// serve a
// client whose certificate the CA issued, and refuse one without a certificate or with another CA's.
func TestClientCertificates(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	ca, other := collectortest.NewCA(t), collectortest.NewCA(t)
	server.ClientCAs, server.ClientAuth = ca.Pool(), tls.RequireAndVerifyClientCert
	withCert := func(c tls.Certificate) *tls.Config {
		cc := client.Clone()
		cc.Certificates = []tls.Certificate{c}
		return cc
	}
	clients := []struct {
		name string
		cfg  *tls.Config
		ok   bool
	}{
		{"issued", withCert(ca.ClientCert(t, "nss")), true},
		{"no-certificate", client, false},
		{"other-ca", withCert(other.ClientCert(t, "intruder")), false},
	}
	t.Run("tls", func(t *testing.T) {
		var rec collectortest.Recorder
		l := listen(t, "tls://127.0.0.1:0", collector.Config{TLS: server}, rec.NewHandler)
		for _, c := range clients {
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: waitFor}, "tcp", l.Addr().String(), c.cfg)
			if err == nil {
				// TLS 1.3: the server's verdict on the client's certificate arrives with the first read,
				// which an accepted stream ends with EOF once the collector has seen ours.
				io.WriteString(conn, nssLines[0]+"\n")
				conn.CloseWrite()
				conn.SetReadDeadline(time.Now().Add(waitFor))
				_, err = conn.Read(make([]byte, 1))
				if errors.Is(err, io.EOF) {
					err = nil
				}
				conn.Close()
			}
			if c.ok && err != nil {
				t.Errorf("%s: %v; want the stream accepted", c.name, err)
			}
			if !c.ok && err == nil {
				t.Errorf("%s: connection accepted; want the handshake refused", c.name)
			}
		}
		waitUntil(t, func() bool { return l.Stats().TLSHandshakeErrors == 2 })
		if got := rec.Records(); len(got) != 1 {
			t.Errorf("records = %q; want only the issued client's", got)
		}
	})
	t.Run("https", func(t *testing.T) {
		var rec collectortest.Recorder
		l := listen(t, "https://127.0.0.1:0", collector.Config{TLS: server}, rec.NewHandler)
		for _, c := range clients {
			hc := &http.Client{Timeout: waitFor, Transport: &http.Transport{TLSClientConfig: c.cfg}}
			resp, err := hc.Post(l.URL(), "application/json", strings.NewReader(`[{"a":1}]`))
			if err == nil {
				resp.Body.Close()
			}
			if c.ok && (err != nil || resp.StatusCode != 200) {
				t.Errorf("%s: %v; want 200", c.name, err)
			}
			if !c.ok && err == nil {
				t.Errorf("%s: status %d; want the handshake refused", c.name, resp.StatusCode)
			}
		}
		if got := rec.Records(); len(got) != 1 {
			t.Errorf("records = %q; want only the issued client's", got)
		}
	})
}

// TestTLSAEADOnly: TLS 1.2 with a CBC suite is refused on tls:// and https://; with AES-GCM it is
// served.
func TestTLSAEADOnly(t *testing.T) {
	server, client := collectortest.SelfSigned(t) // ECDSA: the ECDHE_ECDSA suites
	tls12 := func(suite uint16) *tls.Config {
		c := client.Clone()
		c.MinVersion, c.MaxVersion, c.CipherSuites = tls.VersionTLS12, tls.VersionTLS12, []uint16{suite}
		return c
	}
	for _, scheme := range []string{"tls", "https"} {
		var rec collectortest.Recorder
		l := listen(t, scheme+"://127.0.0.1:0", collector.Config{TLS: server}, rec.NewHandler)
		for _, tc := range []struct {
			suite uint16
			ok    bool
		}{
			{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, false},
			{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, false},
			{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true},
			{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, true},
		} {
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: waitFor}, "tcp", l.Addr().String(), tls12(tc.suite))
			if err == nil {
				conn.Close()
			}
			if (err == nil) != tc.ok {
				t.Errorf("%s with %s: handshake error %v; want success %t", scheme, tls.CipherSuiteName(tc.suite), err, tc.ok)
			}
		}
	}
}

// TestHTTPSHandshakeErrors: an https:// listener that requires client certificates counts every failed
// handshake in TLSHandshakeErrors, once (a plain-HTTP client, a client that does not speak TLS, one
// without a certificate, one with another CA's), and none for a client it serves.
func TestHTTPSHandshakeErrors(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	ca, other := collectortest.NewCA(t), collectortest.NewCA(t)
	server.ClientCAs, server.ClientAuth = ca.Pool(), tls.RequireAndVerifyClientCert
	withCert := func(c tls.Certificate) *tls.Config {
		cc := client.Clone()
		cc.Certificates = []tls.Certificate{c}
		return cc
	}
	var rec collectortest.Recorder
	l := listen(t, "https://127.0.0.1:0", collector.Config{TLS: server}, rec.NewHandler)
	body := `[{"a":1}]`
	viaTLS := func(cfg *tls.Config) func(*testing.T) {
		return func(t *testing.T) {
			hc := &http.Client{Timeout: waitFor, Transport: &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}}
			resp, err := hc.Post(l.URL(), "application/json", strings.NewReader(body))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d; want 200 or a refused handshake", resp.StatusCode)
				}
			}
		}
	}
	plain := func(send string) func(*testing.T) {
		return func(t *testing.T) {
			c := tcpDialer(t, l.Addr().String())
			defer c.Close()
			c.SetDeadline(time.Now().Add(waitFor))
			io.WriteString(c, send)
			io.Copy(io.Discard, c) // until the collector closes the connection
		}
	}
	var fails int64
	for _, tc := range []struct {
		name string
		do   func(*testing.T)
		fail bool
	}{
		{"issued", viaTLS(withCert(ca.ClientCert(t, "nss"))), false},
		{"plain-http", plain("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n" + body), true},
		{"not-tls", plain("hello\r\n"), true},
		{"no-certificate", viaTLS(client), true},
		{"other-ca", viaTLS(withCert(other.ClientCert(t, "intruder"))), true},
		{"issued-again", viaTLS(withCert(ca.ClientCert(t, "nss2"))), false},
	} {
		tc.do(t)
		if tc.fail {
			fails++
		}
		// The client may see the refusal before the collector has counted it.
		waitUntil(t, func() bool { return l.Stats().TLSHandshakeErrors >= fails })
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if st := l.Stats(); st.TLSHandshakeErrors != fails || st.HTTPBatches != 2 {
		t.Errorf("Stats() = %+v; want %d handshake errors, 2 batches", st, fails)
	}
	if got := rec.Records(); len(got) != 2 {
		t.Errorf("records = %q; want only the issued clients'", got)
	}
}

// TestHTTPIdleClosed: an HTTP(S) keep-alive connection the collector closes after IdleTimeout without a
// next request is counted in IdleClosed; one the client closes, and one still idle when the Listener
// closes, are not.
func TestHTTPIdleClosed(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	for _, tc := range []struct {
		scheme string
		dial   dialer
	}{{"http", tcpDialer}, {"https", tlsDialer(client)}} {
		t.Run(tc.scheme, func(t *testing.T) {
			// keepAlive opens a connection to l and makes one request on it, answered 200 and kept open.
			keepAlive := func(l *collector.Listener) (net.Conn, *bufio.Reader) {
				c := tc.dial(t, l.Addr().String())
				t.Cleanup(func() { c.Close() })
				c.SetDeadline(time.Now().Add(waitFor))
				io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]")
				br := bufio.NewReader(c)
				resp, err := http.ReadResponse(br, nil)
				if err != nil || resp.StatusCode != 200 || resp.Close {
					t.Fatalf("keep-alive request: %v, %v", resp, err)
				}
				resp.Body.Close()
				return c, br
			}
			closed := func(name string, br *bufio.Reader) {
				if _, err := br.ReadByte(); !errors.Is(err, io.EOF) && !isReset(err) {
					t.Errorf("%s: read = %v; want the collector to close the connection", name, err)
				}
			}

			var rec collectortest.Recorder
			short := listen(t, tc.scheme+"://127.0.0.1:0", collector.Config{IdleTimeout: 200 * time.Millisecond, TLS: server}, rec.NewHandler)
			_, br := keepAlive(short)
			closed("idle keep-alive", br)
			waitUntil(t, func() bool { return short.Stats().IdleClosed == 1 })

			// A long IdleTimeout: neither of these can be closed for it, whatever the machine's load.
			long := listen(t, tc.scheme+"://127.0.0.1:0", collector.Config{IdleTimeout: time.Minute, TLS: server}, rec.NewHandler)
			byClient, _ := keepAlive(long)
			byClient.Close()
			_, atClose := keepAlive(long)
			for _, l := range []*collector.Listener{short, long} {
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
			}
			closed("keep-alive idle at Close", atClose)
			if got := short.Stats().IdleClosed; got != 1 {
				t.Errorf("IdleTimeout 200ms: IdleClosed = %d; want 1", got)
			}
			if got := long.Stats().IdleClosed; got != 0 {
				t.Errorf("closed by the client and by Close: IdleClosed = %d; want 0", got)
			}
		})
	}
}

func TestReadHTTPAuth(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good"), filepath.Join(dir, "bad")
	if err := os.WriteFile(good, []byte("Authorization: Bearer k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("# keys\nAuthorization Bearer k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want []collector.HTTPHeader
		err  string // the error's start, "" none
	}{
		{good, []collector.HTTPHeader{{Name: "Authorization", Value: "Bearer k"}}, ""},
		{bad, nil, bad + ":2: want"},
		{filepath.Join(dir, "none"), nil, "open " + filepath.Join(dir, "none")},
	}
	for _, tc := range tests {
		got, err := collector.ReadHTTPAuth(tc.path)
		if (err == nil) != (tc.err == "") || err != nil && !strings.HasPrefix(err.Error(), tc.err) || !slices.Equal(got, tc.want) {
			t.Errorf("ReadHTTPAuth(%s) = %v, %v; want %v, error %q", tc.path, got, err, tc.want, tc.err)
		}
	}
}
