package reports_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
)

// madeUpUsage is a sampled syslog-ng: 30 s at 10 samples a second, 12.6 CPU-seconds.
func madeUpUsage() reports.TargetUsage {
	return reports.TargetUsage{
		PID: 4242, Command: "syslog-ng", Interval: 100 * time.Millisecond, Window: time.Second,
		Elapsed: 30 * time.Second, Samples: 301, Processes: 2,
		CPU:        reports.CPUCores{Mean: 0.42, P99: 0.871, Max: 0.953},
		CPUSeconds: 12.6, RSSMax: 47 << 20, RSSMean: 45 << 20,
		Timeline: []reports.TargetPoint{{At: 15 * time.Second, CPU: 0.4, RSS: 45 << 20}, {At: 30 * time.Second, CPU: 0.44, RSS: 47 << 20}},
	}
}

func madeUpMetrics() *reports.TargetMetrics {
	return &reports.TargetMetrics{
		URL: "http://127.0.0.1:9577/metrics", Scrapes: 299, Failed: 2, Note: "2 of 301 scrapes failed, the last: connection refused",
		Series: []reports.TargetSeries{
			{Name: `syslogng_destination_messages_processed_total{id="d_sink"}`, Kind: "counter", Seen: 299, First: 12, Last: 300012, Increase: 300000, Rate: 10000.5},
			{Name: "syslogng_memory_queue_messages", Kind: "gauge", Seen: 299, Last: 3, Mean: 17.25, Max: 900},
			{Name: "absent_total"},
		},
	}
}

// TestNewTarget checks the per-CPU-second figures, including when no CPU time was measured.
func TestNewTarget(t *testing.T) {
	tg := reports.NewTarget(madeUpUsage(), 300000, 150<<20)
	if math.Abs(tg.EventsPerCPUSecond-300000/12.6) > 1e-9 || math.Abs(tg.BytesPerCPUSecond-float64(150<<20)/12.6) > 1e-6 {
		t.Errorf("per CPU-second: %v events, %v bytes; want 300000 and 150 MiB over 12.6", tg.EventsPerCPUSecond, tg.BytesPerCPUSecond)
	}
	if tg.Events != 300000 || tg.Bytes != 150<<20 || tg.CPU.P99 != 0.871 {
		t.Errorf("target %+v; want the usage and the counts kept", tg)
	}
	idle := reports.NewTarget(reports.TargetUsage{}, 10, 100)
	if idle.EventsPerCPUSecond != 0 || idle.BytesPerCPUSecond != 0 || idle.Timeline == nil {
		t.Errorf("no CPU time: %+v; want 0 per CPU-second and an empty timeline", idle)
	}
}

// TestTargetJSON pins the section's JSON keys and checks that it survives a round trip unchanged.
func TestTargetJSON(t *testing.T) {
	for _, tg := range []*reports.Target{
		func() *reports.Target {
			tg := reports.NewTarget(madeUpUsage(), 300000, 150<<20)
			tg.Metrics = madeUpMetrics()
			return tg
		}(),
		reports.NewTarget(reports.TargetUsage{}, 0, 0),
	} {
		b, err := json.Marshal(tg)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"cpu":{"mean":`, `"p99":`, `"max":`, `"rssMaxBytes":`, `"rssMeanBytes":`,
			`"eventsPerCPUSecond":`, `"bytesPerCPUSecond":`, `"samples":`, `"note":`, `"timeline":[`, `"cpuSeconds":`} {
			if !bytes.Contains(b, []byte(key)) {
				t.Errorf("JSON %s lacks %s", b, key)
			}
		}
		var back reports.Target
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&back, tg) {
			t.Errorf("round trip:\n got %+v\nwant %+v", back, *tg)
		}
	}
}

// TestTargetText renders made-up sections: a sampled external collector with its metrics, the embedded
// collector sampling itself with a note, and metrics alone.
func TestTargetText(t *testing.T) {
	for _, c := range []struct {
		name string
		tg   func() *reports.Target
	}{
		{"external", func() *reports.Target {
			tg := reports.NewTarget(madeUpUsage(), 300000, 150<<20)
			tg.Metrics = madeUpMetrics()
			return tg
		}},
		{"self", func() *reports.Target {
			u := madeUpUsage()
			u.Command, u.Self, u.Processes = "nssbench", true, 1
			u.Note = "target exited at 12.3s"
			return reports.NewTarget(u, 5000, 1200)
		}},
		{"sent", func() *reports.Target { // an external run without a sink: what was sent, not delivered
			tg := reports.NewTarget(madeUpUsage(), 300000, 150<<20)
			tg.Sent = true
			return tg
		}},
		{"idle", func() *reports.Target {
			u := madeUpUsage()
			u.CPU, u.CPUSeconds = reports.CPUCores{}, 0
			return reports.NewTarget(u, 0, 0)
		}},
		{"metrics-only", func() *reports.Target {
			tg := reports.NewTarget(reports.TargetUsage{}, 100, 1000)
			tg.Metrics = madeUpMetrics()
			return tg
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.tg().WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, buf.Bytes())
		})
	}
}

// TestTargetTextError: a failing writer is an error naming the section.
func TestTargetTextError(t *testing.T) {
	err := reports.NewTarget(madeUpUsage(), 1, 1).WriteText(brokenWriter{})
	if err == nil || !strings.Contains(err.Error(), "target section") || !errors.Is(err, errBroken) {
		t.Errorf("WriteText to a failing writer = %v; want the write error, naming the section", err)
	}
}

var errBroken = errors.New("disk full")

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errBroken }
