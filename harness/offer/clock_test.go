package offer

import "testing"

// TestBatchClock: a record due by the last written stamp goes without a new reading, every record is
// stamped written with a fresh one (exact send lag after a blocked send), and a record due after the
// last stamp is decided by a fresh reading.
func TestBatchClock(t *testing.T) {
	var reads int
	clk := int64(1000)
	c := batchClock{now: func() int64 { reads++; return clk }}
	c.written()
	for i := range 32 { // flat out: every record due long ago
		reads = 0
		if now := c.check(0); now != clk || reads != 0 {
			t.Fatalf("record %d: check = %d after %d reads; want the last stamp %d without a read", i, now, reads, clk)
		}
		clk++ // rendering and sending take time, or block
		if w := c.written(); w != clk || reads != 1 {
			t.Fatalf("record %d: written = %d after %d reads; want a fresh %d after 1", i, w, reads, clk)
		}
	}
	reads = 0
	last := c.written()
	if now := c.check(last + 1); now != clk || reads != 2 {
		t.Errorf("check(due after the last stamp) = %d after %d reads; want a fresh %d", now, reads, clk)
	}
}
