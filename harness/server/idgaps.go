package server

import "sync"

// idSpan follows the record ids (CEF externalId) of the records UDP listeners received: their lowest,
// highest and count. Where ids are consecutive — a run's records, nssbench's own or NSS's with record
// tracking — the ids missing from the span estimate UDP loss without the kernel's counter: reordering
// does not change it, a duplicate hides one loss. Safe for concurrent use.
type idSpan struct {
	mu       sync.Mutex
	min, max uint64
	n        uint64
}

// add records one id.
func (s *idSpan) add(id uint64) {
	s.mu.Lock()
	if s.n == 0 || id < s.min {
		s.min = id
	}
	if s.n == 0 || id > s.max {
		s.max = id
	}
	s.n++
	s.mu.Unlock()
}

// gaps returns how many ids of the span from the lowest to the highest did not arrive, and false when no
// record carried an id.
func (s *idSpan) gaps() (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 {
		return 0, false
	}
	if span := s.max - s.min + 1; span > s.n {
		return span - s.n, true
	}
	return 0, true
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
