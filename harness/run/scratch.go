package run

import "github.com/nssbench/nssbench/harness/transport"

// scratch is where a sender renders its records: straight into its transport's send buffer when the
// transport offers one (transport.Buffered: no copy per record), else into a buffer of its own.
type scratch struct {
	tr      transport.Buffered // nil: the transport offers none
	own     []byte
	inOwn   bool // the last dst was own
	longest int  // the longest record rendered so far: the room asked of tr
}

func newScratch(tr transport.Sender) scratch {
	b, _ := tr.(transport.Buffered)
	return scratch{tr: b, own: make([]byte, 0, 64<<10)}
}

// dst returns the empty slice to render the next record into.
func (s *scratch) dst() []byte {
	if s.tr != nil {
		if b := s.tr.Buffer(s.longest); b != nil {
			s.inOwn = false
			return b
		}
	}
	s.inOwn = true
	return s.own[:0]
}

// rendered notes record rec, rendered into the last dst: the room to ask for next, and own's growth.
func (s *scratch) rendered(rec []byte) {
	s.longest = max(s.longest, len(rec))
	if s.inOwn {
		s.own = rec[:0]
	}
}

// clockBatch is how many records, already due by one reading of the clock, share that reading.
const clockBatch = 16

// batchClock reads a run's clock for a sender. A record due by the last reading that stamped a record
// written shares that reading, up to clockBatch records, so a sender behind its schedule (flat out)
// reads the clock twice per batch instead of two or three times per record. A record not due by the
// last reading gets fresh ones, as before: one to decide whether it may go, one after rendering it to
// stamp it written; a shared reading understates a record's send lag by at most the time to render
// and send the records before it in its batch.
type batchClock struct {
	now    func() int64
	t      int64 // the reading that stamped the batch's first record written
	left   int   // records that may still share it
	shared bool  // the last check shared t
}

// check returns the run's clock to decide whether a record due at due may go: t when the record was
// due by it and the batch has room, else a fresh reading.
func (c *batchClock) check(due int64) int64 {
	if c.shared = c.left > 0 && due <= c.t; c.shared {
		c.left--
		return c.t
	}
	return c.now()
}

// written returns the time to stamp the record just checked and rendered as written: the shared
// reading, or a fresh one that starts a batch.
func (c *batchClock) written() int64 {
	if !c.shared {
		c.t, c.left = c.now(), clockBatch-1
	}
	return c.t
}
