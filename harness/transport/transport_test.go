package transport_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/transport"
)

const waitFor = 10 * time.Second

func listen(t *testing.T, addr string, cfg collector.Config, nh collector.NewHandler) *collector.Listener {
	t.Helper()
	l, err := collector.Listen(addr, cfg, nh)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func record(i int) []byte {
	return fmt.Appendf(nil, "<14>Jun 12 05:02:05 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Drop|Default Firewall Filtering Rule|3| act=Drop externalId=%d", i)
}

// TestSendReceive sends records over every transport and framing to a loopback collector, which must
// receive exactly them, in order; Written counts them.
func TestSendReceive(t *testing.T) {
	server, client := collectortest.SelfSigned(t)
	cases := []struct {
		scheme, framing string
	}{
		{"tcp", "lf"}, {"tcp", "octet"}, {"tcp", ""},
		{"tls", "lf"}, {"tls", "octet"},
		{"udp", "lf"},
	}
	for _, tc := range cases {
		t.Run("transport="+tc.scheme+"/framing="+tc.framing, func(t *testing.T) {
			var rec collectortest.Recorder
			l := listen(t, tc.scheme+"://127.0.0.1:0", collector.Config{TLS: server}, rec.NewHandler)
			n := 3000
			if tc.scheme == "udp" {
				n = 200 // loopback UDP with an idle reader: well under the receive buffer
			}
			s, err := transport.Dial(context.Background(), l.URL(), transport.Options{Framing: tc.framing, TLS: client, BufferSize: 4096})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range n {
				r := record(i)
				if err := s.Send(0, r); err != nil {
					t.Fatalf("Send(%d) = %v", i, err)
				}
				want = append(want, string(r))
			}
			if err := s.Close(); err != nil {
				t.Fatalf("Close() = %v", err)
			}
			if got := s.Written(); got != int64(n) {
				t.Errorf("Written() = %d; want %d", got, n)
			}
			if tc.scheme == "udp" {
				deadline := time.Now().Add(waitFor)
				for l.Stats().UDPDatagrams < int64(n) && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				l.Close()
			}
			rec.WaitClosed(t, 1, waitFor)
			if got := rec.Records(); !slices.Equal(got, want) {
				t.Errorf("collector got %d records; want %d, identical and in order", len(got), len(want))
			}
		})
	}
}

// TestWrittenAfterFlush: buffered records are not counted until written. Flush hands them to the
// writer goroutine, so the count catches up soon after it; Close waits for the write.
func TestWrittenAfterFlush(t *testing.T) {
	var rec collectortest.Recorder
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	s, err := transport.Dial(context.Background(), l.URL(), transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 3 {
		s.Send(0, record(i))
	}
	if got := s.Written(); got != 0 {
		t.Errorf("Written() before Flush = %d; want 0", got)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitFor)
	for s.Written() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := s.Written(); got != 3 {
		t.Errorf("Written() after Flush = %d within %v; want 3", got, waitFor)
	}
	s.Send(0, record(3))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := s.Written(); got != 4 {
		t.Errorf("Written() after Close = %d; want 4", got)
	}
}

// TestLargeRecord: a record bigger than the buffer is written whole, between its neighbours.
func TestLargeRecord(t *testing.T) {
	for _, f := range []string{"lf", "octet"} {
		t.Run("framing="+f, func(t *testing.T) {
			var rec collectortest.Recorder
			l := listen(t, "tcp://127.0.0.1:0", collector.Config{MaxLine: 100_000}, rec.NewHandler)
			s, err := transport.Dial(context.Background(), l.URL(), transport.Options{Framing: f, BufferSize: 1024})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"a", strings.Repeat("b", 50_000), "c"}
			for _, r := range want {
				if err := s.Send(0, []byte(r)); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			rec.WaitClosed(t, 1, waitFor)
			if got := rec.Records(); !slices.Equal(got, want) {
				t.Errorf("records = %d of lengths %v; want lengths 1, 50000, 1", len(got), lens(got))
			}
		})
	}
}

func lens(ss []string) []int {
	out := make([]int, len(ss))
	for i, s := range ss {
		out[i] = len(s)
	}
	return out
}

// TestRecordErrors: per-record errors leave the Sender usable.
func TestRecordErrors(t *testing.T) {
	var rec collectortest.Recorder
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	s, err := transport.Dial(context.Background(), l.URL(), transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(0, []byte("a\nb")); !errors.Is(err, transport.ErrNewline) {
		t.Errorf("Send(\"a\\nb\") = %v; want ErrNewline", err)
	}
	if err := s.Send(0, []byte("ok")); err != nil {
		t.Errorf("Send after ErrNewline = %v", err)
	}
	s.Close()

	u := listen(t, "udp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	us, err := transport.Dial(context.Background(), u.URL(), transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer us.Close()
	if err := us.Send(0, make([]byte, 65508)); !errors.Is(err, transport.ErrTooLarge) {
		t.Errorf("UDP Send(65508 bytes) = %v; want ErrTooLarge", err)
	}
	if err := us.Send(0, []byte("ok")); err != nil || us.Written() != 1 {
		t.Errorf("UDP Send after ErrTooLarge = %v, Written %d; want nil, 1", err, us.Written())
	}
}

// gated blocks every Record until its gate closes.
type gated struct{ gate chan struct{} }

func (g gated) Record([]byte, collector.Format, int64) { <-g.gate }
func (g gated) Oversize(int64)                         {}
func (g gated) Close(error)                            {}

// TestWriteTimeout: against a stuck collector, a write fails after WriteTimeout, naming the target,
// and the error is final.
func TestWriteTimeout(t *testing.T) {
	g := gated{make(chan struct{})}
	l := listen(t, "tcp://127.0.0.1:0", collector.Config{DrainTimeout: time.Second}, func(collector.Conn) collector.Handler { return g })
	defer close(g.gate)
	s, err := transport.Dial(context.Background(), l.URL(), transport.Options{WriteTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	var sendErr error
	for i := 0; sendErr == nil; i++ {
		sendErr = s.Send(0, record(i))
		if time.Since(start) > waitFor {
			t.Fatal("no write timeout against a stuck collector")
		}
	}
	if !errors.Is(sendErr, os.ErrDeadlineExceeded) || !strings.Contains(sendErr.Error(), l.URL()) {
		t.Errorf("Send error = %v; want a deadline error naming %s", sendErr, l.URL())
	}
	if err := s.Send(0, record(0)); err != sendErr {
		t.Errorf("Send after a write error = %v; want the same error", err)
	}
	if s.Written() == 0 {
		t.Error("Written() = 0; want the records written before the collector's buffers filled")
	}
}

func TestDialErrors(t *testing.T) {
	// A port that refuses: bind, note, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "tcp://" + ln.Addr().String()
	ln.Close()
	_, client := collectortest.SelfSigned(t)
	server, _ := collectortest.SelfSigned(t) // a certificate the client does not trust
	untrusted := listen(t, "tls://127.0.0.1:0", collector.Config{TLS: server}, func(collector.Conn) collector.Handler { return gated{} })
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name   string
		ctx    context.Context
		target string
		opts   transport.Options
		want   []string // substrings of the error
		is     error
	}{
		{"refused", context.Background(), refused, transport.Options{}, []string{refused, "refused"}, syscall.ECONNREFUSED},
		{"untrusted-certificate", context.Background(), untrusted.URL(), transport.Options{TLS: client}, []string{untrusted.URL(), "certificate"}, nil},
		{"cancelled", cancelled, refused, transport.Options{}, []string{refused}, context.Canceled},
		{"no-scheme", context.Background(), "127.0.0.1:514", transport.Options{}, []string{`"127.0.0.1:514"`}, nil},
		{"unknown-scheme", context.Background(), "ftp://127.0.0.1:21", transport.Options{}, []string{`unknown scheme "ftp"`, "tcp, tls, udp, http or https"}, nil},
		{"no-port", context.Background(), "tcp://127.0.0.1", transport.Options{}, []string{"want tcp://host:port"}, nil},
		{"bad-framing", context.Background(), "tcp://127.0.0.1:1", transport.Options{Framing: "crlf"}, []string{`"crlf"`}, nil},
		{"udp-octet", context.Background(), "udp://127.0.0.1:1", transport.Options{Framing: "octet"}, []string{"UDP datagram"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := transport.Dial(tc.ctx, tc.target, tc.opts)
			if err == nil {
				s.Close()
				t.Fatalf("Dial(%q) succeeded; want an error", tc.target)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Dial(%q) error = %q; want it to contain %q", tc.target, err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("Dial(%q) error = %v; want errors.Is %v", tc.target, err, tc.is)
			}
		})
	}
}

// TestDialTimeout: a target that never answers fails within DialTimeout (TEST-NET-1 is unroutable; in
// a sandbox without a route the failure is immediate, which is also within the bound).
func TestDialTimeout(t *testing.T) {
	start := time.Now()
	_, err := transport.Dial(context.Background(), "tcp://192.0.2.1:514", transport.Options{DialTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "tcp://192.0.2.1:514") {
		t.Fatalf("Dial error = %v; want one naming the target", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Dial took %v; want about DialTimeout (200ms)", d)
	}
}

func TestOptionsString(t *testing.T) {
	if got, want := (transport.Options{}).String(), "Options{Framing: lf, TLS: false, BufferSize: 1048576, DialTimeout: 5s, WriteTimeout: none}"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	if got, want := (transport.Options{Framing: "octet", WriteTimeout: time.Second}).String(), "Options{Framing: octet, TLS: false, BufferSize: 1048576, DialTimeout: 5s, WriteTimeout: 1s}"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}

// TestSendNoAllocs: Send, including the writes it triggers, does not allocate.
func TestSendNoAllocs(t *testing.T) {
	var c collectortest.Counter
	for _, target := range []string{"tcp", "udp"} {
		l := listen(t, target+"://127.0.0.1:0", collector.Config{}, c.NewHandler)
		for _, f := range []string{"lf", "octet"} {
			if target == "udp" && f == "octet" {
				continue
			}
			s, err := transport.Dial(context.Background(), l.URL(), transport.Options{Framing: f, WriteTimeout: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			rec := record(1)
			if allocs := testing.AllocsPerRun(2000, func() {
				if err := s.Send(0, rec); err != nil {
					t.Fatal(err)
				}
			}); allocs != 0 {
				t.Errorf("%s/%s: Send allocates %.2f times per record; want 0", target, f, allocs)
			}
			s.Close()
		}
	}
}

// TestDialHandshakeTimeout: a TLS target that accepts but never answers fails at DialTimeout.
func TestDialHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, silent
		}
	}()
	target := "tls://" + ln.Addr().String()
	start := time.Now()
	_, err = transport.Dial(context.Background(), target, transport.Options{DialTimeout: 200 * time.Millisecond})
	d := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), target) || !strings.Contains(err.Error(), "within 200ms") {
		t.Fatalf("Dial error = %v; want one naming %s and the 200ms timeout", err, target)
	}
	if d < 200*time.Millisecond || d > 2*time.Second {
		t.Errorf("Dial took %v; want about 200ms", d)
	}
	t.Log(err)
}
