package server

import (
	"fmt"
	"testing"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
)

func TestIDSpanGaps(t *testing.T) {
	const base, other = 7379073205867184130, 7155000000000000000 // two seeds' record-id bases
	tests := []struct {
		name string
		ids  []int64 // -1: a record without a usable id
		want uint64
	}{
		{"out-of-order", []int64{base + 5, base + 1, base + 2, base + 4, base + 8, base + 10, base + 6, base + 9}, 2}, // 3 and 7 missing
		{"duplicate-hides-one", []int64{base + 1, base + 2, base + 4, base + 1}, 0},
		{"records-without-id-fill-their-places", []int64{base, -1, base + 2, -1, -1, base + 5}, 0},
		{"without-id-before-the-first-id", []int64{-1, -1, base + 2, base + 3}, 0},
		{"loss-beside-records-without-id", []int64{base, -1, base + 3}, 1},
		{"second-seed", []int64{base, base + 1, base + 2, other, other + 1, other + 2}, 0},
		{"second-seed-interleaved-with-loss", []int64{base, other, base + 2, other + 1, other + 3, base + 3}, 2},
		{"restart-of-a-sequence", []int64{base + 100, base + 101, base, base + 1}, 98}, // one span: what lies between is missing
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s idSpan
			if _, ok := s.gaps(); ok {
				t.Fatal("gaps known before any id")
			}
			for _, id := range tc.ids {
				if id < 0 {
					s.noID()
				} else {
					s.add(uint64(id))
				}
			}
			if g, ok := s.gaps(); !ok || g != tc.want {
				t.Errorf("gaps = %d, %v; want %d, true", g, ok, tc.want)
			}
		})
	}
}

// TestIDSpanManySequences: past maxIDRuns sequences the least recently extended is closed, its gaps
// kept.
func TestIDSpanManySequences(t *testing.T) {
	var s idSpan
	for run := range uint64(maxIDRuns + 4) {
		base := 1_000_000_000_000 * (run + 1)
		s.add(base)
		s.add(base + 2) // base+1 lost
	}
	if g, _ := s.gaps(); g != maxIDRuns+4 {
		t.Errorf("gaps = %d; want one per sequence, %d", g, maxIDRuns+4)
	}
}

// TestUDPGapsIgnoreMalformed: through the server's UDP handler, malformed records (whose ids cannot be
// trusted, here a truncated one) and a second sender run with another seed add no gaps; a lost record
// of each run does.
func TestUDPGapsIgnoreMalformed(t *testing.T) {
	s := &Server{cfg: Config{Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})}}
	h := s.newHandler(collector.Conn{ID: 1, Transport: "udp"})
	send := func(base uint64, lose int) {
		for i := range 100 {
			switch {
			case i == lose:
			case i%10 == 3:
				h.Record([]byte("not CEF at all"), collector.FormatCEF, 0)
			case i%10 == 7: // truncated in its id: a malformed record with a wrong id
				h.Record(fmt.Appendf(nil, "CEF:0|Zscaler|NSSFWlog|5.7|Allow externalId=%d", (base+uint64(i))/1000), collector.FormatCEF, 0)
			default:
				h.Record(fmt.Appendf(nil, "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=%d", base+uint64(i)), collector.FormatCEF, 0)
			}
		}
	}
	send(7379073205867184130, -1)
	send(7155000000000000000, -1)
	if g, ok := s.udpIDs.gaps(); !ok || g != 0 {
		t.Errorf("gaps after two complete runs = %d, %v; want 0", g, ok)
	}
	send(7011000000000000000, 50)
	if g, _ := s.udpIDs.gaps(); g != 1 {
		t.Errorf("gaps after a run with one loss = %d; want 1", g)
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
