package run

import "testing"

// TestBatchClock: records already due share one reading, at most clockBatch of them; a record not due
// by the last reading gets a fresh reading to decide and another to be stamped written.
func TestBatchClock(t *testing.T) {
	var reads int
	clk := int64(1000)
	c := batchClock{now: func() int64 { reads++; return clk }}
	// Flat out: every record due long ago. The first of each batch reads twice, the rest not at all.
	var batch int64 // the reading the batch shares
	for i := range 3 * clockBatch {
		if i%clockBatch == 0 {
			batch = clk
		}
		if now := c.check(0); now != batch {
			t.Fatalf("record %d: check = %d; want %d", i, now, batch)
		}
		if w := c.written(); w != batch {
			t.Fatalf("record %d: written = %d; want %d", i, w, batch)
		}
		clk++
	}
	if reads != 3*2 {
		t.Errorf("%d reads for %d records already due; want %d (two per batch of %d)", reads, 3*clockBatch, 3*2, clockBatch)
	}
	// A record due after the last reading is never decided by it.
	reads = 0
	last := c.written()
	if now := c.check(last + 1); now != clk || reads != 1 {
		t.Errorf("check(due after the last reading) = %d after %d reads; want a fresh %d", now, reads, clk)
	}
	if w := c.written(); w != clk || reads != 2 {
		t.Errorf("written after a fresh check = %d after %d reads; want a fresh %d", w, reads, clk)
	}
}
