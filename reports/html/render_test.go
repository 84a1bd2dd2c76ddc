package html_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
	"github.com/nssbench/nssbench/reports/html"
)

var out = flag.String("html.out", "", "TestWriteSample writes the sample report to this file, e.g. for scripts/screenshot-report.sh")

// standard is the sample most tests render: 30 s ramping to 800 events/s.
var standard = sampleConfig{seconds: 30, peak: 800}

func render(t *testing.T, r *reports.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := html.HTML.Render(&buf, r); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String()
}

// dataJSON returns the inline chart data of a rendered page.
var dataJSON = regexp.MustCompile(`(?s)<script type="application/json" id="nssbench-data">(.*?)</script>`)

// chartData is the part of the inline data the tests read back.
type chartData struct {
	Timeline struct {
		T        []int64    `json:"t"`
		Offered  []uint64   `json:"offered"`
		Verdicts []uint64   `json:"verdicts"`
		P99      []*float64 `json:"p99"`
	} `json:"timeline"`
	Dist struct {
		X      []float64 `json:"x"`
		Stages []struct {
			Stage string     `json:"stage"`
			Y     []*float64 `json:"y"`
		} `json:"stages"`
	} `json:"dist"`
	Target struct {
		T   []float64 `json:"t"`
		CPU []float64 `json:"cpu"`
		RSS []float64 `json:"rss"`
	} `json:"target"`
}

func parseData(t *testing.T, page string) chartData {
	t.Helper()
	m := dataJSON.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page has no inline chart data")
	}
	var d chartData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatalf("inline chart data does not parse: %v", err)
	}
	return d
}

// fetches are the ways a page could load something from elsewhere.
var fetches = regexp.MustCompile(`(?i)<script[^>]*\ssrc\s*=|<link\b|<iframe\b|<img\b|<object\b|<embed\b|@import|url\(|\bfetch\(|XMLHttpRequest|\bsrc\s*=`)

func TestRender(t *testing.T) {
	rep := sampleReport(t, standard)
	page := render(t, rep)

	if !strings.HasPrefix(page, "<!DOCTYPE html>") {
		t.Errorf("page starts %q; want <!DOCTYPE html>", page[:min(len(page), 40)])
	}
	if !strings.Contains(page, "<script>"+html.UPlotJS+"</script>") {
		t.Error("page does not inline uPlot verbatim")
	}
	if n := strings.Count(page, "<script"); n != 4 {
		t.Errorf("page has %d <script elements; want 4 (onerror, data, uPlot, report)", n)
	}
	if loc := fetches.FindStringIndex(page); loc != nil {
		t.Errorf("page fetches from elsewhere: %q", page[max(0, loc[0]-40):min(len(page), loc[1]+40)])
	}
	if n := strings.Count(strings.ReplaceAll(page, html.UPlotJS, ""), "://"); n != 0 {
		t.Errorf("page has %d URLs outside the library's banner; want none", n)
	}

	d := parseData(t, page)
	if n := len(rep.Timeline); len(d.Timeline.T) != n || len(d.Timeline.Offered) != n || len(d.Timeline.P99) != n {
		t.Errorf("timeline columns have %d, %d, %d entries; want %d", len(d.Timeline.T), len(d.Timeline.Offered), len(d.Timeline.P99), n)
	}
	var offered uint64
	for _, o := range d.Timeline.Offered {
		offered += o
	}
	if offered != rep.Counts.Offered {
		t.Errorf("timeline offers %d events; report %d", offered, rep.Counts.Offered)
	}
	var stages []string
	for _, s := range d.Dist.Stages {
		stages = append(stages, s.Stage)
		if len(s.Y) != len(d.Dist.X) {
			t.Errorf("%s curve has %d points; x has %d", s.Stage, len(s.Y), len(d.Dist.X))
		}
	}
	if got := strings.Join(stages, ","); got != "send,wire,pipeline,e2e" {
		t.Errorf("distribution stages = %s; want send,wire,pipeline,e2e", got)
	}

	c := &rep.Counts
	for _, want := range []string{
		"<title>nssbench · web-and-firewall-mix</title>",
		"Linear{200/s → 800/s}", "2025-06-11T02:52:44Z", "linux/amd64, 2 CPUs, test",
		"offered " + count(c.Offered) + " = alerts " + count(c.Alerts) + " + dropped " + count(c.Dropped) + " + lost " + count(c.Lost) + ": <span class=\"mark\">✓ balanced</span>",
		`<span class="badge fail">FAIL</span>`,
		"<code>lost==0</code>", `<span class="badge small fail">FAIL</span>`, `<span class="badge small pass">pass</span>`,
		"Malware block: malicious file", "T1021.001", "udp_overrun", "connection_reset", "bad_header",
		"fw-rdp", "<td>recordid " + rep.Conformance.Examples[0].RecordID + " line ", "act=Blocked reason=Malware",
		`id="chart-throughput"`, `id="chart-latency"`, `id="chart-distribution"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="delivery"`) {
		t.Error("page of an embedded run has a delivery section")
	}
	if t.Failed() {
		t.Logf("page without the library:\n%s", strings.ReplaceAll(page, html.UPlotJS, "…uPlot…"))
	}
}

// count formats n as the page does: groups of three digits apart by thin spaces from 10 000 up.
func count(n uint64) string {
	d := strconv.FormatUint(n, 10)
	if len(d) <= 4 {
		return d
	}
	var s strings.Builder
	for i := range len(d) {
		if i > 0 && (len(d)-i)%3 == 0 {
			s.WriteString("\u2009")
		}
		s.WriteByte(d[i])
	}
	return s.String()
}

// deliverySection matches the page's balance line and Delivery section.
var deliverySection = regexp.MustCompile(`(?s)\t<p id="balance".*?</p>|<section id="delivery">.*?</section>`)

// TestRenderDelivery renders the Delivery section of an observed and an unobserved run, checks its facts,
// the balance line and the status, and pins the section and the balance line in a golden file.
func TestRenderDelivery(t *testing.T) {
	for _, tt := range []struct {
		name     string
		observed bool
		want     []string
	}{
		{"observed", true, []string{
			`observed by the sink <code>tcp://127.0.0.1:5515</code> · expect verdicts`,
			`<td>sink</td><td>delivered</td><td class="num">`,
			`<td>sink</td><td>duplicates</td><td class="num">12</td>`,
			`<td>sink</td><td>reordered</td><td class="num">3</td>`,
			`<td>sink</td><td>unattributed</td><td class="num">4</td>`,
			`<td>sink</td><td>foreign</td><td class="num">5</td>`,
			`<td>sender</td><td>reconnects</td><td class="num">1</td>`,
			`<td>sender</td><td>at risk</td><td class="num">6</td>`,
			`<td>sender</td><td>re-sent</td><td class="num">12</td>`,
			`<p class="note">records at risk were re-sent from the duplicate window</p>`,
			`<span class="mark">✓ balanced</span>`,
		}},
		{"unobserved", false, []string{
			`<strong class="warn-text">not observed</strong>: no sink watched the collector's output`,
			`<td>sink</td><td>fate unknown (no sink)</td><td class="num warn-text">199</td>`,
			`<td>sender</td><td>reconnects</td><td class="num">2</td>`,
			`<td>sender</td><td>at risk</td><td class="num">7</td>`,
			`<td>sender</td><td>re-sent</td><td class="num">0</td>`,
			`<p class="note">no sink: only the sender&#39;s side is known</p>`,
			`<p id="balance" class="balance unobserved">`,
			`offered 200 = unobserved 199 + lost 1: <span class="mark">delivery not observed (no sink)</span>`,
			`<span class="badge pass"`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := deliveryReport(t, tt.observed)
			page := render(t, rep)
			for _, want := range tt.want {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if tt.observed && !strings.Contains(page, `<td>sink</td><td>delivered</td><td class="num">`+count(rep.Delivery.Delivered)+`</td>`) {
				t.Errorf("page lacks delivered %d", rep.Delivery.Delivered)
			}
			if got := strings.Contains(page, "fate unknown"); got == tt.observed {
				t.Errorf("page says fate unknown: %v; want %v", got, !tt.observed)
			}
			if strings.Contains(page, "accounting not balanced") {
				t.Error("page calls the accounting unbalanced")
			}
			parts := deliverySection.FindAllString(page, -1)
			if len(parts) != 2 {
				t.Fatalf("page has %d of the balance line and delivery section; want 2", len(parts))
			}
			golden.Check(t, []byte(strings.Join(parts, "\n")+"\n"))
		})
	}
	t.Run("unobserved, unbalanced", func(t *testing.T) {
		rep := deliveryReport(t, false)
		rep.Delivery.Unobserved = 190
		page := render(t, rep)
		for _, want := range []string{
			`<p id="balance" class="balance bad">`,
			`offered 200 vs unobserved 190 + lost 1 + verdicts 0 = 191 (&#43;9 unaccounted): <span class="mark">✗ NOT BALANCED</span>`,
			"accounting not balanced", `<span class="badge fail">FAIL</span>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
}

// capacitySections matches the page's verdict line and its bytes, target and limit sections.
var capacitySections = regexp.MustCompile(`(?s)<p id="verdict".*?</p>|<section id="bytes">.*?</section>|<section id="target">.*?</section>|<section id="limit">.*?</section>`)

// TestRenderCapacity checks the verdict line, the bytes, target and limit sections of the standard
// sample and pins them in a golden file; a report without a target has no target section.
func TestRenderCapacity(t *testing.T) {
	rep := sampleReport(t, standard)
	page := render(t, rep)
	for _, want := range []string{
		`<p id="verdict" class="verdict bad">FAIL: `, `<code>syslog-ng</code> pid 4242`, `id="chart-target"`,
		`<td>web</td>`, `<td>firewall</td>`, "GB/day", "limited by: ",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	d := parseData(t, page)
	if n := len(rep.Target.Timeline); len(d.Target.T) != n || len(d.Target.CPU) != n || len(d.Target.RSS) != n {
		t.Errorf("target chart columns have %d, %d, %d entries; want %d", len(d.Target.T), len(d.Target.CPU), len(d.Target.RSS), n)
	}
	parts := capacitySections.FindAllString(page, -1)
	if len(parts) != 4 {
		t.Fatalf("page has %d of the verdict line and the bytes, target and limit sections; want 4", len(parts))
	}
	golden.Check(t, []byte(strings.Join(parts, "\n")+"\n"))

	rep.Target = nil
	if page := render(t, rep); strings.Contains(page, `id="target"`) {
		t.Error("page of a report without a target has a target section")
	}
}

// TestRenderHostile puts text that breaks out of every context into every untrusted string that reaches
// the page: text, attributes, <title>, the inline JSON and a stage name.
func TestRenderHostile(t *testing.T) {
	rep := sampleReport(t, sampleConfig{seconds: 5, peak: 400, hostile: true})
	rep.Latency[0].Stage = "send" + hostile
	rep.Thresholds[0].Expr += hostile
	rep.Meta.Machine = hostile
	rep.Delivery = &reports.Delivery{Observed: true, Sink: hostile, Expect: hostile, Note: hostile}
	page := render(t, rep)

	if strings.Contains(page, hostile) {
		t.Error("page contains the hostile text unescaped")
	}
	for _, tag := range []string{"<script", "</script"} {
		if n := strings.Count(strings.ToLower(page), tag); n != 4 {
			t.Errorf("page has %d %s; want the renderer's 4", n, tag)
		}
	}
	for _, bad := range []string{"<img", "onerror=\"document", "<!--"} {
		if strings.Contains(strings.ToLower(page), strings.ToLower(bad)) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;/script&gt;&lt;script&gt;document.body.dataset.pwned=&#34;1&#34;&lt;/script&gt;") {
		t.Error("page lacks the hostile text escaped as HTML text")
	}
	d := parseData(t, page)
	if got := d.Dist.Stages[0].Stage; got != "send"+hostile {
		t.Errorf("hostile stage name reads back from the JSON as %q", got)
	}
}

func TestRenderEmpty(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    *reports.Report
	}{
		{"zero", &reports.Report{}},
		{"recorder", reports.NewRecorder(reports.RecorderConfig{}).Report(reports.Meta{Scenario: "nothing"})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, tt.r)
			for _, want := range []string{"No alerts.", "No drops.", "No events lost.", "✓ balanced", `<span class="badge pass"`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			d := parseData(t, page)
			if len(d.Timeline.T) != 0 || len(d.Dist.Stages) != 0 {
				t.Errorf("chart data = %+v; want empty", d)
			}
		})
	}
}

func TestRenderUnbalanced(t *testing.T) {
	rep := sampleReport(t, sampleConfig{seconds: 3, peak: 200})
	rep.Counts.Offered += 7
	rep.Counts.Invalid = 2
	page := render(t, rep)
	c := &rep.Counts
	want := "vs alerts " + count(c.Alerts) + " + dropped " + count(c.Dropped) + " + lost " + count(c.Lost) + " = " +
		count(c.Alerts+c.Dropped+c.Lost) + ", 2 invalid verdicts (&#43;7 unaccounted): <span class=\"mark\">✗ NOT BALANCED</span>"
	if !strings.Contains(page, want) {
		t.Errorf("page lacks %q", want)
	}
	if !strings.Contains(page, "accounting not balanced") {
		t.Error("page does not say why the run failed")
	}
}

func TestRenderErrors(t *testing.T) {
	rep := sampleReport(t, sampleConfig{seconds: 3, peak: 200})
	t.Run("bad histogram", func(t *testing.T) {
		bad := *rep
		bad.Latency = append([]reports.StageLatency{}, rep.Latency...)
		bad.Latency[1].Histogram = "%%%"
		var buf bytes.Buffer
		err := html.HTML.Render(&buf, &bad)
		if err == nil || !strings.Contains(err.Error(), "wire latency") {
			t.Errorf("Render(bad histogram) = %v; want an error naming the wire stage", err)
		}
		if buf.Len() != 0 {
			t.Errorf("Render(bad histogram) wrote %d bytes; want none", buf.Len())
		}
	})
	t.Run("writer", func(t *testing.T) {
		boom := errors.New("disk full")
		err := html.HTML.Render(failWriter{boom}, rep)
		if !errors.Is(err, boom) {
			t.Errorf("Render(failing writer) = %v; want it to wrap %v", err, boom)
		}
	})
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// TestChartData pins the chart data of the standard sample. Rewrite with -update.
func TestChartData(t *testing.T) {
	got, err := html.ChartDataJSON(sampleReport(t, standard))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, append(got, '\n'))
}

// TestWriteSample writes the standard sample page to the -html.out file; it is skipped without the flag.
// To look at the page: go test ./reports/html -run TestWriteSample -html.out /tmp/report.html &&
// scripts/screenshot-report.sh /tmp/report.html /tmp/report.png
func TestWriteSample(t *testing.T) {
	if *out == "" {
		t.Skip("no -html.out file given")
	}
	if err := os.WriteFile(*out, []byte(render(t, sampleReport(t, standard))), 0o644); err != nil {
		t.Fatal(err)
	}
}
