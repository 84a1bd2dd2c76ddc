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

// batchClock reads a run's clock for a sender: one reading per record in the common case. A record
// due by the reading that stamped the previous record written may go without a new reading (time only
// moves forward, so it is due now too); a record is always stamped written with a fresh reading, so its
// send lag is exact however long the sends before it blocked on the collector's backpressure.
type batchClock struct {
	now func() int64
	t   int64 // the reading that stamped the last record written
}

// check returns a reading of the run's clock to decide whether a record due at due may go: the last
// written stamp when the record was due by it, else a fresh reading.
func (c *batchClock) check(due int64) int64 {
	if due <= c.t {
		return c.t
	}
	return c.now()
}

// written returns a fresh reading to stamp the record just rendered as written.
func (c *batchClock) written() int64 {
	c.t = c.now()
	return c.t
}
