package server

import "sync"

// maxIDRuns is how many sequences of record ids idSpan follows at once; the least recently extended
// one is closed (its gaps kept) to follow a new one.
const maxIDRuns = 16

// maxIDJump is the largest step between ids of one sequence: a record id further than this from every
// sequence followed starts a new one (another sender, another seed). Losing more than this many
// consecutive records of one sequence splits it, and the loss between the two parts is not counted.
const maxIDJump = 1 << 24

// idRun is one sequence of consecutive record ids: its lowest and highest, how many records it
// received (ids, and records without one that arrived while it was the current sequence) and when it
// was last extended.
type idRun struct {
	min, max uint64
	n        uint64
	used     uint64
}

// gaps returns the ids of the run's span that did not arrive.
func (r *idRun) gaps() uint64 {
	if span := r.max - r.min + 1; span > r.n {
		return span - r.n
	}
	return 0
}

// idSpan follows the record ids (CEF externalId) of the records UDP listeners received, as sequences
// of consecutive ids: nssbench's own (a seed-derived base + the event number) or NSS's with record
// tracking. The ids missing from each sequence's span estimate UDP loss without the kernel's counter:
// reordering does not change it, a duplicate hides one loss. A record without a usable id (a malformed
// line, whose id cannot be trusted) still took its place in the sender's sequence, so it counts as
// received in the current sequence (the one the latest id belonged to) instead of showing as a gap. An
// id far from every sequence (a second run, another seed) starts a sequence of its own instead of
// stretching one span over both. Safe for concurrent use; allocates nothing.
type idSpan struct {
	mu      sync.Mutex
	runs    [maxIDRuns]idRun
	live    int    // runs[:live] are followed
	cur     int    // the run the latest id extended
	closed  uint64 // gaps of runs no longer followed
	pending uint64 // records without an id before any id arrived
	clock   uint64
}

// add records one id.
func (s *idSpan) add(id uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock++
	if s.live > 0 && s.runs[s.cur].near(id) {
		s.runs[s.cur].extend(id, s.clock)
		return
	}
	for i := range s.runs[:s.live] {
		if s.runs[i].near(id) {
			s.cur = i
			s.runs[i].extend(id, s.clock)
			return
		}
	}
	i := s.live
	if i == maxIDRuns {
		i = 0 // close the least recently extended run
		for j := range s.runs {
			if s.runs[j].used < s.runs[i].used {
				i = j
			}
		}
		s.closed += s.runs[i].gaps()
	} else {
		s.live++
	}
	s.runs[i] = idRun{min: id, max: id, n: 1 + s.pending, used: s.clock}
	s.pending = 0
	s.cur = i
}

// noID records a record without a usable id.
func (s *idSpan) noID() {
	s.mu.Lock()
	if s.live == 0 {
		s.pending++
	} else {
		s.runs[s.cur].n++
	}
	s.mu.Unlock()
}

// near reports whether id belongs to the run: within maxIDJump of its span.
func (r *idRun) near(id uint64) bool {
	return id+maxIDJump >= r.min && id <= r.max+maxIDJump
}

// extend adds id to the run.
func (r *idRun) extend(id, clock uint64) {
	r.min, r.max = min(r.min, id), max(r.max, id)
	r.n++
	r.used = clock
}

// gaps returns how many ids of the sequences' spans did not arrive, and false when no record carried
// an id.
func (s *idSpan) gaps() (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live == 0 {
		return 0, false
	}
	g := s.closed
	for i := range s.runs[:s.live] {
		g += s.runs[i].gaps()
	}
	return g, true
}

// parseID returns the decimal record id in b, and false when b is not one (empty, not all digits, or
// over 19 digits). It does not allocate.
func parseID(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}
