package sink

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/cef"
)

// Benchmarks of the sink's per-record path. Run:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./harness/sink/ | tee new.txt   # then benchstat old.txt new.txt

// benchLines returns n generated well-formed lines of the smoke scenario and their record ids.
func benchLines(b *testing.B, cloud bool, n int) ([][]byte, []uint64, int) {
	g := smokeGenerator(b, cloud)
	classes := g.Classes()
	var lines [][]byte
	var ids []uint64
	total := 0
	for seq := uint64(0); len(lines) < n; seq++ {
		line, lb := g.Append(nil, seq)
		if classes[lb.Class].Malform != 0 {
			continue
		}
		lines, ids = append(lines, line), append(ids, lb.RecordID)
		total += len(line)
	}
	return lines, ids, total / n
}

// BenchmarkExtract reads the record id of forwarded records: the sink's lazy lookup, and a baseline
// that parses every field (the CEF parser's full split; encoding/json).
func BenchmarkExtract(b *testing.B) {
	for _, tc := range []struct {
		format Format
		cloud  bool
	}{{FormatCEF, false}, {FormatJSON, true}} {
		lines, ids, avg := benchLines(b, tc.cloud, 256)
		b.Run(fmt.Sprintf("format=%s/impl=sink", tc.format), func(b *testing.B) {
			x := NewExtractor(Options{})
			b.ReportAllocs()
			b.SetBytes(int64(avg))
			for i := 0; i < b.N; i++ {
				k := i % len(lines)
				f, err := x.Extract(lines[k], tc.format)
				if err != nil || f.ID != ids[k] {
					b.Fatalf("Extract = %d, %v; want %d", f.ID, err, ids[k])
				}
			}
		})
		b.Run(fmt.Sprintf("format=%s/impl=baseline", tc.format), func(b *testing.B) {
			var p cef.Parser
			var obj map[string]any
			b.ReportAllocs()
			b.SetBytes(int64(avg))
			for i := 0; i < b.N; i++ {
				k := i % len(lines)
				var id string
				if tc.format == FormatCEF {
					r, err := p.Parse(lines[k])
					if err != nil {
						b.Fatal(err)
					}
					pairs, err := p.Extensions(r)
					if err != nil {
						b.Fatal(err)
					}
					for _, pr := range pairs {
						if string(pr.Key) == DefaultIDField {
							id = string(pr.Value)
						}
					}
				} else {
					clear(obj)
					if err := json.Unmarshal(lines[k], &obj); err != nil {
						b.Fatal(err)
					}
					id, _ = obj[DefaultIDField].(string)
				}
				if n, ok := parseID([]byte(id)); !ok || n != ids[k] {
					b.Fatalf("baseline id %q; want %d", id, ids[k])
				}
			}
		})
	}
}

// BenchmarkTrackerArrive is the sink's whole per-record cost after framing: extract, match, count,
// latency and conformance check, under the tracker's lock. outcome=delivered: every arrival is a first
// one (the tracker is reset, untimed, every window records); outcome=duplicate: every arrival was seen.
func BenchmarkTrackerArrive(b *testing.B) {
	sch := testSchedule(b, false)
	sch.Pacer = everyNanosecond{}
	g := sch.Generator
	const window = 4096
	var lines [][]byte
	total := 0
	for seq := uint64(0); len(lines) < window; seq++ {
		line, lb := g.Append(nil, seq)
		if g.Classes()[lb.Class].Malform != 0 {
			continue
		}
		lines = append(lines, line)
		total += len(line)
	}
	for _, outcome := range []string{"delivered", "duplicate"} {
		b.Run("outcome="+outcome, func(b *testing.B) {
			tr, err := NewTracker(sch, Options{Expect: ExpectAll})
			if err != nil {
				b.Fatal(err)
			}
			x := NewExtractor(Options{})
			if outcome == "duplicate" {
				for _, l := range lines {
					tr.Arrive(x, l, FormatCEF, int64(time.Millisecond))
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(total / window))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if outcome == "delivered" && i%window == 0 && i > 0 {
					b.StopTimer()
					if st := tr.Stats(); st.Delivered != window {
						b.Fatalf("Stats() = %+v; want %d delivered", st, window)
					}
					tr.Begin(sch.Start)
					b.StartTimer()
				}
				tr.Arrive(x, lines[i%window], FormatCEF, int64(time.Millisecond))
			}
			b.StopTimer()
			st := tr.Stats()
			if outcome == "duplicate" && st.Duplicates != uint64(b.N) {
				b.Fatalf("Stats() = %+v; want %d duplicates", st, b.N)
			}
		})
	}
}

// everyNanosecond is a pacer whose event n is due at n ns, for benchmarks.
type everyNanosecond struct{}

func (everyNanosecond) Due(n uint64) (time.Duration, bool) { return time.Duration(n), true }
func (everyNanosecond) RateAt(time.Duration) float64       { return 1e9 }
func (everyNanosecond) String() string                     { return "everyNanosecond" }
