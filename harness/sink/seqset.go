package sink

// SeqSet is a set of small integers (record sequence numbers, or indexes derived from them) kept as a
// bitmap: one bit per integer up to the largest added, so a run of n records costs n/8 bytes whatever
// happens to them. The zero value is empty and ready to use. It is not safe for concurrent use.
type SeqSet struct {
	words []uint64
	n     uint64 // members
}

// maxSeqSetIndex bounds the integers a SeqSet takes (2^40 bits, 128 GiB: far beyond any run), so a
// corrupt index cannot make it allocate without bound.
const maxSeqSetIndex = 1 << 40

// Add adds i and reports whether it was already a member. It panics for i >= 2^40.
func (s *SeqSet) Add(i uint64) (had bool) {
	if i >= maxSeqSetIndex {
		panic("BUG: sink: SeqSet index out of range")
	}
	w := int(i >> 6)
	if w >= len(s.words) {
		s.grow(w)
	}
	bit := uint64(1) << (i & 63)
	if s.words[w]&bit != 0 {
		return true
	}
	s.words[w] |= bit
	s.n++
	return false
}

// grow makes room for word w, at least doubling so that adding in order is amortised O(1).
func (s *SeqSet) grow(w int) {
	n := max(w+1, 2*len(s.words), 1024)
	words := make([]uint64, n)
	copy(words, s.words)
	s.words = words
}

// Has reports whether i is a member.
func (s *SeqSet) Has(i uint64) bool {
	w := i >> 6
	return w < uint64(len(s.words)) && s.words[w]&(uint64(1)<<(i&63)) != 0
}

// Len returns the number of members.
func (s *SeqSet) Len() uint64 { return s.n }
