package run

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/progress"
)

// maxMallocsPerRecord bounds the steady state's heap allocations per record: near 0 (what allocates
// now and then, such as a timeline's new second, spread over the records of that time).
const maxMallocsPerRecord = 0.01

// steadyMallocs runs cfg for about three seconds and returns the heap allocations per record between
// its first and its last progress snapshot: the steady state, without setup or the report at the end.
// count picks the records a snapshot counts (sent or decided).
func steadyMallocs(t *testing.T, cfg Config, count func(progress.Snapshot) uint64) (float64, uint64) {
	t.Helper()
	type sample struct{ mallocs, records uint64 }
	var samples []sample
	cfg.Progress = func(s progress.Snapshot) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		samples = append(samples, sample{m.Mallocs, count(s)}) // appends are themselves counted: 1 each
	}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if len(samples) < 2 {
		t.Fatalf("%d progress snapshots; want at least 2", len(samples))
	}
	first, last := samples[0], samples[len(samples)-1]
	n := last.records - first.records
	if n == 0 {
		t.Fatal("no record between the first and the last snapshot")
	}
	return float64(last.mallocs-first.mallocs) / float64(n), n
}

// TestEmbeddedRunAllocs runs the embedded collector at 400 k/s (flat out on a small machine, where it
// falls behind and takes longer; the embedded sender sends every scheduled record) and checks that generating, sending,
// collecting, deciding and recording a record allocates nothing in steady state.
func TestEmbeddedRunAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation measurement over a 3-second run; not under -short or the race detector")
	}
	cfg := extConfig(t, "default", 0, 0, "")
	cfg.Target = ""
	cfg.Pipeline = pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
	cfg.Pacer = pacer.Constant{Rate: 4e5, Limit: pacer.Limit{Duration: 3100 * time.Millisecond}}
	per, n := steadyMallocs(t, cfg, func(s progress.Snapshot) uint64 { return s.Verdicts })
	t.Logf("embedded run: %.5f mallocs per record over %d records", per, n)
	if per > maxMallocsPerRecord {
		t.Errorf("embedded run: %.5f mallocs per record in steady state, want at most %v", per, maxMallocsPerRecord)
	}
}

// TestTargetRunAllocs sends flat out to an external TCP target that discards what it reads (run
// -target) and checks that generating, pacing, sending and accounting allocate nothing per record.
func TestTargetRunAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation measurement over a 3-second run; not under -short or the race detector")
	}
	discard := collectortest.Discard(t)
	cfg := extConfig(t, "default", 0, 0, "tcp://"+discard)
	// Flat out: the schedule is far ahead of the sender, whose writes stop a second after its end.
	cfg.Pacer = pacer.Constant{Rate: 5e6, Limit: pacer.Limit{Duration: 3100 * time.Millisecond}}
	cfg.DrainTimeout = time.Second
	per, n := steadyMallocs(t, cfg, func(s progress.Snapshot) uint64 { return s.Sent })
	t.Logf("run -target: %.5f mallocs per record over %d records", per, n)
	if per > maxMallocsPerRecord {
		t.Errorf("run -target: %.5f mallocs per record in steady state, want at most %v", per, maxMallocsPerRecord)
	}
}
