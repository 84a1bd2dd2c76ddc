package run

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// extConfig returns a Config sending n smoke events at rate to target.
func extConfig(t *testing.T, scenario string, n uint64, rate float64, target string) Config {
	t.Helper()
	scn, err := loadTestScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(target, "http") {
		if _, err := scenarios.ForCloudNSS(scn); err != nil {
			t.Fatal(err)
		}
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Generator: gen,
		Pacer:     pacer.Constant{Rate: rate, Limit: pacer.Limit{Count: n, Duration: time.Minute}},
		Target:    target,
		// The run ends by the schedule's end plus the drain, and sooner once everything expected has
		// arrived: a long drain costs nothing then, and leaves a loaded machine room to deliver.
		DrainTimeout: 20 * time.Second,
		Meta:         reports.Meta{Scenario: scn.Name},
	}
}

// loadTestScenario returns a built-in scenario, or one from testdata.
func loadTestScenario(name string) (*scenarios.Scenario, error) {
	if strings.HasSuffix(name, ".json") {
		return scenarios.Load("testdata/" + name)
	}
	return scenarios.Builtin(name)
}

// freeSink returns a sink address on a free loopback port of the given scheme.
func freeSink(t *testing.T, scheme string) string {
	return fmt.Sprintf("%s://127.0.0.1:%d", scheme, runtest.FreePort(t))
}

// checkBalance fails t unless rep balances and its delivery section agrees with its counts.
func checkBalance(t *testing.T, rep *reports.Report) {
	t.Helper()
	if !rep.Balanced() {
		t.Fatalf("report does not balance: %+v", rep.Counts)
	}
	d := rep.Delivery
	if d == nil || !d.Observed {
		t.Fatalf("delivery not observed: %+v", d)
	}
	if d.Delivered != rep.Counts.Alerts {
		t.Fatalf("delivered %d, but %d alerts counted", d.Delivered, rep.Counts.Alerts)
	}
}

// TestRelayAll sends the smoke scenario through a TCP relay (a collector that forwards everything) to a
// sink: every well-formed record arrives once, nothing is lost, and end-to-end latency is measured.
func TestRelayAll(t *testing.T) {
	for _, tc := range []struct {
		name    string
		conns   int
		framing string
	}{{"lf", 1, "lf"}, {"octet two connections", 2, "octet"}} {
		t.Run(tc.name, func(t *testing.T) {
			sinkURL := freeSink(t, "tcp")
			relay := runtest.StartRelay(t, strings.TrimPrefix(sinkURL, "tcp://"))
			cfg := extConfig(t, "smoke", 3000, 20000, relay.URL())
			cfg.Connections, cfg.Framing = tc.conns, tc.framing
			cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
			rep, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkBalance(t, rep)
			c, d := rep.Counts, rep.Delivery
			if c.Offered != 3000 || c.Sent != 3000 || c.Lost != 0 {
				t.Fatalf("counts %+v; want 3000 offered and sent, none lost (lost %+v)", c, rep.Lost)
			}
			if rep.Conformance.Mismatches != 0 {
				t.Fatalf("%d mismatches: %+v", rep.Conformance.Mismatches, rep.Conformance.Examples)
			}
			if d.Duplicates != 0 || d.Foreign != 0 || d.Reordered != 0 {
				t.Fatalf("delivery %+v; want no duplicates, foreign or reordered records over TCP", d)
			}
			// Malformed records without a readable id arrive unattributed; the ones with one are delivered.
			if d.Unattributed == 0 || c.Dropped == 0 {
				t.Fatalf("unattributed %d, dropped %d: the smoke scenario's malformed records went unnoticed", d.Unattributed, c.Dropped)
			}
			if d.Delivered+c.Dropped != 3000 {
				t.Fatalf("delivered %d + dropped %d != 3000", d.Delivered, c.Dropped)
			}
			if e2e := rep.Stage(reports.EndToEnd); e2e == nil || e2e.Count != d.Delivered || e2e.P99 <= 0 {
				t.Fatalf("end-to-end latency %+v; want one sample per delivery", e2e)
			}
		})
	}
}

// TestExternalNoSink checks a run without a sink says what it could not see and never pretends.
func TestExternalNoSink(t *testing.T) {
	relay := runtest.StartRelay(t, "127.0.0.1:1") // forwards nowhere: its upstream dial fails
	cfg := extConfig(t, "smoke", 500, 20000, relay.URL())
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := rep.Delivery
	if d == nil || d.Observed || d.Unobserved+rep.Counts.Lost != 500 || rep.Counts.Verdicts != 0 {
		t.Fatalf("delivery %+v, counts %+v; want 500 unobserved or lost, no verdicts", d, rep.Counts)
	}
	var text strings.Builder
	if err := reports.Text.Render(&text, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"delivery NOT OBSERVED", "delivery not observed (no sink)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
}

// TestUnreachableTarget checks a refused or unroutable target is an error naming the address, quickly.
func TestUnreachableTarget(t *testing.T) {
	for _, target := range []string{"tcp://127.0.0.1:1", "tls://127.0.0.1:1", "http://127.0.0.1:1/nss"} {
		t.Run(target, func(t *testing.T) {
			start := time.Now()
			_, err := Run(context.Background(), extConfig(t, "smoke", 10, 1000, target))
			if err == nil || !strings.Contains(err.Error(), target) || !strings.Contains(err.Error(), "refused") {
				t.Fatalf("Run to %s: err = %v; want connection refused naming the target", target, err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %v to fail", d)
			}
		})
	}
}

// TestDeafCollector sends to a collector that accepts and never reads: the sender blocks (bounded
// buffers, no memory growth), falls behind, breaks the connection after WriteTimeout, reconnects, and at
// the end counts what it could not write as lost at send.
func TestDeafCollector(t *testing.T) {
	cfg := extConfig(t, "smoke", 40000, 40000, runtest.Deaf(t))
	cfg.WriteTimeout = 200 * time.Millisecond
	// The sender must fill the socket buffers (megabytes) before a write can stall: the run's end (the
	// schedule's end plus the drain) leaves a slow, loaded machine the time to.
	cfg.DrainTimeout = 2 * time.Second
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if el := time.Since(start); el > 3*time.Second+slack {
		t.Fatalf("run took %v; want about the schedule (1s) plus the drain (2s)", el)
	}
	c, d := rep.Counts, rep.Delivery
	if c.Offered != 40000 || c.Lost == 0 || c.Behind == 0 {
		t.Fatalf("counts %+v; want all 40000 offered, some behind and some lost", c)
	}
	if d.Reconnects == 0 || d.AtRisk == 0 {
		t.Fatalf("delivery %+v; want reconnects after write timeouts and records at risk", d)
	}
	lost := map[string]uint64{}
	for _, l := range rep.Lost {
		lost[l.Cause] = l.Count
	}
	if lost[LostStalled] == 0 {
		t.Fatalf("lost %+v; want %s", rep.Lost, LostStalled)
	}
	if lag := rep.Stage(reports.SendLag); lag == nil || lag.Max < 100*time.Millisecond {
		t.Fatalf("send lag %+v; want the stall to show", lag)
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Fatalf("heap grew %d MiB while the collector did not read", grew>>20)
	}
}

// TestReconnect stops the collector (a relay) mid-run and brings it back: the sender reconnects, counts
// the records at risk, and with a duplicate window covering the outage sends them again, so the sink
// sees every record (some twice) and nothing is lost.
func TestReconnect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		window time.Duration
	}{{"duplicate window 5s", 5 * time.Second}, {"no duplicate window", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			sinkURL := freeSink(t, "tcp")
			relay := runtest.StartRelay(t, strings.TrimPrefix(sinkURL, "tcp://"))
			cfg := extConfig(t, "smoke", 4000, 4000, relay.URL())
			cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
			cfg.DuplicateWindow = tc.window
			// After the outage the sender reconnects (with backoff) and sends again up to the whole schedule
			// (one second of it): on a machine whose cores are busy that takes several times the schedule's
			// own time, and the run's end (the schedule's end plus the drain) must leave room for it. The run
			// ends sooner once everything expected has arrived.
			cfg.DrainTimeout = 5 * time.Second
			outage := make(chan error, 1)
			go func() {
				time.Sleep(300 * time.Millisecond)
				relay.Stop()
				time.Sleep(200 * time.Millisecond)
				outage <- relay.Start()
			}()
			rep, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-outage; err != nil {
				t.Fatal(err)
			}
			checkBalance(t, rep)
			c, d := rep.Counts, rep.Delivery
			t.Logf("counts %+v lost %+v delivery %+v", c, rep.Lost, *d)
			if c.Offered != 4000 || d.Reconnects == 0 || c.Behind == 0 {
				t.Fatalf("counts %+v, delivery %+v; want 4000 offered, a reconnect, records behind schedule after the outage", c, d)
			}
			lostAtSend := c.Lost
			for _, l := range rep.Lost {
				if l.Cause == sink.LostNotDelivered {
					lostAtSend -= l.Count
				}
			}
			if lostAtSend != 0 {
				t.Fatalf("lost at send %+v; the collector came back in time", rep.Lost)
			}
			if tc.window > 0 {
				if c.Lost != 0 || d.Duplicates == 0 || d.Resent == 0 {
					t.Fatalf("lost %d (%+v), delivery %+v; want nothing lost and duplicates from the re-sent window", c.Lost, rep.Lost, d)
				}
			} else if c.Lost > 0 && c.Lost != rep.Conformance.Mismatches {
				t.Fatalf("lost %d records but %d mismatches; each loss of a valid record is a mismatch", c.Lost, rep.Conformance.Mismatches)
			}
		})
	}
}

// TestCloudNSS posts Cloud NSS JSON batches and checks NSS's response semantics: 200 delivers, 400 drops
// the batch (lost, http_400), other answers are retried (and delivered once the collector recovers, or
// lost as retry_exhausted after the retry window).
func TestCloudNSS(t *testing.T) {
	// forward returns a collector that answers the first `fail` requests with status, then relays the
	// batch to the sink and answers what the sink answered.
	forward := func(t *testing.T, sinkURL string, fail int64, status int) string {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			body, _ := io.ReadAll(req.Body)
			if n.Add(1) <= fail {
				w.WriteHeader(status)
				return
			}
			fwd, _ := http.NewRequest(http.MethodPost, sinkURL, bytes.NewReader(body))
			fwd.Header.Set("Content-Encoding", req.Header.Get("Content-Encoding"))
			resp, err := http.DefaultClient.Do(fwd)
			if err != nil {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			resp.Body.Close()
			w.WriteHeader(resp.StatusCode)
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/nss"
	}
	for _, tc := range []struct {
		name      string
		gzip      bool
		fail      int64 // requests answered status before the collector works
		status    int
		lostCause string // when every batch is lost
	}{
		{name: "sink is the collector"},
		{name: "gzip through a proxy", gzip: true},
		{name: "two 503s then fine", fail: 2, status: http.StatusServiceUnavailable},
		{name: "400 drops every batch", fail: 1 << 40, status: http.StatusBadRequest, lostCause: LostHTTP400},
		{name: "500 until the window ends", fail: 1 << 40, status: http.StatusInternalServerError, lostCause: LostRetryExhausted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sinkURL := freeSink(t, "http")
			target := sinkURL + "/nss"
			if tc.name != "sink is the collector" {
				target = forward(t, sinkURL, tc.fail, tc.status)
			}
			cfg := extConfig(t, "smoke", 1000, 20000, target)
			cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
			cfg.HTTP = transport.HTTPOptions{BatchSize: 16 << 10, Gzip: tc.gzip, RetryWindow: 300 * time.Millisecond}
			if tc.lostCause != "" {
				cfg.DrainTimeout = 500 * time.Millisecond // the retries stop this long after the schedule
			}
			rep, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkBalance(t, rep)
			c, d := rep.Counts, rep.Delivery
			t.Logf("counts %+v lost %+v delivery %+v", c, rep.Lost, *d)
			if c.Offered != 1000 || c.Dropped != 0 || d.Unattributed != 0 {
				t.Fatalf("counts %+v; want 1000 offered, no malformed records (Cloud NSS leaves them out)", c)
			}
			if tc.lostCause != "" {
				// A loaded machine may leave batches to the run's end: never attempted (not sent) or cut in
				// flight (retry_exhausted). Every other loss is the answer's.
				lost, explained := lostBy(rep), uint64(0)
				for cause, n := range lost {
					if cause == tc.lostCause || cause == LostNotSent || cause == LostRetryExhausted {
						explained += n
					}
				}
				if lost[tc.lostCause] == 0 || explained != 1000 || c.Lost != 1000 {
					t.Fatalf("lost %+v; want all 1000 lost as %s (or at the run's end)", rep.Lost, tc.lostCause)
				}
				if retried := d.Reconnects > 0; retried != (tc.status != http.StatusBadRequest) {
					t.Fatalf("%d retries after %d answers", d.Reconnects, tc.status)
				}
				return
			}
			if c.Lost != 0 || d.Delivered != 1000 || d.Duplicates != 0 || rep.Conformance.Mismatches != 0 {
				t.Fatalf("lost %+v, delivery %+v; want all 1000 delivered once", rep.Lost, d)
			}
			if tc.fail > 0 && (d.Reconnects != uint64(tc.fail) || d.Resent == 0) {
				t.Fatalf("delivery %+v; want %d retried requests", d, tc.fail)
			}
		})
	}
}

// TestTLSAndUDPTargets sends over TLS (verifying the collector's certificate) and UDP; the sink is the
// collector's destination (TLS) or the collector itself (UDP).
func TestTLSAndUDPTargets(t *testing.T) {
	t.Run("tls", func(t *testing.T) {
		sinkURL := freeSink(t, "tcp")
		serverTLS, clientTLS := collectortest.SelfSigned(t)
		ln, err := tls.Listen("tcp", "127.0.0.1:0", serverTLS)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() { // a TLS relay: one upstream connection per client
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					up, err := net.Dial("tcp", strings.TrimPrefix(sinkURL, "tcp://"))
					if err != nil {
						return
					}
					defer up.Close()
					_, _ = io.Copy(up, c)
				}()
			}
		}()
		cfg := extConfig(t, "smoke", 1000, 20000, "tls://"+ln.Addr().String())
		cfg.TLS = clientTLS
		cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
		rep, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkBalance(t, rep)
		if rep.Counts.Lost != 0 || rep.Meta.Transport != "tls" {
			t.Fatalf("over TLS: lost %+v, transport %q", rep.Lost, rep.Meta.Transport)
		}
		// Without the CA the handshake fails: a run-level error naming the target.
		cfg.TLS = nil
		if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("Run without the CA: %v; want a certificate error", err)
		}
	})
	t.Run("udp", func(t *testing.T) {
		sinkURL := freeSink(t, "udp")
		cfg := extConfig(t, "smoke", 1000, 5000, sinkURL)
		cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
		rep, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkBalance(t, rep)
		// The generator's oversize records do not fit a datagram: lost at send, and nothing else.
		for _, l := range rep.Lost {
			if l.Cause != LostSendError {
				t.Errorf("lost %d as %s over loopback UDP", l.Count, l.Cause)
			}
		}
		for _, c := range rep.Classes {
			if (c.Lost > 0) != (c.Name == "malformed.oversize") {
				t.Errorf("class %s: %d lost", c.Name, c.Lost)
			}
		}
		if !strings.Contains(rep.Delivery.Note, "UDP") {
			t.Errorf("note %q says nothing of UDP", rep.Delivery.Note)
		}
	})
}

// TestExternalInterrupt cancels an external run: generation stops, what was sent is drained at the sink,
// and the report is marked interrupted and balances.
func TestExternalInterrupt(t *testing.T) {
	sinkURL := freeSink(t, "tcp")
	relay := runtest.StartRelay(t, strings.TrimPrefix(sinkURL, "tcp://"))
	cfg := extConfig(t, "smoke", 1_000_000, 5000, relay.URL())
	cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkBalance(t, rep)
	// A record due at the interrupt and not yet sent is lost as interrupted; everything sent arrives.
	if !rep.Meta.Interrupted || rep.Counts.Offered == 0 || rep.Counts.Offered >= 1_000_000 || rep.Counts.Lost != lostBy(rep)[LostInterrupted] {
		t.Fatalf("interrupted %t, counts %+v, lost %+v; want a part of the schedule, all of it delivered",
			rep.Meta.Interrupted, rep.Counts, rep.Lost)
	}
}

// TestExternalStartAt: against a target, the schedule starts at StartAt, after the connections and the
// sink are up, and the sink measures latency from that t=0.
func TestExternalStartAt(t *testing.T) {
	sinkURL := freeSink(t, "tcp")
	relay := runtest.StartRelay(t, strings.TrimPrefix(sinkURL, "tcp://"))
	cfg := extConfig(t, "smoke", 300, 10000, relay.URL())
	cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
	cfg.StartAt = time.Now().Add(time.Second)
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkBalance(t, rep)
	if late := rep.Meta.Started.Sub(cfg.StartAt); late < 0 || late > 250*time.Millisecond {
		t.Errorf("started %v after StartAt; want within [0, 250ms]", late)
	}
	// Latency is measured from the schedule, which starts at StartAt: the one-second wait is not in it.
	if e2e := rep.Stage(reports.EndToEnd); e2e == nil || e2e.Count == 0 || e2e.Max >= 900*time.Millisecond {
		t.Errorf("end-to-end latency %+v; want samples, none including the wait", e2e)
	}
}

// TestUDPRefusedIsNotSent: datagrams a UDP socket refuses (an ICMP port-unreachable from a closed port)
// are lost at send and not counted as sent: sent + lost at send = offered.
func TestUDPRefusedIsNotSent(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close() // nothing listens there now: the kernel answers with port unreachable
	rep, err := Run(context.Background(), extConfig(t, "smoke", 2000, 20000, "udp://"+closed))
	if err != nil {
		t.Fatal(err)
	}
	var refused uint64
	for _, l := range rep.Lost {
		if l.Cause == LostSendError {
			refused = l.Count
		}
	}
	c := rep.Counts
	if refused == 0 {
		t.Skip("no datagram was refused: the kernel sent no port-unreachable to this socket")
	}
	if c.Sent+refused != c.Offered {
		t.Errorf("sent %d + refused at send %d != offered %d", c.Sent, refused, c.Offered)
	}
}
