package html_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/html"
)

// Render a run's report as one HTML file: it opens anywhere, offline, and its charts draw from the
// inline data.
func ExampleRenderer() {
	rec := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"web-malware"}, Start: time.Date(2025, 6, 11, 2, 52, 44, 0, time.UTC)})
	malware := &verdict.Verdict{Kind: verdict.KindAlert, Stage: verdict.StagePlatform, AlertType: []byte("Malware block: malicious file"),
		Threat: &verdict.Threat{ID: "T1204.002", Name: "Malicious File"}}
	ms := int64(time.Millisecond)
	for i := int64(0); i < 3000; i++ {
		t := reports.Timing{Scheduled: i * ms, Written: i*ms + 20_000, Received: i*ms + 300_000, Decided: i*ms + 350_000}
		rec.Offered(t.Scheduled)
		rec.Sent(t, false)
		rec.Verdict(0, malware, t)
	}
	rep := rec.Report(reports.Meta{Scenario: "example", Pacer: "Constant{1000/s}", OfferedRate: 1000, Duration: 3 * time.Second})

	var page bytes.Buffer
	if err := html.HTML.Render(&page, rep); err != nil {
		fmt.Println(err)
		return
	}
	out := page.String()
	fmt.Println("charts:", strings.Count(out, `<div id="chart-`))
	fmt.Println("external fetches:", strings.Contains(out, "<script src") || strings.Contains(out, "<link"))
	fmt.Println(strings.Contains(out, "offered 3000 = alerts 3000 + dropped 0 + lost 0"))
	// Output:
	// charts: 3
	// external fetches: false
	// true
}
