package collector_test

import (
	"fmt"
	"net"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

// TestUDP: one datagram is one record, a trailing LF or CRLF is stripped, an oversize datagram is
// reported, and all sources share one stream closed cleanly by Close.
func TestUDP(t *testing.T) {
	var rec collectortest.Recorder
	l := listen(t, "udp://127.0.0.1:0", collector.Config{MaxLine: 2048}, rec.NewHandler)
	if got := len(rec.Streams()); got != 1 {
		t.Fatalf("%d handlers after Listen; want 1", got)
	}
	datagrams := []string{
		nssLines[0] + "\n",
		nssLines[1] + "\r\n",
		strings.Repeat("o", 3000), // oversize
		nssLines[2],
		"a\n\n", // only one LF stripped
		"",
	}
	want := []string{nssLines[0], nssLines[1], nssLines[2], "a\n", ""}
	var bytes int64
	c, err := net.Dial("udp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	other, err := net.Dial("udp", l.Addr().String()) // a second source joins the same stream
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for i, d := range datagrams {
		src := c
		if i == len(datagrams)-1 {
			src = other
		}
		if _, err := src.Write([]byte(d)); err != nil {
			t.Fatal(err)
		}
		bytes += int64(len(d))
		// Wait for each datagram, so that order is known (and loopback cannot drop).
		waitUntil(t, func() bool { return l.Stats().UDPDatagrams == int64(i+1) })
	}
	if err := l.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	s := rec.Streams()[0]
	if !slices.Equal(s.Records, want) || s.Oversize != 1 || !s.Closed || s.Err != nil {
		t.Errorf("stream = %q, oversize %d, closed %t (%v); want %q, 1, Close(nil)", s.Records, s.Oversize, s.Closed, s.Err, want)
	}
	if s.Conn.Transport != "udp" || s.Conn.Remote != nil {
		t.Errorf("Conn = %+v; want udp, no remote", s.Conn)
	}
	st := l.Stats()
	if st.Records != 5 || st.Oversize != 1 || st.UDPDatagrams != 6 || st.Bytes != bytes {
		t.Errorf("Stats() = %+v; want 5 records, 1 oversize, 6 datagrams, %d bytes", st, bytes)
	}
	if runtime.GOOS == "linux" && st.UDPDrops != 0 {
		t.Errorf("Stats().UDPDrops = %d after Close; want 0 (read from /proc/net/udp)", st.UDPDrops)
	}
}

// TestUDPDrops: datagrams that overflow the receive buffer while the handler is stuck are counted by
// the kernel, and received + dropped balances what was sent.
func TestUDPDrops(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the UDP drop counter is read from /proc/net/udp")
	}
	h := &gateHandler{gate: make(chan struct{}), closed: make(chan error, 1)}
	l := listen(t, "udp://127.0.0.1:0", collector.Config{ReadBuffer: 16 << 10}, func(collector.Conn) collector.Handler { return h })
	c, err := net.Dial("udp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 2000
	for i := range n {
		if _, err := fmt.Fprintf(c, "%s seq=%d", nssLines[0], i); err != nil {
			t.Fatal(err)
		}
	}
	close(h.gate)
	waitUntil(t, func() bool { st := l.Stats(); return st.UDPDatagrams+st.UDPDrops == n })
	st := l.Stats()
	if st.UDPDrops == 0 {
		t.Errorf("Stats().UDPDrops = 0 after %d datagrams into a 16 KiB buffer; want drops", n)
	}
	l.Close()
	if got := l.Stats(); got.UDPDrops != st.UDPDrops || got.Records != st.UDPDatagrams {
		t.Errorf("Stats() after Close = %+v; want drops %d kept, records = datagrams", got, st.UDPDrops)
	}
	t.Logf("%d received, %d dropped by the kernel", st.UDPDatagrams, st.UDPDrops)
}
