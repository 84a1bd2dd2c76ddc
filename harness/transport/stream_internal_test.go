package transport

import (
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// recordingConn is a net.Conn that records the size of each write.
type recordingConn struct {
	net.Conn // nil: only Write, Close, SetWriteDeadline and LocalAddr are used
	mu       sync.Mutex
	sizes    []int
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.sizes = append(c.sizes, len(p))
	c.mu.Unlock()
	return len(p), nil
}

func (c *recordingConn) Close() error                     { return nil }
func (c *recordingConn) SetWriteDeadline(time.Time) error { return nil }
func (c *recordingConn) writes() []int                    { c.mu.Lock(); defer c.mu.Unlock(); return c.sizes }
func (c *recordingConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }

// TestBufferSize: buffers that fill up double the buffer, never beyond the bound; flushes of partly
// filled buffers halve it again, never below the initial size.
func TestBufferSize(t *testing.T) {
	rec := []byte(strings.Repeat("x", 999)) // 1000 bytes framed
	c := &recordingConn{}
	const bound = 512 << 10
	s := testSender(t, c, framing.FramingLF, bound, nil)
	send := func(n int) {
		t.Helper()
		for range n {
			if err := s.Send(0, rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	send(3000) // 3 MB flat out: 64, 128, 256, 512, 512, ... KiB
	if s.size != bound {
		t.Errorf("after 3 MB without a pause the buffer is %d bytes; want the bound %d", s.size, bound)
	}
	for i := range 5 {
		send(10)
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := max(bound>>(i+1), initialBufferSize); s.size != want {
			t.Errorf("after %d flushes the buffer is %d bytes; want %d", i+1, s.size, want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	sizes := c.writes()
	largest := 0
	for _, n := range sizes {
		largest = max(largest, n)
	}
	if sizes[0] > initialBufferSize || largest > bound || largest < bound-1000 {
		t.Errorf("writes of %d bytes first and %d at most; want at most %d first, and about %d at most", sizes[0], largest, initialBufferSize, bound)
	}
	if got := s.Written(); got != 3050 {
		t.Errorf("Written() = %d; want 3050", got)
	}
}

// discardConn is a net.Conn whose writes succeed and are forgotten.
type discardConn struct{ recordingConn }

func (c *discardConn) Write(p []byte) (int, error) { return len(p), nil }

// testSender returns a stream sender writing to c, its buffers bounded by maxSize.
func testSender(t *testing.T, c net.Conn, f framing.Framing, maxSize int, led Ledger) *streamSender {
	t.Helper()
	s := newStreamSender("test", f, Options{BufferSize: maxSize, Ledger: led}.withDefaults())
	if err := s.attach(c); err != nil {
		t.Fatal(err)
	}
	return s
}

// nopLedger is a Ledger that notes nothing.
type nopLedger struct{}

func (nopLedger) Lost(uint64, string) {}
func (nopLedger) AtRisk(uint64)       {}
func (nopLedger) Retried(uint64)      {}

// TestSendDoesNotAllocate: framing, hand-offs and writes allocate nothing once the buffers have grown,
// on the sending goroutine or the writer's, with or without the acknowledgement tracking of a Ledger.
func TestSendDoesNotAllocate(t *testing.T) {
	for _, led := range []Ledger{nil, nopLedger{}} {
		rec := []byte(strings.Repeat("x", 99))
		s := testSender(t, &discardConn{}, framing.FramingOctet, 4096, led) // a write every ~40 records
		defer s.Close()
		sent := int64(0)
		sendBatch := func() {
			for i := range 1000 {
				if err := s.Send(uint64(i), rec); err != nil {
					t.Fatal(err)
				}
			}
			sent += 1000
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
			for s.Written() < sent {
				runtime.Gosched()
			}
		}
		sendBatch() // grow the buffers
		if allocs := testing.AllocsPerRun(20, sendBatch); allocs > 0 {
			t.Errorf("ledger %T: %v allocations per 1000 records (about 25 writes); want 0", led, allocs)
		}
	}
}

// bytesConn is a net.Conn that keeps every byte written to it.
type bytesConn struct {
	recordingConn
	buf []byte
}

func (c *bytesConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.buf = append(c.buf, p...)
	c.mu.Unlock()
	return len(p), nil
}

// TestBufferInPlace: records rendered into Buffer's space and passed to Send reach the wire as records
// copied by Send do, in order, across hand-offs; one with a line feed is refused and leaves nothing
// behind; one that outgrew the space is copied; octet framing offers no space.
func TestBufferInPlace(t *testing.T) {
	c := &bytesConn{}
	s := testSender(t, c, framing.FramingLF, 256<<10, nil)
	var want []byte
	for i := range 5000 {
		rec := []byte(strings.Repeat(string(rune('a'+i%26)), 1+i%1500))
		dst := s.Buffer(1500)
		if dst == nil || len(dst) != 0 || cap(dst) <= 1500 {
			t.Fatalf("record %d: Buffer(1500) = len %d cap %d; want an empty slice with room for 1500 bytes and an LF", i, len(dst), cap(dst))
		}
		if n := len(s.cur.buf); &s.cur.buf[:n+1][n] != &dst[:1][0] {
			t.Fatalf("record %d: Buffer's space is not the tail of the buffer being filled", i)
		}
		switch {
		case i%100 == 7: // copied by Send
			dst = rec
		case i%100 == 9: // refused in place: a line feed
			dst = append(dst, "bad\nline"...)
			if err := s.Send(uint64(i), dst); err != ErrNewline {
				t.Fatalf("record %d: Send of a line with a line feed = %v; want ErrNewline", i, err)
			}
			continue
		default:
			dst = append(dst, rec...)
		}
		if err := s.Send(uint64(i), dst); err != nil {
			t.Fatal(err)
		}
		want = append(append(want, rec...), '\n')
	}
	big := []byte(strings.Repeat("z", 300<<10)) // more than the buffers: append moves it, Send copies it
	if err := s.Send(1, append(s.Buffer(10), big...)); err != nil {
		t.Fatal(err)
	}
	want = append(append(want, big...), '\n')
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if string(c.buf) != string(want) {
		t.Fatalf("the wire carried %d bytes; want %d, identical", len(c.buf), len(want))
	}
	if got, wantN := s.Written(), int64(5000-50+1); got != wantN {
		t.Errorf("Written() = %d; want %d", got, wantN)
	}
	if s.Buffer(10) != nil {
		t.Error("Buffer after Close offers space; want nil")
	}
	o := testSender(t, &discardConn{}, framing.FramingOctet, 64<<10, nil)
	defer o.Close()
	if o.Buffer(10) != nil {
		t.Error("Buffer with octet framing offers space; want nil: the length prefix comes first")
	}
	if s := testSender(t, &discardConn{}, framing.FramingLF, 64<<10, nil); s.Buffer(64<<10) != nil {
		t.Error("Buffer(64 KiB) of 64 KiB buffers offers space; want nil")
	} else {
		s.Close()
	}
}

// TestBufferInPlaceDoesNotAllocate: rendering into Buffer's space and sending allocates nothing once the
// buffers have grown.
func TestBufferInPlaceDoesNotAllocate(t *testing.T) {
	rec := []byte(strings.Repeat("x", 999))
	s := testSender(t, &discardConn{}, framing.FramingLF, 64<<10, nopLedger{})
	defer s.Close()
	sent := int64(0)
	sendBatch := func() {
		for i := range 1000 {
			if err := s.Send(uint64(i), append(s.Buffer(len(rec)), rec...)); err != nil {
				t.Fatal(err)
			}
		}
		sent += 1000
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		for s.Written() < sent {
			runtime.Gosched()
		}
	}
	sendBatch()
	if allocs := testing.AllocsPerRun(20, sendBatch); allocs > 0 {
		t.Errorf("%v allocations per 1000 records rendered in place; want 0", allocs)
	}
}
