package reports

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
)

// Benchmarks of the recorder's hot paths and of deriving and merging reports. Compare changes with
//
//	go test -run '^$' -bench . -benchmem -count 6 ./reports/ | tee new.txt && benchstat old.txt new.txt
//
// SetBytes is the length of a realistic NSS web record (testdata/derived.cef), so MB/s reads as the
// input rate a recorder keeps up with.

// benchRecords returns the CEF records of testdata/derived.cef (web, firewall, DNS).
func benchRecords(b *testing.B) [][]byte {
	b.Helper()
	data, err := os.ReadFile("testdata/derived.cef")
	if err != nil {
		b.Fatal(err)
	}
	var out [][]byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(line) > 0 && line[0] != '#' {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		b.Fatal("no records in testdata/derived.cef")
	}
	return out
}

func BenchmarkRecorderVerdict(b *testing.B) {
	record := benchRecords(b)[0]
	cases := []struct {
		name string
		v    *verdict.Verdict
	}{
		{"kind=alert-mapped", alert("Malware block: malicious file", threatMalware)},
		{"kind=alert-unmapped", alert("Virus block", nil)},
		{"kind=dropped", drop(verdict.StagePlatform, verdict.ReasonDefaultAllow, verdict.DetailNone)},
		{"kind=malformed", drop(verdict.StageCollector, verdict.ReasonMalformed, verdict.DetailTruncated)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
			b.ReportAllocs()
			b.SetBytes(int64(len(record)))
			var i int64
			for b.Loop() {
				sched := i * 1000 // one event per µs: a new timeline second every 10⁶ events
				r.Verdict(uint16(i%6), c.v, Timing{Scheduled: sched, Written: sched + 15_000, Received: sched + 200_000, Decided: sched + 230_000 + i%4096})
				i++
				if r.counts.Verdicts != uint64(i) {
					b.Fatalf("verdicts = %d after %d calls", r.counts.Verdicts, i)
				}
			}
		})
	}
	// The baseline keeps every sample and keys alert types by a fresh string, as a naive recorder would.
	b.Run("impl=naive-samples", func(b *testing.B) {
		v := alert("Malware block: malicious file", threatMalware)
		var e2e []int64
		byType := map[string]uint64{}
		b.ReportAllocs()
		b.SetBytes(int64(len(record)))
		var i int64
		for b.Loop() {
			e2e = append(e2e, 230_000+i%4096)
			k := string(v.AlertType) + "/" + v.Threat.ID
			byType[k]++
			i++
			if len(e2e) != int(i) {
				b.Fatal("lost a sample")
			}
		}
	})
}

func BenchmarkRecorderSent(b *testing.B) {
	record := benchRecords(b)[0]
	r := NewRecorder(RecorderConfig{Start: testStart})
	b.ReportAllocs()
	b.SetBytes(int64(len(record)))
	var i int64
	for b.Loop() {
		sched := i * 1000
		r.Offered(sched)
		r.Sent(Timing{Scheduled: sched, Written: sched + 15_000 + i%2048}, i%100 == 0)
		i++
		if r.counts.Sent != uint64(i) {
			b.Fatalf("sent = %d after %d calls", r.counts.Sent, i)
		}
	}
}

// BenchmarkRecorderSentBytes is the sender's accounting of one record as the runners do it: Sent and
// its byte count.
func BenchmarkRecorderSentBytes(b *testing.B) {
	record := benchRecords(b)[0]
	r := NewRecorder(RecorderConfig{Classes: sampleClasses, Feeds: sampleFeeds, Start: testStart})
	b.ReportAllocs()
	b.SetBytes(int64(len(record)))
	var i int64
	for b.Loop() {
		sched := i * 1000
		r.Offered(sched)
		r.Sent(Timing{Scheduled: sched, Written: sched + 15_000 + i%2048}, i%100 == 0)
		r.SentBytes(uint16(i%6), len(record))
		i++
	}
	if c := r.classes[0]; c.SentBytes != c.Sent*uint64(len(record)) {
		b.Fatalf("class 0: %d bytes for %d records of %d", c.SentBytes, c.Sent, len(record))
	}
}

// BenchmarkReport derives the report of a 60 s run at 10 000 events/s.
func BenchmarkReport(b *testing.B) {
	r := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
	feedAll(r, sampleStream(9, 600_000, 100*time.Microsecond))
	b.ReportAllocs()
	for b.Loop() {
		rep := r.Report(testMeta)
		if len(rep.Timeline) < 60 || !rep.Balanced() {
			b.Fatalf("report: %d seconds, balanced %v", len(rep.Timeline), rep.Balanced())
		}
	}
}

// BenchmarkMerge merges four decoded 60 s shard reports.
func BenchmarkMerge(b *testing.B) {
	events := sampleStream(9, 600_000, 100*time.Microsecond)
	var shards []*Report
	for k := range 4 {
		r := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
		feedAll(r, events[k*len(events)/4:(k+1)*len(events)/4])
		shards = append(shards, r.Report(testMeta))
	}
	b.ReportAllocs()
	for b.Loop() {
		m, err := Merge(shards...)
		if err != nil || m.Counts.Offered != uint64(len(events)) {
			b.Fatalf("Merge = %v, offered %d", err, m.Counts.Offered)
		}
	}
}
