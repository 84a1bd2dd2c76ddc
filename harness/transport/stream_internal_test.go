package transport

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/framing"
)

// slowConn is a net.Conn whose writes take delay each and are recorded by size.
type slowConn struct {
	net.Conn // nil: only Write, Close, SetWriteDeadline and LocalAddr are used
	delay    time.Duration
	mu       sync.Mutex
	sizes    []int
}

func (c *slowConn) Write(p []byte) (int, error) {
	time.Sleep(c.delay)
	c.mu.Lock()
	c.sizes = append(c.sizes, len(p))
	c.mu.Unlock()
	return len(p), nil
}

func (c *slowConn) Close() error                     { return nil }
func (c *slowConn) SetWriteDeadline(time.Time) error { return nil }
func (c *slowConn) writes() []int                    { c.mu.Lock(); defer c.mu.Unlock(); return c.sizes }
func (c *slowConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }

// TestBufferGrowth: buffers double while the writer cannot keep up, never beyond the bound, and stay
// small when the writer is idle at every hand-off.
func TestBufferGrowth(t *testing.T) {
	rec := []byte(strings.Repeat("x", 999)) // 1000 bytes framed
	t.Run("writer busy", func(t *testing.T) {
		c := &slowConn{delay: 2 * time.Millisecond}
		const bound = 512 << 10
		s := newStreamSender("test", c, framing.FramingLF, bound, 0)
		for range 3000 { // 3 MB: enough hand-offs to reach the bound
			if err := s.Send(rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		sizes := c.writes()
		if first := sizes[0]; first > initialBufferSize {
			t.Errorf("first write %d bytes; want at most the initial %d", first, initialBufferSize)
		}
		largest := 0
		for _, n := range sizes {
			largest = max(largest, n)
		}
		if largest > bound || largest < bound-1000 {
			t.Errorf("largest write %d bytes; want the buffer grown to its bound %d (less one record)", largest, bound)
		}
		if got := s.Written(); got != 3000 {
			t.Errorf("Written() = %d; want 3000", got)
		}
	})
	t.Run("writer idle", func(t *testing.T) {
		c := &slowConn{}
		s := newStreamSender("test", c, framing.FramingLF, 1<<20, 0)
		for i := range 300 {
			if err := s.Send(rec); err != nil {
				t.Fatal(err)
			}
			if i%50 == 49 { // a paced sender flushes while it waits; the writer is done by the next flush
				if err := s.Flush(); err != nil {
					t.Fatal(err)
				}
				for deadline := time.Now().Add(5 * time.Second); s.Written() < int64(i+1) && time.Now().Before(deadline); {
					time.Sleep(100 * time.Microsecond)
				}
			}
		}
		s.Close()
		if s.size != initialBufferSize {
			t.Errorf("buffer grew to %d with an idle writer; want %d", s.size, initialBufferSize)
		}
	})
}
