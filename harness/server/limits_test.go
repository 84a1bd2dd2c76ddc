package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
)

// failingSink fails every verdict after the first ok ones.
type failingSink struct{ ok, n int }

var errDiskFull = errors.New("no space left on device")

func (f *failingSink) Verdict(collector.Conn, *verdict.Verdict) error {
	if f.n++; f.n > f.ok {
		return errDiskFull
	}
	return nil
}

// TestSinkFailedAtOnce: the sink's first error closes SinkFailed while the server runs, and SinkErr and
// Close report it.
func TestSinkFailedAtOnce(t *testing.T) {
	srv, err := Start(Config{
		Listen:   []string{"tcp://127.0.0.1:0"},
		Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
		Sink:     &failingSink{ok: 2}, // one stream: Verdict calls come from one goroutine
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if srv.SinkErr() != nil {
		t.Fatalf("SinkErr() = %v before any verdict", srv.SinkErr())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr, err := transport.Dial(ctx, srv.URLs()[0], transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for _, l := range lines {
		tr.Send(0, []byte(l))
	}
	tr.Flush()
	select {
	case <-srv.SinkFailed():
	case <-ctx.Done():
		t.Fatal("SinkFailed not closed after the sink failed")
	}
	if err := srv.SinkErr(); !errors.Is(err, errDiskFull) || !strings.HasPrefix(err.Error(), "verdict sink: ") {
		t.Errorf("SinkErr() = %v; want the sink's error", err)
	}
	tr.Close()
	if err := srv.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close() = %v; want the sink's error", err)
	}
}

// TestListenerLimitMetrics: the listeners' limit counters are exported per listener.
func TestListenerLimitMetrics(t *testing.T) {
	auth, err := collector.ParseHTTPAuth("auth", []byte("Authorization: Bearer ok\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(Config{
		Listen:    []string{"tcp://127.0.0.1:0", "http://127.0.0.1:0"},
		Collector: collector.Config{HTTPAuth: auth},
		Pipeline:  pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tcpURL, httpURL := srv.URLs()[0], srv.URLs()[1]
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Post(httpURL, "application/json", strings.NewReader(`[{}]`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d; want 401", resp.StatusCode)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewPrometheusCollector(srv))
	exp := fmt.Sprintf(`
# HELP nssbench_collector_http_unauthorized_total HTTP requests answered 401: no accepted credential header; their bodies were not read.
# TYPE nssbench_collector_http_unauthorized_total counter
nssbench_collector_http_unauthorized_total{listener=%[1]q} 1
# HELP nssbench_collector_idle_closed_total TCP and TLS streams closed after the idle timeout without data, and HTTP keep-alive connections closed after it without a next request.
# TYPE nssbench_collector_idle_closed_total counter
nssbench_collector_idle_closed_total{listener=%[2]q} 0
nssbench_collector_idle_closed_total{listener=%[1]q} 0
# HELP nssbench_collector_connections_refused_total Connections closed as soon as accepted because the listener had its maximum open.
# TYPE nssbench_collector_connections_refused_total counter
nssbench_collector_connections_refused_total{listener=%[2]q} 0
nssbench_collector_connections_refused_total{listener=%[1]q} 0
`, httpURL, tcpURL)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(exp),
		"nssbench_collector_http_unauthorized_total", "nssbench_collector_idle_closed_total", "nssbench_collector_connections_refused_total"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "nssbench_collector_http_busy_total", "nssbench_collector_http_timeouts_total", "nssbench_collector_http_rejected_total"); err != nil || n != 3 {
		t.Errorf("%d HTTP limit series (%v); want one each for the HTTP listener", n, err)
	}
}

// TestIdleStreamIsNoError: a stream closed for being idle is counted by its listener, not as a stream
// error.
func TestIdleStreamIsNoError(t *testing.T) {
	srv, err := Start(Config{
		Listen:    []string{"tcp://127.0.0.1:0"},
		Collector: collector.Config{IdleTimeout: 100 * time.Millisecond},
		Pipeline:  pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := net.DialTimeout("tcp", srv.Listeners()[0].Addr().String(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "%s\n", lines[0])
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read = %v; want the idle stream closed", err)
	}
	if err := srv.Close(); err != nil { // waits for every Handler's Close
		t.Fatal(err)
	}
	if srv.Listeners()[0].Stats().IdleClosed != 1 || srv.Counters().StreamErrors.Load() != 0 || srv.Counters().Received.Load() != 1 {
		t.Errorf("idle closed %d, stream errors %d, received %d; want 1, 0, 1",
			srv.Listeners()[0].Stats().IdleClosed, srv.Counters().StreamErrors.Load(), srv.Counters().Received.Load())
	}
}

// TestTLSHandshakeErrorMetric: tls:// and https:// listeners that require a client certificate count
// a client without one, and a plain-HTTP client, as failed handshakes, exported per TLS listener.
func TestTLSHandshakeErrorMetric(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	ca := collectortest.NewCA(t)
	server.ClientCAs, server.ClientAuth = ca.Pool(), tls.RequireAndVerifyClientCert
	srv, err := Start(Config{
		Listen:    []string{"tls://127.0.0.1:0", "tcp://127.0.0.1:0", "https://127.0.0.1:0"},
		Collector: collector.Config{TLS: server},
		Pipeline:  pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", srv.Listeners()[0].Addr().String(), client)
	if err != nil {
		t.Fatal(err) // TLS 1.3: the client's side of the handshake ends before the server checks its certificate
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("read succeeded; want the connection refused for want of a client certificate")
	}
	hc, err := net.DialTimeout("tcp", srv.Listeners()[2].Addr().String(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer hc.Close()
	hc.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprint(hc, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]")
	if resp, _ := io.ReadAll(hc); !strings.HasPrefix(string(resp), "HTTP/1.0 400 ") {
		t.Fatalf("plain HTTP to https://: %q; want 400", resp)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewPrometheusCollector(srv))
	exp := fmt.Sprintf(`
# HELP nssbench_collector_tls_handshake_errors_total TLS connections closed because the handshake failed or timed out, a missing or refused client certificate included.
# TYPE nssbench_collector_tls_handshake_errors_total counter
nssbench_collector_tls_handshake_errors_total{listener=%q} 1
nssbench_collector_tls_handshake_errors_total{listener=%q} 1
`, srv.URLs()[0], srv.URLs()[2])
	// The client may read the server's alert before the server has counted the handshake.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		err := testutil.GatherAndCompare(reg, strings.NewReader(exp), "nssbench_collector_tls_handshake_errors_total")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
}
