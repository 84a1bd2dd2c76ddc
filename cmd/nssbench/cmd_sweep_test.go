package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/sweep"
)

// runSweep runs the sweep command in-process with ctx and returns its exit code, stdout and stderr.
func runSweep(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, ctx: ctx}
	code := cmdSweep(e, args)
	return code, out.String(), errb.String()
}

func TestSweepUsage(t *testing.T) {
	t.Parallel()
	udp := filepath.Join(t.TempDir(), "udp.json")
	if err := os.WriteFile(udp, []byte(`{"name": "udp-scn", "count": 10, "pacer": {"rate": 100}, "mix": {"*": 1}, "transport": "udp"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"-h"}, exitOK, "nssbench sweep -start 5000/s", ""},
		{"bad flag", []string{"-no-such-flag"}, exitUsage, "", "nssbench sweep: unknown flag -no-such-flag\nsee nssbench sweep -h\n"},
		{"argument", []string{"fast"}, exitUsage, "", `unexpected argument "fast"`},
		{"bad precision", []string{"-precision", "150%"}, exitUsage, "", `precision "150%"`},
		{"bad start", []string{"-start", "lots"}, exitUsage, "", `rate "lots"`},
		{"bad slo", []string{"-slo", "p99<<5ms"}, exitUsage, "", `threshold "p99<<5ms": col 5`},
		{"factor too small", []string{"-factor", "1"}, exitUsage, "", "factor 1 must be > 1"},
		{"max below start", []string{"-start", "5k/s", "-max-rate", "1k/s"}, exitUsage, "", "max rate 1000 must be 0 (no cap) or at least the start rate 5000"},
		{"negative retries", []string{"-retries", "-1"}, exitUsage, "", "retries -1 must be >= 0"},
		{"negative cost", []string{"-cost", "-1ms"}, exitUsage, "", "cost -1ms"},
		{"cost with a target", []string{"-target", "tcp://127.0.0.1:1", "-cost", "1ms"}, exitUsage, "", "-cost slows the embedded collector only"},
		{"sink without a target", []string{"-sink", "tcp://127.0.0.1:1"}, exitUsage, "", "-sink needs -target"},
		{"bad framing", []string{"-framing", "cr"}, exitUsage, "", `framing "cr"`},
		{"unknown scenario", []string{"-scenario", "no-such-scenario"}, exitUsage, "", "no-such-scenario"},
		{"udp scenario, embedded", []string{"-scenario", udp}, exitUsage, "", "scenario udp-scn asks for transport udp, but the embedded collector is reached over TCP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runSweep(t, context.Background(), tt.args...)
			if code != tt.code {
				t.Fatalf("sweep %v exit = %d; want %d\nstderr: %s", tt.args, code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("sweep %v:\nstdout %q lacks %q, or\nstderr %q lacks %q", tt.args, stdout, tt.stdout, stderr, tt.stderr)
			}
			if tt.code == exitUsage && stdout != "" {
				t.Errorf("stdout should be empty on a usage error, got:\n%s", stdout)
			}
		})
	}
}

// TestSweepMaxRate runs a real, tiny sweep on the embedded collector: two steps reach the max rate, and
// the JSON and HTML files are written.
func TestSweepMaxRate(t *testing.T) {
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "sweep.json"), filepath.Join(dir, "sweep.html")
	code, stdout, stderr := runSweep(t, context.Background(), "-scenario", "smoke", "-start", "200/s", "-max-rate", "400/s",
		"-step-duration", "300ms", "-warmup", "300ms", "-slo", "lost==0", "-json", jsonPath, "-html", htmlPath)
	if code != exitOK {
		t.Fatalf("exit = %d; want 0\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	for _, want := range []string{"step  phase", "200/s", "400/s", "SLO lost==0}", "highest sustainable rate: at least 400/s"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stderr, "nssbench sweep: step "); n != 2 {
		t.Errorf("stderr has %d step lines; want 2:\n%s", n, stderr)
	}
	f, err := os.Open(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := sweep.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stop != sweep.StopMaxRate || res.Best != 400 || len(res.Steps) != 2 || res.Meta.Scenario != "smoke" {
		t.Errorf("sweep.json: stop %s, best %g, %d steps, scenario %q", res.Stop, res.Best, len(res.Steps), res.Meta.Scenario)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(page, []byte("<svg")); n != 2 {
		t.Errorf("the HTML has %d charts; want 2", n)
	}
}

// TestSweepTarget sweeps an external "collector" that reads and discards: without a sink, steps are
// judged by the sender's side.
func TestSweepTarget(t *testing.T) {
	discard := collectortest.Discard(t)
	target := "tcp://" + discard
	code, stdout, stderr := runSweep(t, context.Background(), "-quiet", "-scenario", "smoke", "-target", target,
		"-start", "200/s", "-max-rate", "400/s", "-step-duration", "300ms", "-warmup", "300ms", "-retries", "2")
	if code != exitOK {
		t.Fatalf("exit = %d; want 0\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	for _, want := range []string{"against " + target + " (no sink: delivery not observed)", "SLO send.p99<50ms, lost.sender==0, sent.rate>=0.99*offered",
		"highest sustainable rate: at least 400/s"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// TestSweepNoPass: an SLO nothing meets ends with exit 3 after shrinking to the min rate.
func TestSweepNoPass(t *testing.T) {
	code, stdout, stderr := runSweep(t, context.Background(), "-quiet", "-scenario", "smoke", "-start", "400/s",
		"-step-duration", "100ms", "-warmup", "0", "-slo", "p99<1ns")
	if code != exitConformance {
		t.Fatalf("exit = %d; want %d\nstderr: %s\nstdout: %s", code, exitConformance, stderr, stdout)
	}
	if !strings.Contains(stdout, "no sustainable rate found") || stderr != "" {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}

// TestSweepInterrupted: an interrupt before the first step still prints the (empty) result, exit 130.
func TestSweepInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, stdout, _ := runSweep(t, ctx, "-quiet", "-scenario", "smoke")
	if code != exitInterrupted || !strings.Contains(stdout, "interrupted after 0 steps") {
		t.Errorf("exit = %d; want %d\nstdout: %s", code, exitInterrupted, stdout)
	}
}
