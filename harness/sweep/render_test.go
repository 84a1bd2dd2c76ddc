package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
)

// sampleResult is a converged sweep of a fake 10700/s collector with fixed times, as the renderers see it.
func sampleResult(t testing.TB) *Result {
	t.Helper()
	var asked []float64
	res, err := Run(context.Background(), Config{
		Start: 1000, Run: capacityRun(10700, &asked),
		Meta: reports.Meta{Scenario: "default", Target: "embedded", Connections: 1, Version: "v0.0.0-test",
			GoVersion: "go1.26", Machine: "linux/amd64, 2 CPUs"},
	})
	if err != nil {
		t.Fatal(err)
	}
	res.Meta.Started = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	res.Meta.Duration = 41 * time.Second
	return res
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := Text.Render(&buf, sampleResult(t)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, buf.Bytes())
	for _, want := range []string{
		"step 5 FAIL: p99<50ms (got 900ms, want < 50.0ms); achieved>=0.99*offered",
		"highest sustainable rate: 10500/s — the knee lies between 10500/s and 11000/s, within 5%, after 9 steps",
		"peak achieved rate: 10700.0/s",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestWriteHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML.Render(&buf, sampleResult(t)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, buf.Bytes())
	page := buf.String()
	if strings.Contains(page, "<script") || strings.Contains(page, "://") {
		t.Error("the page loads or runs something; it must be self-contained and script-free")
	}
	svgs := svgElements(t, page)
	if len(svgs) != 2 {
		t.Fatalf("page has %d SVG charts; want 2", len(svgs))
	}
	for i, svg := range svgs {
		// Each chart is well-formed XML with a dot per judged step (9) and the best rate marked.
		var doc struct {
			Circles []struct {
				Class string `xml:"class,attr"`
			} `xml:"circle"`
			Texts []string `xml:"text"`
		}
		if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
			t.Fatalf("chart %d is not well-formed: %v", i, err)
		}
		pass := 0
		for _, c := range doc.Circles {
			if c.Class == "pass" {
				pass++
			}
		}
		if len(doc.Circles) != 9 || pass != 6 {
			t.Errorf("chart %d has %d dots, %d passing; want 9, 6", i, len(doc.Circles), pass)
		}
		if !strings.Contains(strings.Join(doc.Texts, "|"), "best 10500/s") {
			t.Errorf("chart %d does not mark the best rate: %q", i, doc.Texts)
		}
	}
}

// svgElements returns the <svg>…</svg> elements of page.
func svgElements(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for {
		i := strings.Index(page, "<svg")
		if i < 0 {
			return out
		}
		j := strings.Index(page[i:], "</svg>")
		if j < 0 {
			t.Fatal("unterminated <svg>")
		}
		out = append(out, page[i:i+j+len("</svg>")])
		page = page[i+j:]
	}
}

func TestWriteHTMLEmpty(t *testing.T) {
	// An interrupted sweep with nothing judged still renders, saying so.
	res := &Result{Schema: Schema, Steps: []Step{{N: 1, Rate: 1000, Interrupted: true}}, Stop: StopInterrupted,
		Settings: Settings{Start: 1000, Factor: 2, Precision: 0.05, StepDuration: time.Second, SLO: []string{"lost==0"}}}
	var buf bytes.Buffer
	if err := HTML.Render(&buf, res); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "no judged steps") + strings.Count(buf.String(), "no latency measured"); n != 2 {
		t.Errorf("empty charts say so %d times; want 2", n)
	}
	if !strings.Contains(buf.String(), "interrupted after 1 steps: no step passed yet") {
		t.Errorf("conclusion missing:\n%s", buf.String())
	}
}

// TestLatencyChartSendLag: without end-to-end latency (an external run without a sink), the latency chart
// plots the sender's lag instead.
func TestLatencyChartSendLag(t *testing.T) {
	res := sampleResult(t)
	for i := range res.Steps {
		res.Steps[i].P50, res.Steps[i].P99, res.Steps[i].Achieved = 0, 0, 0
	}
	c := latencyChart(res)
	if !strings.HasPrefix(c.Title, "Send lag") || len(c.Lines) != 1 || c.Lines[0].Class != "send" || len(c.Dots) != 9 || c.Empty != "" {
		t.Errorf("chart %q: %d lines, %d dots, empty %q; want one send line with 9 dots", c.Title, len(c.Lines), len(c.Dots), c.Empty)
	}
	var buf bytes.Buffer
	if err := Text.Render(&buf, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "1     grow    1000/s   -         -    -    100µs     0") {
		t.Errorf("text does not show unobserved rates and latencies as '-':\n%s", buf.String())
	}
}

func TestConclusion(t *testing.T) {
	settings := Settings{Precision: 0.05}
	tests := []struct {
		name string
		res  Result
		want string
	}{
		{"max rate", Result{Best: 5000, Stop: StopMaxRate}, "highest sustainable rate: at least 5000/s — the max rate passed"},
		{"min rate", Result{Knee: 15.7, Stop: StopMinRate}, "no sustainable rate found: every step down to 15.7/s failed the SLO"},
		{"max steps", Result{Best: 8000, Knee: 12000, Stop: StopMaxSteps, Steps: make([]Step, 6)},
			"highest sustainable rate: 8000/s, not converged after 6 steps (the knee lies between 8000/s and 12000/s)"},
		{"max steps, nothing passed", Result{Knee: 250, Stop: StopMaxSteps, Steps: make([]Step, 3)}, "no sustainable rate found in 3 steps"},
		{"error", Result{Best: 2000, Stop: StopError, Steps: make([]Step, 2)}, "stopped by an error after 2 steps: highest passing rate so far 2000/s"},
	}
	for _, tt := range tests {
		tt.res.Settings = settings
		if got := tt.res.Conclusion(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: Conclusion() = %q; want prefix %q", tt.name, got, tt.want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	res := sampleResult(t)
	var buf bytes.Buffer
	if err := JSON.Render(&buf, res); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Steps {
		res.Steps[i].Report = nil // not part of the JSON form
	}
	if !reflect.DeepEqual(back, res) {
		t.Errorf("Decode(JSON(r)) != r\ngot  %+v\nwant %+v", back, res)
	}
	for _, want := range []string{`"schema": "nssbench.sweep/v1"`, `"phase": "bisect"`, `"stop": "converged"`, `"best": 10500`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// Sad: another schema, broken JSON, an unknown phase.
	for _, bad := range []string{`{"schema":"nssbench.report/v1"}`, `{"schema":`, `{"schema":"nssbench.sweep/v1","steps":[{"phase":"up"}]}`} {
		if _, err := Decode(strings.NewReader(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

type failWriter struct{}

var errDisk = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriteErrors(t *testing.T) {
	res := sampleResult(t)
	for name, write := range map[string]func() error{
		"text": func() error { return Text.Render(failWriter{}, res) },
		"json": func() error { return JSON.Render(failWriter{}, res) },
		"html": func() error { return HTML.Render(failWriter{}, res) },
	} {
		if err := write(); !errors.Is(err, errDisk) {
			t.Errorf("%s: error %v; want the writer's", name, err)
		}
	}
}

func TestChartScales(t *testing.T) {
	for _, tt := range []struct{ raw, want float64 }{
		{0, 1}, {0.3, 0.5}, {1, 1}, {1.2, 2}, {2, 2}, {3, 5}, {7, 10}, {2100, 5000}, {2000, 2000},
	} {
		if got := niceStep(tt.raw); got != tt.want {
			t.Errorf("niceStep(%g) = %g; want %g", tt.raw, got, tt.want)
		}
	}
	for _, tt := range []struct {
		v    float64
		want string
	}{{0, "0"}, {500, "500"}, {2000, "2k"}, {2500, "2.5k"}, {12000, "12k"}, {1.2e6, "1.2M"}} {
		if got := rateLabel(tt.v); got != tt.want {
			t.Errorf("rateLabel(%g) = %q; want %q", tt.v, got, tt.want)
		}
	}
	lin := axis{lo: 0, hi: 100, from: 10, to: 110}
	log := axis{lo: 1e3, hi: 1e6, from: 300, to: 0, log: true}
	for _, tt := range []struct {
		ax   axis
		v    float64
		want float64
	}{{lin, 0, 10}, {lin, 50, 60}, {lin, 100, 110}, {log, 1e3, 300}, {log, 1e4, 200}, {log, 1e6, 0}} {
		if got := tt.ax.pos(tt.v); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("%+v.pos(%g) = %g; want %g", tt.ax, tt.v, got, tt.want)
		}
	}
}

// TestWriteStepReports: every step with a report is written as dir/step-K.json, K its number; a step
// without one is left out, and a failing write stops.
func TestWriteStepReports(t *testing.T) {
	res := sampleResult(t)
	res.Steps[1].Report = nil
	var paths []string
	err := res.WriteStepReports("dir", func(path string, fn func(io.Writer) error) error {
		paths = append(paths, path)
		var buf bytes.Buffer
		if err := fn(&buf); err != nil {
			return err
		}
		if !json.Valid(buf.Bytes()) {
			t.Errorf("%s: not JSON: %.80q", path, buf.String())
		}
		return nil
	})
	if err != nil || len(paths) != len(res.Steps)-1 || paths[0] != filepath.Join("dir", "step-1.json") || paths[1] != filepath.Join("dir", "step-3.json") {
		t.Errorf("WriteStepReports wrote %q, %v; want every step's but step 2's", paths, err)
	}
	full := errors.New("disk full")
	if err := res.WriteStepReports("dir", func(string, func(io.Writer) error) error { return full }); err != full {
		t.Errorf("WriteStepReports error %v; want the write's", err)
	}
}
