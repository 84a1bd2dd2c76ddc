package html_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/html"
)

// FuzzRender puts arbitrary text into the report's untrusted strings (alert type, class, scenario, a
// mismatch's input) and checks that the page keeps exactly its own four scripts and that its inline JSON
// still parses: no text breaks out of its context.
func FuzzRender(f *testing.F) {
	f.Add("Virus block", "CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Virus block|7|act=Blocked", "web")
	f.Add(hostile, hostile, hostile)                                      // every context at once
	f.Add("</SCRIPT\t>", "<!--<script>", "<\\/script>")                   // case, comments, escaped slashes
	f.Add("\u2028\u2029", "\x00\xff\xfe", "{{.R}}")                       // JS line terminators, bad UTF-8, template syntax
	f.Add("</style><style>*{}", "]]><![CDATA[", `"; alert(1); var x = "`) // other element and string breakouts

	rec := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"class"}, Start: time.Unix(1_750_000_000, 0)})
	v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("alert"), Line: 1}
	tm := reports.Timing{Scheduled: 0, Written: 1000, Received: 2000, Decided: 3000}
	rec.Offered(0)
	rec.Sent(tm, false)
	rec.Mismatch(0, v, verdict.Mismatch{Field: "alertType", Got: "alert", Want: "other"}, []byte("input"))
	rec.Verdict(0, v, tm)
	base := rec.Report(reports.Meta{Scenario: "fuzz", Duration: time.Second})

	f.Fuzz(func(t *testing.T, alertType, input, scenario string) {
		r := *base
		r.Alerts = []reports.AlertCount{{AlertType: alertType, Count: 1}}
		r.Classes = []reports.ClassCounts{{Name: alertType, Alerts: 1, Unmapped: 1, Checked: 1, Mismatches: 1}}
		r.Conformance.Examples = []reports.MismatchExample{{Class: scenario, Field: input, Got: alertType, Want: scenario, Input: input}}
		r.Meta.Scenario, r.Meta.Description = scenario, input
		r.Latency = append([]reports.StageLatency{}, base.Latency...)
		r.Latency[0].Stage = scenario // reaches the inline JSON
		var buf bytes.Buffer
		if err := html.HTML.Render(&buf, &r); err != nil {
			t.Fatalf("Render: %v", err)
		}
		page := strings.ToLower(buf.String())
		if n, m := strings.Count(page, "<script"), strings.Count(page, "</script"); n != 4 || m != 4 {
			t.Fatalf("page has %d <script and %d </script; want 4 each", n, m)
		}
		if strings.Contains(page, "<!--") || strings.Contains(page, "<img") || strings.Count(page, "</style") != 2 {
			t.Fatal("page contains markup from the input")
		}
		m := dataJSON.FindSubmatch(buf.Bytes())
		if m == nil {
			t.Fatal("page has no inline chart data")
		}
		var d chartData
		if err := json.Unmarshal(m[1], &d); err != nil {
			t.Fatalf("inline chart data does not parse: %v", err)
		}
		if len(d.Dist.Stages) == 0 || d.Dist.Stages[0].Stage != string([]rune(scenario)) {
			t.Fatalf("stage name reads back as %+v; want %q", d.Dist.Stages, scenario)
		}
	})
}
