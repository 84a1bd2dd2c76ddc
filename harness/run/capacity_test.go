package run

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/reports"
)

// TestRunBytes checks the byte counts against the bytes generated: sent is the sum of every record's
// length (without framing), per feed too; delivered is the same less the oversize records the
// collector cut, whatever the framing.
func TestRunBytes(t *testing.T) {
	for _, framing := range []string{"lf", "octet"} {
		t.Run(framing, func(t *testing.T) {
			const n = 3000
			_, gen := smokeGenerator(t)
			rep := smokeRun(t, context.Background(), defaultPipeline(), n, 30000, 2, framing)
			classes := gen.Classes()
			var sent, delivered uint64
			perFeed := map[string]uint64{}
			var buf []byte
			for seq := range uint64(n) {
				line, label := gen.Append(buf[:0], seq)
				buf = line[:0]
				sent += uint64(len(line))
				perFeed[classes[label.Class].Feed.String()] += uint64(len(line))
				if classes[label.Class].Malform != generator.MalformOversize {
					delivered += uint64(len(line))
				}
			}
			b := rep.Bytes
			if rep.Counts.Lost != 0 || b.SentEvents != n {
				t.Fatalf("lost %d, %d records' bytes sent; want none lost, %d", rep.Counts.Lost, b.SentEvents, n)
			}
			if b.Sent != sent || b.Delivered != delivered {
				t.Errorf("bytes sent %d, delivered %d; want %d and %d (the records without framing)", b.Sent, b.Delivered, sent, delivered)
			}
			for _, f := range b.Feeds {
				if f.Sent != perFeed[f.Feed] {
					t.Errorf("feed %s: %d bytes sent; want %d", f.Feed, f.Sent, perFeed[f.Feed])
				}
			}
			if len(b.Feeds) != len(perFeed) {
				t.Errorf("%d feeds; want %d", len(b.Feeds), len(perFeed))
			}
		})
	}
}

// TestRunLimitCollector slows the embedded collector (Cost) below the offered rate: the report says the
// collector limited the run, and, sampling itself, carries a target section.
func TestRunLimitCollector(t *testing.T) {
	_, gen := smokeGenerator(t)
	rep, err := Run(context.Background(), Config{
		Generator: gen, Pipeline: defaultPipeline(),
		Pacer: pacer.Constant{Rate: 8000, Limit: pacer.Limit{Duration: time.Second}},
		Cost:  500 * time.Microsecond, // at most 2000/s
		Probe: probe.Target{Self: true}, DrainTimeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if l := rep.LimitedBy(); l.By != reports.LimitCollector {
		t.Errorf("limited by %s (%s); want collector\n%s", l.By, l.Why, l.Figures())
	}
	tg := rep.Target
	if tg == nil || !tg.Self || tg.PID != os.Getpid() || tg.Samples < 2 || tg.CPUSeconds <= 0 || tg.RSSMax == 0 || tg.Events != rep.Counts.Verdicts {
		t.Errorf("target %+v; want nssbench itself sampled, with CPU time and RSS, %d events", tg, rep.Counts.Verdicts)
	}
}

// TestRunLimitNone offers a rate the embedded collector sustains: nothing limited it, or, on a machine
// so loaded that the sender itself fell behind (as under -race on two shared cores), the sender; never
// the collector.
func TestRunLimitNone(t *testing.T) {
	rep := smokeRun(t, context.Background(), defaultPipeline(), 500, 1000, 1, "lf")
	l := rep.LimitedBy()
	switch {
	case l.By == reports.LimitCollector:
		t.Errorf("limited by collector (%s); want none\n%s", l.Why, l.Figures())
	case l.BehindRatio <= reports.LimitBehind && l.By != reports.LimitNone:
		t.Errorf("limited by %s (%s) with %s behind; want none\n%s", l.By, l.Why, reports.FormatRatio(l.BehindRatio), l.Figures())
	}
	if rep.Target != nil {
		t.Errorf("target %+v; want none without a probe", rep.Target)
	}
}

// TestRunProbeNoProcess: a target pid that does not exist fails the run before anything is sent.
func TestRunProbeNoProcess(t *testing.T) {
	_, gen := smokeGenerator(t)
	_, err := Run(context.Background(), Config{
		Generator: gen, Pipeline: defaultPipeline(),
		Pacer: pacer.Constant{Rate: 100, Limit: pacer.Limit{Count: 10}}, Probe: probe.Target{PID: 1 << 30},
	})
	if err == nil || !strings.Contains(err.Error(), "no such process") {
		t.Errorf("Run with a missing pid: %v; want no such process", err)
	}
}
