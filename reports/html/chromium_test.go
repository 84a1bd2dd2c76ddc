package html_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

// chromium is where CI installs the browser the headless check runs.
const chromium = "/usr/bin/chromium"

// chromiumFlags keep a headless Chromium offline and quiet; scripts/screenshot-report.sh uses the same.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
	"--disable-component-update", "--disable-sync",
}

// dumpDOM loads the page at path in headless Chromium and returns the DOM after its scripts ran. The
// browser runs in its own process group, killed when ctx ends.
func dumpDOM(ctx context.Context, t *testing.T, path string) string {
	t.Helper()
	args := append(append([]string{}, chromiumFlags...),
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=5000", "--dump-dom", "file://"+path)
	cmd := exec.CommandContext(ctx, chromium, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.Process != nil {
		// helpers Chromium left behind in its group; ESRCH when none are left
		if kerr := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); kerr != nil && !errors.Is(kerr, syscall.ESRCH) {
			t.Logf("kill chromium's process group: %v", kerr)
		}
	}
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v (context: %v)\nstderr:\n%s", err, ctx.Err(), tail(stderr.String(), 2000))
	}
	return stdout.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

var (
	bodyTag = regexp.MustCompile(`<body[^>]*>`)
	plots   = regexp.MustCompile(`<div class="uplot[^"]*"[^>]*>`)
)

// TestChromium loads rendered reports in headless Chromium and checks that the scripts drew every chart
// without an error and that no hostile string ran.
func TestChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping the headless-browser check: %s not found (%v); CI installs it (apt-get install chromium)", chromium, err)
	}
	oneSecond := reports.NewRecorder(reports.RecorderConfig{Start: sampleStart})
	oneSecond.Offered(0)
	oneSecond.Sent(reports.Timing{Written: 10_000}, false)
	oneSecond.Verdict(0, &verdict.Verdict{Kind: verdict.KindDropped, Reason: verdict.ReasonDefaultAllow},
		reports.Timing{Written: 10_000, Received: 60_000, Decided: 70_000})
	for _, tt := range []struct {
		name    string
		r       func() *reports.Report
		plots   int
		legends []string
	}{
		{"hostile", func() *reports.Report {
			rep := sampleReport(t, sampleConfig{seconds: 20, peak: 500, hostile: true})
			rep.Latency[0].Stage = "send" + hostile
			rep.Delivery = &reports.Delivery{Observed: true, Sink: hostile, Expect: hostile, Note: hostile}
			rep.Target.Command, rep.Target.Note = hostile, hostile
			return rep
		}, 4, []string{"achieved (verdicts)", "offered", "p99", "pipeline", "e2e", "percentile", "cpu", "rss"}},
		{"one event", func() *reports.Report { return oneSecond.Report(reports.Meta{Scenario: "one"}) }, 3, []string{"p50", "wire"}},
		{"empty", func() *reports.Report { return &reports.Report{} }, 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(path, []byte(render(t, tt.r())), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			dom := dumpDOM(ctx, t, path)

			body := bodyTag.FindString(dom)
			if !strings.Contains(body, `data-rendered="ok"`) || strings.Contains(body, "data-error") {
				t.Errorf("page did not render cleanly: %s", body)
			}
			if strings.Contains(body, "data-pwned") {
				t.Errorf("hostile text ran as script: %s", body)
			}
			if n := len(plots.FindAllString(dom, -1)); n != tt.plots {
				t.Errorf("DOM has %d uPlot charts; want %d", n, tt.plots)
			}
			if n := strings.Count(dom, "<canvas"); n < tt.plots {
				t.Errorf("DOM has %d canvases; want at least %d", n, tt.plots)
			}
			for _, legend := range tt.legends {
				if !strings.Contains(dom, `<div class="u-label">`+legend+`</div>`) {
					t.Errorf("DOM lacks the legend entry %q", legend)
				}
			}
			if tt.plots == 0 && strings.Count(dom, `<p class="empty">`) != 3 {
				t.Errorf("DOM does not say why each of the 3 charts is empty")
			}
			if t.Failed() {
				t.Logf("DOM:\n%s", tail(dom, 4000))
			}
		})
	}
}
