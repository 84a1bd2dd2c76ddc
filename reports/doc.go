// Package reports turns the events of a run into a complete, self-describing, exactly mergeable report.
//
// A Recorder accepts events one at a time (offered, sent, verdict, mismatch, lost) and derives a Report at
// the end. Latency per stage lives in streaming HDR histograms and the per-second timeline in coarse
// fixed-bucket histograms, so memory does not grow with the number of events and shards merge exactly:
//
//	worker recorders ──Merge──▶ one Recorder ──Report(meta)──▶ Report ──Render──▶ text | JSON | Markdown
//	report.json files ──Decode──▶ Reports ──Merge──▶ Report (counts summed, histograms merged)
//
// Every offered event ends in exactly one bucket: an alert, a drop (stage, reason, detail) or lost (with a
// cause). Report.Balanced checks that, and every renderer prints the balance.
//
// The renderers are render.Renderer values (package reports/render, the one renderer shape of
// nssbench): Text, JSON and Markdown for reports (reports/html adds HTML), TextComparison,
// JSONComparison and MarkdownComparison for what Compare finds.
package reports
