package reports_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

// One recorder per goroutine; merge them at the end and derive the report.
func ExampleRecorder() {
	start := time.Date(2025, 6, 11, 2, 52, 44, 0, time.UTC)
	cfg := reports.RecorderConfig{Classes: []string{"web-malware", "fw-default"}, Start: start}
	senders, collector := reports.NewRecorder(cfg), reports.NewRecorder(cfg)

	malware := &verdict.Verdict{Kind: verdict.KindAlert, Stage: verdict.StagePlatform, AlertType: []byte("Malware block: malicious file"),
		Threat: &verdict.Threat{ID: "T1204.002", Name: "Malicious File"}}
	allowed := &verdict.Verdict{Kind: verdict.KindDropped, Stage: verdict.StagePlatform, Reason: verdict.ReasonDefaultAllow}
	ms := int64(time.Millisecond)
	for i := int64(0); i < 10; i++ {
		t := reports.Timing{Scheduled: i * ms, Written: i*ms + 20_000, Received: i*ms + 300_000, Decided: i*ms + 350_000}
		senders.Offered(t.Scheduled)
		if i == 9 {
			senders.Lost(1, "send_error", 1) // never written
			continue
		}
		senders.Sent(t, false)
		if i%3 == 0 {
			collector.Verdict(0, malware, t)
		} else {
			collector.Verdict(1, allowed, t)
		}
	}
	if err := senders.Merge(collector); err != nil {
		fmt.Println(err)
		return
	}
	r := senders.Report(reports.Meta{Scenario: "example", Duration: 10 * time.Millisecond})
	c := r.Counts
	fmt.Printf("offered %d = alerts %d + dropped %d + lost %d: balanced %v\n", c.Offered, c.Alerts, c.Dropped, c.Lost, r.Balanced())
	fmt.Println("e2e p99:", reports.FormatDuration(r.Stage(reports.EndToEnd).P99))
	fmt.Println("top alert:", r.Alerts[0].AlertType, r.Alerts[0].ThreatID, r.Alerts[0].Count)
	fmt.Println("drops:", r.Drops[0].Stage, r.Drops[0].Reason, r.Drops[0].Count)
	// Output:
	// offered 10 = alerts 3 + dropped 6 + lost 1: balanced true
	// e2e p99: 350µs
	// top alert: Malware block: malicious file T1204.002 3
	// drops: platform default_allow 6
}

// Reports written by separate processes merge exactly: counts add and percentiles come from the merged
// histograms.
func ExampleMerge() {
	shard := func(latency time.Duration) *bytes.Buffer {
		r := reports.NewRecorder(reports.RecorderConfig{Start: time.Unix(1_750_000_000, 0)})
		v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("Virus block")}
		for i := int64(0); i < 100; i++ {
			r.Offered(i)
			r.Verdict(0, v, reports.Timing{Scheduled: i, Decided: i + int64(latency)})
		}
		var buf bytes.Buffer
		if err := reports.JSON.Render(&buf, r.Report(reports.Meta{Duration: time.Second})); err != nil {
			panic(err)
		}
		return &buf
	}
	a, err := reports.Decode(shard(time.Millisecond))
	if err != nil {
		panic(err)
	}
	b, err := reports.Decode(shard(3 * time.Millisecond))
	if err != nil {
		panic(err)
	}
	m, err := reports.Merge(a, b)
	if err != nil {
		panic(err)
	}
	e2e := m.Stage(reports.EndToEnd)
	fmt.Println(m.Counts.Verdicts, "verdicts; e2e p50", reports.FormatDuration(e2e.P50), "p90", reports.FormatDuration(e2e.P90))
	// Output:
	// 200 verdicts; e2e p50 1.00ms p90 3.00ms
}
