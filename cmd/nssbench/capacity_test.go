package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/sweep"
)

func TestCapacityFlagErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "-clock", "utc"}, `clock "utc": want wall or virtual`},
		{[]string{"sweep", "-plan", "50GB/week"}, "want a unit of time /s, /m, /h or /day"},
		{[]string{"sweep", "-plan", "lots"}, `rate "lots"`},
		{[]string{"sweep", "-headroom", "100%"}, `headroom "100%"`},
		{[]string{"sweep", "-target-pid", "-3"}, "-target-pid -3: want a process id"},
		{[]string{"run", "-rate", "-1GB/day"}, "want a positive amount"},
		{[]string{"gen", "-clock", "now"}, `clock "now"`},
	} {
		code, _, stderr := runCLI(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want a usage error with %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestRateVolume: -rate as a volume is converted through the scenario's mean event size, and the
// conversion is printed.
func TestRateVolume(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLIWithin(t, 30*time.Second, "gen", "-scenario", "smoke", "-rate", "1MB/s", "-duration", "1s")
	if code != exitOK || !strings.Contains(stderr, "nssbench gen: -rate 1MB/s = 1000000.0 B/s ÷ ") {
		t.Fatalf("gen: exit %d, stderr %q", code, stderr)
	}
	// A second at the converted rate: its events, and about the volume (the mean is over 2000 events,
	// the second has a quarter of them).
	i := strings.LastIndex(stderr, " = ")
	rate, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(stderr[i+3:]), " events/s"), 64)
	if err != nil {
		t.Fatalf("conversion %q: %v", stderr, err)
	}
	if lines := strings.Count(stdout, "\n"); float64(lines) < rate-1 || float64(lines) > rate+1 {
		t.Errorf("gen -rate 1MB/s -duration 1s wrote %d lines; want %.1f ± 1", lines, rate)
	}
	if n := len(stdout); n < 900000 || n > 1100000 {
		t.Errorf("gen -rate 1MB/s -duration 1s wrote %d bytes; want about 1000000", n)
	}
	code, _, stderr = runCLIWithin(t, 30*time.Second, "run", "-quiet", "-scenario", "smoke", "-rate", "2MB/s", "-duration", "500ms")
	if code != exitOK || !strings.Contains(stderr, "nssbench run: -rate 2MB/s = 2000000.0 B/s ÷ ") {
		t.Errorf("run: exit %d, stderr %q", code, stderr)
	}
}

// TestSweepPlan: a sweep of the embedded collector slowed by -cost, sampling this process, prints the
// collector's cost at the sustainable rate and a plan, in text and JSON.
func TestSweepPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("a real sweep")
	}
	js := filepath.Join(t.TempDir(), "sweep.json")
	code, stdout, stderr := runSweep(t, context.Background(), "-quiet", "-cost", "1ms", "-start", "200/s", "-step-duration", "1s",
		"-warmup", "0", "-precision", "30%", "-retries", "1", "-target-pid", strconv.Itoa(os.Getpid()), "-plan", "5000/s", "-headroom", "30%", "-json", js)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, want := range []string{"cpu   rss", "collector cost at ", "\nplan: ", "collectors like this one, each at ≤ ", "for 5000/s at peak, with 30% headroom"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	f, err := os.Open(js)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := sweep.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Plan
	if p == nil || !p.Measured || p.Collectors < 2 || p.RSS == 0 || !(p.CPU > 0) || res.Best <= 0 || res.Best > 1000 {
		t.Fatalf("best %g, plan %+v; want a measured plan of several collectors below 1000/s each", res.Best, p)
	}
	if want := int((5000 / (res.Best * 0.7)) + 0.999999); p.Collectors != want {
		t.Errorf("collectors %d; want ⌈5000/(%g·0.7)⌉ = %d", p.Collectors, res.Best, want)
	}
}
