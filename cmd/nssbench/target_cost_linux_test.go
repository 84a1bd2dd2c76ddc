package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/reports"
)

// The collector's cost measured on real processes (issue 12, "how it is shown"): a real syslog-ng, and
// nssbench collect as a child process, each the target of `nssbench run -target-pid`.

// decodeReportFile reads a run's JSON report.
func decodeReportFile(t *testing.T, path string) *reports.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := reports.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// checkPlausibleCost fails unless the report's target section sampled pid (named comm) with non-zero,
// plausible CPU and RSS: some CPU time, a mean within the machine's cores, and an RSS between 1 MiB
// and 2 GiB.
func checkPlausibleCost(t *testing.T, rep *reports.Report, pid int, comm string) {
	t.Helper()
	tg := rep.Target
	if tg == nil {
		t.Fatal("report has no target section")
	}
	t.Logf("target %s (pid %d): %d samples over %v, cpu mean %.3f p99 %.3f max %.3f cores (%.2f CPU-s), rss max %s, %.0f events/CPU-s; note %q",
		tg.Command, tg.PID, tg.Samples, tg.Elapsed, tg.CPU.Mean, tg.CPU.P99, tg.CPU.Max, tg.CPUSeconds,
		reports.FormatBytes(float64(tg.RSSMax)), tg.EventsPerCPUSecond, tg.Note)
	if tg.PID != pid || tg.Self || !strings.HasPrefix(tg.Command, comm) {
		t.Errorf("target pid %d %q (self %v); want pid %d %s", tg.PID, tg.Command, tg.Self, pid, comm)
	}
	if tg.Samples < 10 || tg.Elapsed < time.Second {
		t.Errorf("%d samples over %v; want 10 a second for the run", tg.Samples, tg.Elapsed)
	}
	cores := float64(max(tg.Cores, 1))
	if tg.CPUSeconds <= 0 || tg.CPU.Mean <= 0 || tg.CPU.Mean > cores+0.1 || tg.CPU.Max < tg.CPU.Mean {
		t.Errorf("cpu %+v, %.3f CPU-s; want some CPU time, a mean within %v cores", tg.CPU, tg.CPUSeconds, cores)
	}
	if tg.RSSMax < 1<<20 || tg.RSSMax > 2<<30 || tg.RSSMean == 0 || tg.RSSMean > tg.RSSMax {
		t.Errorf("rss max %d, mean %d; want between 1 MiB and 2 GiB", tg.RSSMax, tg.RSSMean)
	}
	if tg.Events == 0 || tg.EventsPerCPUSecond <= 0 || tg.BytesPerCPUSecond <= 0 {
		t.Errorf("events %d, %.0f per CPU-s, %.0f B per CPU-s; want the events sent, per CPU-second", tg.Events, tg.EventsPerCPUSecond, tg.BytesPerCPUSecond)
	}
}

// thresholdResult returns the result of gate expr in rep.
func thresholdResult(t *testing.T, rep *reports.Report, expr string) reports.ThresholdResult {
	t.Helper()
	for _, th := range rep.Thresholds {
		if th.Expr == expr {
			return th
		}
	}
	t.Fatalf("report has no threshold %s: %+v", expr, rep.Thresholds)
	return reports.ThresholdResult{}
}

// TestRunTargetSyslogNG runs against a real syslog-ng with -target-pid: the report's target section has
// its CPU and RSS, a gate target.cpu<0.0001 fails the run (exit 3) and target.rss<2GiB passes.
// Skipped when syslog-ng is not installed.
func TestRunTargetSyslogNG(t *testing.T) {
	sng := runtest.StartSyslogNG(t, "testdata/syslog-ng-null.conf", 0)
	pid := sng.PID()
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI(t, "", "run", "-quiet", "-scenario", "smoke", "-target", sng.URL(), "-target-pid", strconv.Itoa(pid),
		"-rate", "4000/s", "-duration", "2s", "-out", out, "-threshold", "target.cpu<0.0001", "-threshold", "target.rss<2GiB")
	if code != exitConformance {
		t.Fatalf("exit %d; want %d (target.cpu<0.0001 fails)\n%s%s", code, exitConformance, stdout, stderr)
	}
	rep := decodeReportFile(t, out)
	checkPlausibleCost(t, rep, pid, "syslog-ng")
	if th := thresholdResult(t, rep, "target.cpu<0.0001"); th.Pass || th.NotObserved {
		t.Errorf("target.cpu<0.0001: %+v; want it failed on the measured CPU", th)
	}
	if th := thresholdResult(t, rep, "target.rss<2GiB"); !th.Pass {
		t.Errorf("target.rss<2GiB: %+v; want it passed", th)
	}
	if !strings.Contains(stdout, "FAIL: ") || !strings.Contains(stdout, "target.cpu<0.0001") {
		t.Errorf("text report lacks the failed gate:\n%s", stdout)
	}
}

// TestRunTargetCollect runs against `nssbench collect` in a child process with -target-pid and
// -target-metrics on collect's -metrics endpoint: CPU and RSS are plausible, and the scraped
// nssbench_collector_records_total counted the records collect decided.
func TestRunTargetCollect(t *testing.T) {
	cmd := exec.Command(os.Args[0], "collect", "-listen", "tcp://127.0.0.1:0", "-metrics", "127.0.0.1:0", "-stats-every", "1h")
	cmd.Env = append(os.Environ(), matrixChildEnv+"=1")
	var stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("collect's output:\n%s", stderr.String())
		}
	})
	target := waitFor(t, &stderr, regexp.MustCompile(`listening on (tcp://\S+)`))
	metrics := waitFor(t, &stderr, regexp.MustCompile(`Prometheus metrics on (http://\S+)`))
	const series = "nssbench_collector_records_total"

	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, errOut := runCLI(t, "", "run", "-quiet", "-scenario", "smoke", "-target", target, "-target-pid", strconv.Itoa(cmd.Process.Pid),
		"-target-metrics", metrics, "-target-series", series, "-rate", "4000/s", "-duration", "2s", "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d; want 0\n%s%s", code, stdout, errOut)
	}
	rep := decodeReportFile(t, out)
	checkPlausibleCost(t, rep, cmd.Process.Pid, filepath.Base(os.Args[0])[:min(len(filepath.Base(os.Args[0])), 15)])
	m := rep.Target.Metrics
	if m == nil || m.Scrapes < 10 || m.Failed != 0 || len(m.Series) != 1 {
		t.Fatalf("metrics %+v; want 10 scrapes a second of one series, none failed", m)
	}
	s := m.Series[0]
	t.Logf("%s: %+v", series, s)
	sent := float64(rep.Counts.Sent)
	// collect decides every record it frames: all that were sent but the oversize ones it skips; the
	// last scrape may come a little before the last records.
	if s.Name != series || s.Kind != "counter" || s.Seen < 10 || s.Increase <= 0.5*sent || s.Last > sent || s.Rate <= 0 {
		t.Errorf("%s = %+v; want a counter rising by most of the %v records sent", series, s, sent)
	}
}
