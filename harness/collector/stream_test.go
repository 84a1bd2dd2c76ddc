package collector_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/framing"
)

const waitFor = 10 * time.Second // bound on every wait in these tests

// listen starts a Listener closed at the end of the test.
func listen(t *testing.T, addr string, cfg collector.Config, nh collector.NewHandler) *collector.Listener {
	t.Helper()
	l, err := collector.Listen(addr, cfg, nh)
	if err != nil {
		t.Fatalf("Listen(%q) error: %v", addr, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// nssLines are realistic records (derived NSS CEF lines are in harness/framing/testdata; these are
// shorter stand-ins with the same prefix shapes).
var nssLines = []string{
	"Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|act=Blocked externalId=1",
	"<14>Jun 12 05:02:05 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Drop|Default Firewall Filtering Rule|3| act=Drop externalId=2",
	"CEF:0|Zscaler|NSSDNSlog|5.7|Allow|Default Firewall DNS Rule|3|act=Allow externalId=3",
}

// dialer opens a client connection for a stream transport.
type dialer func(t *testing.T, addr string) net.Conn

func tcpDialer(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, waitFor)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func tlsDialer(client *tls.Config) dialer {
	return func(t *testing.T, addr string) net.Conn {
		t.Helper()
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: waitFor}, "tcp", addr, client)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// TestStreamTransports sends each framing over TCP and TLS, with an oversize record in the middle, and
// checks records, order, the Close error and the Stats balance.
func TestStreamTransports(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	big := strings.Repeat("x", 5000)
	in := []string{nssLines[0], nssLines[1], big, "", nssLines[2]}
	transports := []struct {
		name string
		cfg  collector.Config
		dial dialer
	}{
		{"tcp", collector.Config{MaxLine: 4096}, tcpDialer},
		{"tls", collector.Config{MaxLine: 4096, TLS: server}, tlsDialer(client)},
	}
	for _, tr := range transports {
		for _, f := range []framing.Framing{framing.FramingLF, framing.FramingOctet} {
			t.Run("transport="+tr.name+"/framing="+f.String(), func(t *testing.T) {
				var rec collectortest.Recorder
				l := listen(t, tr.name+"://127.0.0.1:0", tr.cfg, rec.NewHandler)
				var stream []byte
				for _, s := range in {
					stream = f.Append(stream, []byte(s))
				}
				c := tr.dial(t, l.Addr().String())
				// Write in uneven pieces so records straddle reads.
				for rest := stream; len(rest) > 0; {
					n := min(len(rest), 777)
					if _, err := c.Write(rest[:n]); err != nil {
						t.Fatal(err)
					}
					rest = rest[n:]
				}
				c.Close()
				rec.WaitClosed(t, 1, waitFor)

				got := rec.Streams()[0]
				want := []string{nssLines[0], nssLines[1], "", nssLines[2]}
				if !slices.Equal(got.Records, want) {
					t.Errorf("records = %q; want %q", got.Records, want)
				}
				if got.Oversize != 1 || got.Err != nil {
					t.Errorf("Oversize = %d, Close(%v); want 1, Close(nil)", got.Oversize, got.Err)
				}
				if got.Conn.Transport != tr.name || got.Conn.ID != 1 || got.Conn.Remote == nil {
					t.Errorf("Conn = %+v; want transport %s, ID 1, a remote", got.Conn, tr.name)
				}
				for _, fm := range got.Formats {
					if fm != collector.FormatCEF {
						t.Errorf("format = %v; want cef", fm)
					}
				}
				if err := l.Close(); err != nil {
					t.Fatalf("Close() = %v", err)
				}
				st := l.Stats()
				if st.Records != 4 || st.Oversize != 1 || st.Bytes != int64(len(stream)) || st.Connections != 1 ||
					st.OpenConnections != 0 || st.FrameErrors != 0 || st.UDPDrops != -1 {
					t.Errorf("Stats() = %+v; want 4 records, 1 oversize, %d bytes, 1 connection", st, len(stream))
				}
			})
		}
	}
}

// TestFrameError: broken octet counting ends the stream with a *framing.FrameError, after the records
// before it.
func TestFrameError(t *testing.T) {
	var rec collectortest.Recorder
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	c := tcpDialer(t, l.Addr().String())
	c.Write([]byte("3 abc\n3 def"))
	rec.WaitClosed(t, 1, waitFor)
	c.Close()
	got := rec.Streams()[0]
	var fe *framing.FrameError
	if !errors.As(got.Err, &fe) || fe.Offset != 5 {
		t.Errorf("Close(%v); want a *framing.FrameError at offset 5", got.Err)
	}
	if !slices.Equal(got.Records, []string{"abc"}) {
		t.Errorf("records = %q; want [abc]", got.Records)
	}
	if st := l.Stats(); st.FrameErrors != 1 {
		t.Errorf("Stats().FrameErrors = %d; want 1", st.FrameErrors)
	}
}

// TestManyConnections serves concurrent connections of both framings; each stream keeps its order.
func TestManyConnections(t *testing.T) {
	const conns, perConn = 40, 300
	var rec collectortest.Recorder
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			f := framing.FramingLF
			if i%2 == 1 {
				f = framing.FramingOctet
			}
			var stream []byte
			for j := range perConn {
				stream = f.Append(stream, fmt.Appendf(nil, "conn=%d seq=%d %s", i, j, nssLines[j%3]))
			}
			c, err := net.DialTimeout("tcp", l.Addr().String(), waitFor)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			if _, err := c.Write(stream); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rec.WaitClosed(t, conns, waitFor)
	seen := map[string]bool{}
	for _, s := range rec.Streams() {
		if len(s.Records) != perConn || s.Err != nil {
			t.Fatalf("stream %d: %d records, Close(%v); want %d, nil", s.Conn.ID, len(s.Records), s.Err, perConn)
		}
		var conn int
		fmt.Sscanf(s.Records[0], "conn=%d", &conn)
		if seen[fmt.Sprint(conn)] {
			t.Fatalf("conn=%d seen twice", conn)
		}
		seen[fmt.Sprint(conn)] = true
		for j, r := range s.Records {
			if want := fmt.Sprintf("conn=%d seq=%d %s", conn, j, nssLines[j%3]); r != want {
				t.Fatalf("stream %d record %d = %q; want %q", s.Conn.ID, j, r, want)
			}
		}
	}
	if st := l.Stats(); st.Connections != conns || st.Records != conns*perConn {
		t.Errorf("Stats() = %+v; want %d connections, %d records", st, conns, conns*perConn)
	}
}

// TestCloseDrains: Close hands over what was sent on connections that stay open, ends them with
// ErrClosed, discards a partial record, and returns soon after the streams go idle.
func TestCloseDrains(t *testing.T) {
	for _, f := range []framing.Framing{framing.FramingLF, framing.FramingOctet} {
		t.Run("framing="+f.String(), func(t *testing.T) {
			var rec collectortest.Recorder
			cfg := collector.Config{DrainIdle: 50 * time.Millisecond, DrainTimeout: 2 * time.Second}
			l := listen(t, "tcp://127.0.0.1:0", cfg, rec.NewHandler)
			var stream []byte
			const n = 2000
			for i := range n {
				stream = f.Append(stream, fmt.Appendf(nil, "%s seq=%d", nssLines[0], i))
			}
			partial := f.Append(nil, []byte("partial record"))
			stream = append(stream, partial[:len(partial)-3]...)
			busy := tcpDialer(t, l.Addr().String())
			defer busy.Close()
			idle := tcpDialer(t, l.Addr().String())
			defer idle.Close()
			if _, err := busy.Write(stream); err != nil {
				t.Fatal(err)
			}
			waitUntil(t, func() bool { return l.Stats().Connections == 2 })
			start := time.Now()
			if err := l.Close(); err != nil {
				t.Fatalf("Close() = %v", err)
			}
			if d := time.Since(start); d > cfg.DrainTimeout {
				t.Errorf("Close took %v; want under DrainTimeout %v", d, cfg.DrainTimeout)
			}
			total := 0
			for _, s := range rec.Streams() {
				if !s.Closed || !errors.Is(s.Err, collector.ErrClosed) {
					t.Errorf("stream %d: closed %t, Close(%v); want Close(ErrClosed)", s.Conn.ID, s.Closed, s.Err)
				}
				for i, r := range s.Records {
					if want := fmt.Sprintf("%s seq=%d", nssLines[0], i); r != want {
						t.Fatalf("record %d = %q; want %q", i, r, want)
					}
				}
				total += len(s.Records)
			}
			if total != n {
				t.Errorf("%d records handed over; want %d", total, n)
			}
			if _, err := net.DialTimeout("tcp", l.Addr().String(), time.Second); err == nil {
				t.Error("Dial after Close succeeded; want refused")
			}
		})
	}
}

// waitUntil polls cond until it holds, failing after waitFor.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within", waitFor)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// gateHandler blocks its first Record until the gate opens, then counts.
type gateHandler struct {
	gate    chan struct{}
	records atomic.Int64
	order   atomic.Bool // set if a record came out of order
	closed  chan error
}

func (h *gateHandler) Record(rec []byte, _ collector.Format, _ int64) {
	<-h.gate
	n := h.records.Add(1) - 1
	if !bytes.HasSuffix(rec, fmt.Appendf(nil, " seq=%d", n)) {
		h.order.Store(true)
	}
}
func (h *gateHandler) Oversize(int64)  {}
func (h *gateHandler) Close(err error) { h.closed <- err }

// TestBackpressure: while the handler is stuck, the sender's writes stall (TCP flow control: nothing is
// queued unboundedly, nothing dropped); once it resumes, every record arrives in order.
func TestBackpressure(t *testing.T) {
	h := &gateHandler{gate: make(chan struct{}), closed: make(chan error, 1)}
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{}, func(collector.Conn) collector.Handler { return h })
	c := tcpDialer(t, l.Addr().String())
	const n = 100_000 // ~12 MB: far more than socket buffers plus the collector's read buffer
	var written atomic.Int64
	done := make(chan error, 1)
	go func() {
		var buf []byte
		for i := range n {
			buf = framing.AppendLF(buf, fmt.Appendf(nil, "%s seq=%d", nssLines[1][:80], i))
			if len(buf) >= 64<<10 || i == n-1 {
				if _, err := c.Write(buf); err != nil {
					done <- err
					return
				}
				written.Add(int64(len(buf)))
				buf = buf[:0]
			}
		}
		done <- c.Close()
	}()
	// The sender must stall: its progress stops while the gate is shut.
	var last int64 = -1
	for stalled := 0; stalled < 5; {
		time.Sleep(40 * time.Millisecond)
		w := written.Load()
		if w == last {
			stalled++
		} else {
			stalled = 0
		}
		last = w
		select {
		case err := <-done:
			t.Fatalf("sender finished (%v) while the handler was blocked: no backpressure", err)
		default:
		}
	}
	if h.records.Load() != 0 {
		t.Fatal("handler ran before the gate opened")
	}
	if last == 0 {
		t.Fatal("sender wrote nothing before stalling; backpressure not exercised")
	}
	t.Logf("sender stalled after %d bytes", last)
	close(h.gate)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(waitFor):
		t.Fatal("sender did not finish after the handler resumed")
	}
	select {
	case err := <-h.closed:
		if err != nil {
			t.Fatalf("Close(%v); want nil", err)
		}
	case <-time.After(waitFor):
		t.Fatal("stream not closed")
	}
	if got := h.records.Load(); got != n || h.order.Load() {
		t.Fatalf("handled %d records (out of order: %t); want %d in order", got, h.order.Load(), n)
	}
	l.Close()
	if st := l.Stats(); st.Records != n || st.Bytes != written.Load() {
		t.Errorf("Stats() = %+v; want %d records, %d bytes", st, n, written.Load())
	}
}

// TestTLSHandshakeFailure: a client that does not speak TLS gets no Handler and is counted.
func TestTLSHandshakeFailure(t *testing.T) {
	server, _ := collectortest.SelfSigned(t)
	var rec collectortest.Recorder
	l := listen(t, "tls://127.0.0.1:0", collector.Config{TLS: server, HandshakeTimeout: 2 * time.Second}, rec.NewHandler)
	c := tcpDialer(t, l.Addr().String())
	c.Write([]byte(nssLines[0] + "\n"))
	waitUntil(t, func() bool { return l.Stats().TLSHandshakeErrors == 1 })
	c.Close()
	l.Close()
	if n := len(rec.Streams()); n != 0 {
		t.Errorf("%d handlers made; want 0", n)
	}
	if st := l.Stats(); st.Connections != 0 {
		t.Errorf("Stats().Connections = %d; want 0", st.Connections)
	}
}

// TestReceivedClock: received times come from Config.Now.
func TestReceivedClock(t *testing.T) {
	var clock atomic.Int64
	var rec collectortest.Recorder
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{Now: func() int64 { return clock.Add(1000) }}, rec.NewHandler)
	c := tcpDialer(t, l.Addr().String())
	c.Write([]byte("a\nb\n"))
	c.Close()
	rec.WaitClosed(t, 1, waitFor)
	got := rec.Streams()[0].Received
	if len(got) != 2 || got[0] <= 0 || got[0]%1000 != 0 || got[1] < got[0] {
		t.Errorf("received = %v; want two non-decreasing multiples of 1000 from Config.Now", got)
	}
}
