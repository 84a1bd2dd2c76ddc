// Package html renders a reports.Report as a single self-contained HTML page with charts.
//
// The page needs no network: the charting library (uPlot, vendored in assets/, see assets/README.md), the
// page's script and styles are inlined, and the chart data travels inline as JSON:
//
//	Report ──view──▶ page (tables, formatted text) ──html/template──▶ report.html
//	       ──chartData──▶ JSON <script type="application/json"> ──report.js + uPlot──▶ 3 canvases
//
// The charts: throughput offered vs achieved per second, end-to-end latency p50/p99 per second, and the
// latency distribution of every stage as a percentile curve read from its HDR histogram. Breakdowns
// (alerts by type, drops by stage/reason/detail, lost by cause, outcomes of offered events) are HTML
// tables with proportional CSS bars, so they read without JavaScript. The header, accounting balance,
// thresholds, per-class table and conformance examples are plain HTML too.
//
// Every string of the report (scenario, alert types, mismatch inputs) is untrusted text: html/template
// escapes it for the context it lands in, including the inline JSON, so a "</script>" in an input line
// stays text.
//
// When the scripts have drawn every chart, the page sets document.body.dataset.rendered = "ok"; a script
// error sets data-error on <body> instead and shows the message at the top of the page. Headless checks
// (see the package tests and scripts/screenshot-report.sh) read these markers.
package html
