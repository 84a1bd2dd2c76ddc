package server

import "testing"

func TestIDSpanGaps(t *testing.T) {
	var s idSpan
	if _, ok := s.gaps(); ok {
		t.Error("gaps known before any id")
	}
	for _, id := range []uint64{105, 101, 102, 104, 108, 110, 106, 109} { // 103 and 107 missing, out of order
		s.add(id)
	}
	if g, ok := s.gaps(); !ok || g != 2 {
		t.Errorf("gaps = %d, %v; want 2, true", g, ok)
	}
	s.add(101) // a duplicate hides one gap
	if g, _ := s.gaps(); g != 1 {
		t.Errorf("gaps after a duplicate = %d; want 1", g)
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"7379073205867184130", 7379073205867184130, true},
		{"0", 0, true},
		{"", 0, false},
		{"12a", 0, false},
		{"-1", 0, false},
		{"12345678901234567890", 0, false}, // 20 digits
	}
	for _, tt := range tests {
		if got, ok := parseID([]byte(tt.in)); got != tt.want || ok != tt.ok {
			t.Errorf("parseID(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
