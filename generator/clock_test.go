package generator_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
)

// TestAppendAt: a record stamped at a wall-clock time carries it in the syslog header and in rt=, and
// is otherwise Append's record; stamped at its own virtual second, it is Append's byte for byte.
func TestAppendAt(t *testing.T) {
	g, _ := feedGenerator(t, "web", 7, nil)
	at := time.Date(2026, time.November, 25, 14, 30, 5, 250e6, time.UTC)
	for seq := uint64(0); seq < 50; seq++ {
		virt, lv := g.Append(nil, seq)
		wall, lw := g.AppendAt(nil, seq, at.UnixNano()+int64(seq)*int64(time.Millisecond))
		if lv != lw {
			t.Fatalf("seq %d: labels %+v and %+v differ", seq, lv, lw)
		}
		if !bytes.HasPrefix(wall, []byte("Nov 25 14:30:05 ")) || !bytes.Contains(wall, []byte(" rt=Nov 25 2026 14:30:05 ")) {
			t.Fatalf("seq %d: %q lacks the wall-clock time in its header and rt=", seq, wall[:80])
		}
		// Only the time fields differ.
		strip := func(b []byte) string {
			s := string(b[len("Jun 11 02:52:44 "):])
			i := strings.Index(s, " rt=")
			return s[:i] + s[i+len(" rt=Jun 11 2024 02:52:44"):]
		}
		if strip(virt) != strip(wall) {
			t.Fatalf("seq %d: beyond its time the record differs:\n%s\n%s", seq, virt, wall)
		}
	}
	virt, _ := g.Append(nil, 0)
	wall, _ := g.AppendAt(nil, 0, generator.DefaultStart.UnixNano())
	if !bytes.Equal(virt, wall) {
		t.Errorf("AppendAt at the virtual time:\n%s\nwant Append's\n%s", wall, virt)
	}
	buf := make([]byte, 0, 64<<10)
	if n := testing.AllocsPerRun(100, func() { buf, _ = g.AppendAt(buf[:0], 3, at.UnixNano()) }); n != 0 {
		t.Errorf("AppendAt allocates %v times per record", n)
	}
}

func TestParseClock(t *testing.T) {
	for _, c := range []generator.Clock{generator.ClockVirtual, generator.ClockWall} {
		if got, err := generator.ParseClock(c.String()); err != nil || got != c {
			t.Errorf("ParseClock(%q) = %v, %v", c, got, err)
		}
	}
	if _, err := generator.ParseClock("utc"); err == nil || !strings.Contains(err.Error(), "want wall or virtual") {
		t.Errorf("ParseClock(utc) error %v", err)
	}
}
