package sink

import "testing"

func TestSeqSet(t *testing.T) {
	var s SeqSet
	if s.Has(0) || s.Len() != 0 {
		t.Fatal("zero SeqSet is not empty")
	}
	adds := []uint64{0, 63, 64, 1 << 20, 5, 63, 1<<22 + 7}
	want := map[uint64]bool{}
	for _, i := range adds {
		if had := s.Add(i); had != want[i] {
			t.Errorf("Add(%d) = %t; want %t", i, had, want[i])
		}
		want[i] = true
	}
	if s.Len() != uint64(len(want)) {
		t.Errorf("Len() = %d; want %d", s.Len(), len(want))
	}
	for _, i := range []uint64{0, 1, 62, 63, 64, 65, 5, 1 << 20, 1<<20 + 1, 1<<22 + 7, 1<<22 + 8, 1 << 40, 1 << 62} {
		if got := s.Has(i); got != want[i] {
			t.Errorf("Has(%d) = %t; want %t", i, got, want[i])
		}
	}
}

func TestSeqSetOutOfRange(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("Add(1<<40) did not panic")
		}
	}()
	var s SeqSet
	s.Add(1 << 40)
}

func BenchmarkSeqSetAdd(b *testing.B) {
	b.ReportAllocs()
	var s SeqSet
	for i := 0; i < b.N; i++ {
		if s.Add(uint64(i)) {
			b.Fatal("fresh index already present")
		}
	}
}
