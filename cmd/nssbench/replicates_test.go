package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/abtest"
	"github.com/nssbench/nssbench/reports/replicates"
)

// decodeSignal decodes a regression signal written by report compare -json.
func decodeSignal(t *testing.T, data []byte) *abtest.Signal {
	t.Helper()
	var s abtest.Signal
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("regression signal: %v\n%s", err, data)
	}
	if s.Schema != abtest.Schema || s.SchemaVersion != abtest.SchemaVersion {
		t.Fatalf("regression signal schema %q v%d", s.Schema, s.SchemaVersion)
	}
	return &s
}

// metric returns the signal's metric of that name.
func metric(t *testing.T, s *abtest.Signal, name string) *abtest.Metric {
	t.Helper()
	for i := range s.Metrics {
		if s.Metrics[i].Name == name {
			return &s.Metrics[i]
		}
	}
	t.Fatalf("signal has no metric %s: %+v", name, s.Metrics)
	return nil
}

// repeatRuns runs 'run -repeat 3' into dir with args and checks it wrote run-1.json … run-3.json.
func repeatRuns(t *testing.T, dir string, args ...string) {
	t.Helper()
	args = append([]string{"run", "-quiet", "-repeat", "3", "-out", dir}, args...)
	code, stdout, stderr := runCLIWithin(t, 2*time.Minute, args...)
	if code != exitOK {
		t.Fatalf("nssbench %v: exit %d\nstderr: %s", args, code, stderr)
	}
	names, err := replicates.Names(dir)
	if err != nil || !slices.Equal(names, []string{"run-1.json", "run-2.json", "run-3.json"}) {
		t.Fatalf("%s holds %v (%v)", dir, names, err)
	}
	if n := strings.Count(stdout, "== replicate "); n != 3 {
		t.Errorf("stdout shows %d replicates, want 3:\n%s", n, stdout)
	}
}

// TestReplicatesCLI: 3 replicates against 3 with the embedded collector slowed by 200µs per record at
// 4000/s regress end-to-end p99 with an interval that excludes 0 (exit 3); the replicates compared with
// themselves never regress, and within margins above their own spread show no change (exit 0).
//
// At 4000/s the slowed collector runs at 80 % of its capacity: it keeps up with an even schedule and
// queues only when the machine stalls it. On this shared 2-core machine a quiet spell can let a slowed
// replicate match a base replicate that stalled (a stall of tens of milliseconds makes a base side
// erratic: seen on 2026-12-03 in half the tries, at the build before that day's changes as well), so
// the A/B is run three times at most before it fails.
func TestReplicatesCLI(t *testing.T) {
	if raceEnabled {
		// The race detector slows the unslowed collector's latency many times over, so the base side is
		// itself erratic: this A/B runs in `make timing`, without it.
		t.Skip("latency A/B under the race detector measures the detector; run by make timing")
	}
	dir := t.TempDir()
	var base string
	for try := 1; ; try++ {
		var slow string
		base, slow = filepath.Join(dir, fmt.Sprint("base-", try)), filepath.Join(dir, fmt.Sprint("slow-", try))
		repeatRuns(t, base, "-rate", "4000/s", "-duration", "2s")
		repeatRuns(t, slow, "-rate", "4000/s", "-duration", "2s", "-cost", "200us")
		data, err := os.ReadFile(filepath.Join(slow, "run-2.json"))
		if err != nil || !strings.Contains(string(data), "slowed by 200µs per record") {
			t.Errorf("a -cost report does not say it was slowed (%v)", err)
		}

		sigPath, mdPath := filepath.Join(dir, "signal.json"), filepath.Join(dir, "comment.md")
		code, stdout, stderr := runCLI(t, "", "report", "compare", "-json", sigPath, "-md", mdPath, base, slow)
		if code != exitConformance && try < 3 {
			t.Logf("try %d: compare base slow: exit %d; trying again\n%s", try, code, stdout)
			continue
		}
		if code != exitConformance {
			t.Fatalf("compare base slow: exit %d, want %d\nstderr: %s\n%s", code, exitConformance, stderr, stdout)
		}
		if !strings.HasPrefix(stdout, "A/B comparison: REGRESSED") {
			t.Errorf("text output:\n%s", stdout)
		}
		if data, err = os.ReadFile(sigPath); err != nil {
			t.Fatal(err)
		}
		s := decodeSignal(t, data)
		p99 := metric(t, s, "e2e.p99")
		if s.Verdict != abtest.Regressed || s.ExitCode != abtest.ExitRegressed || p99.Verdict != abtest.Regressed ||
			p99.CILowAbs == nil || *p99.CILowAbs <= 0 || p99.Base.N != 3 || p99.New.N != 3 || !slices.Contains(s.Regressions, "e2e.p99") {
			t.Errorf("slowed collector: verdict %s (exit %d), e2e.p99 %+v", s.Verdict, s.ExitCode, p99)
		}
		if md, err := os.ReadFile(mdPath); err != nil || !strings.Contains(string(md), "### nssbench A/B comparison") || !strings.Contains(string(md), "e2e.p99") {
			t.Errorf("Markdown comment (%v):\n%s", err, md)
		}
		break
	}

	// The same replicates on both sides: the interval holds 0, so nothing is confident.
	code, stdout, stderr := runCLI(t, "", "report", "compare", "-json", "-", base, base)
	if code != exitOK {
		t.Fatalf("compare base base: exit %d\nstderr: %s\n%s", code, stderr, stdout)
	}
	s := decodeSignal(t, []byte(stdout))
	args := []string{"report", "compare", "-json", "-"}
	for _, m := range s.Metrics {
		if m.Verdict == abtest.Regressed || m.Verdict == abtest.Improved {
			t.Errorf("a side against itself: %s %s", m.Name, m.Verdict)
		}
		// A margin four times the replicates' spread (CV) holds the whole interval, which cannot be wider
		// than the side's range (at most two standard deviations for three values).
		if m.Base.CV != nil {
			args = append(args, "-margin", fmt.Sprintf("%s=%g", m.Name, max(0.05, 4**m.Base.CV)))
		}
	}
	code, stdout, stderr = runCLI(t, "", append(args, base, base)...)
	if s = decodeSignal(t, []byte(stdout)); code != exitOK || s.Verdict != abtest.NoChange {
		t.Errorf("a side against itself within its spread (%v): exit %d, %s\nstderr: %s\n%s", args, code, s.Verdict, stderr, stdout)
	}
}

// craft writes copies of src into dir as run-1.json …, one per p99 value, with that end-to-end p99 and,
// where scenario is not empty, that scenario name in the i-th.
func craft(t *testing.T, src *reports.Report, dir string, p99 []time.Duration, scenario map[int]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, v := range p99 {
		r := *src
		r.Latency = slices.Clone(src.Latency)
		r.Stage(reports.EndToEnd).P99 = v
		if name, ok := scenario[i]; ok {
			r.Meta.Scenario = name
		}
		path := replicates.File(dir, "run", i+1)
		var b bytes.Buffer
		if err := reports.JSON.Render(&b, &r); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCompareReplicateVerdicts: report compare of crafted replicate directories decides each verdict,
// exits 3 only on a regression, takes per-metric margins, and refuses (exit 2) a replicate of another
// experiment, on either side.
func TestCompareReplicateVerdicts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, err := reports.ReadFile(writeRun(t, dir, "src.json"))
	if err != nil {
		t.Fatal(err)
	}
	ms := func(vs ...float64) []time.Duration {
		var out []time.Duration
		for _, v := range vs {
			out = append(out, time.Duration(v*float64(time.Millisecond)))
		}
		return out
	}
	base := filepath.Join(dir, "base")
	craft(t, src, base, ms(10, 10.1, 9.9), nil)
	tests := []struct {
		name    string
		base    []time.Duration // nil: the common base
		cur     []time.Duration
		other   map[int]string // scenario names of new replicates
		flags   []string
		code    int
		verdict abtest.Verdict
		stderr  string
	}{
		{name: "no change", cur: ms(10.05, 9.95, 10), code: exitOK, verdict: abtest.NoChange},
		{name: "regressed", cur: ms(20, 20.2, 19.8), code: exitConformance, verdict: abtest.Regressed},
		{name: "improved", cur: ms(5, 5.05, 4.95), code: exitOK, verdict: abtest.Improved},
		{name: "erratic", base: ms(10, 30, 60), cur: ms(12, 45, 20), code: exitOK, verdict: abtest.Erratic},
		{name: "erratic within a wide margin", base: ms(10, 30, 60), cur: ms(12, 45, 20), flags: []string{"-margin", "e2e.p99=300%"},
			code: exitOK, verdict: abtest.NoChange},
		{name: "regressed beyond 5% but within 150%", cur: ms(20, 20.2, 19.8), flags: []string{"-margin", "150%"}, code: exitOK, verdict: abtest.NoChange},
		{name: "one base replicate", base: ms(10), cur: ms(20, 20.2, 19.8), code: exitOK, verdict: abtest.Insufficient},
		{name: "another scenario", cur: ms(10, 10, 10), other: map[int]string{2: "smoke"}, code: exitUsage,
			stderr: `run-3.json ran different experiments; -force compares them anyway:` + "\n" + `  scenario: "default" vs "smoke"`},
		{name: "another scenario, forced", cur: ms(10, 10, 10), other: map[int]string{2: "smoke"}, flags: []string{"-force"}, code: exitOK,
			verdict: abtest.NoChange, stderr: `-force: ` + filepath.Join(base, "run-1.json")},
		{name: "unknown metric margin", cur: ms(10, 10, 10), flags: []string{"-margin", "e2e.p98=10%"}, code: exitUsage, stderr: "-margin e2e.p98: no such metric"},
		{name: "two outputs on stdout", cur: ms(10, 10, 10), flags: []string{"-md", "-"}, code: exitUsage, stderr: "only one output can be -"},
		{name: "bad margin", cur: ms(10, 10, 10), flags: []string{"-margin", "-5%"}, code: exitUsage, stderr: `margin "-5%"`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			if tt.base != nil {
				b = filepath.Join(dir, fmt.Sprintf("base-%d", i))
				craft(t, src, b, tt.base, nil)
			}
			cur := filepath.Join(dir, fmt.Sprintf("new-%d", i))
			craft(t, src, cur, tt.cur, tt.other)
			args := slices.Concat([]string{"report", "compare", "-json", "-"}, tt.flags, []string{b, cur})
			code, stdout, stderr := runCLI(t, "", args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr lacks %q:\n%s\n%s", code, tt.code, tt.stderr, stderr, stdout)
			}
			if tt.verdict == "" {
				return
			}
			if s := decodeSignal(t, []byte(stdout)); s.Verdict != tt.verdict || metric(t, s, "e2e.p99").Verdict != tt.verdict {
				t.Errorf("verdict %s (e2e.p99 %s), want %s\n%s", s.Verdict, metric(t, s, "e2e.p99").Verdict, tt.verdict, stdout)
			}
		})
	}

	// Two single reports keep the point comparison, which takes no per-metric margin.
	one := filepath.Join(base, "run-1.json")
	if code, stdout, _ := runCLI(t, "", "report", "compare", one, one); code != exitOK || strings.Contains(stdout, "A/B comparison") {
		t.Errorf("point comparison: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "", "report", "compare", "-margin", "e2e.p99=10%", one, one); code != exitUsage || !strings.Contains(stderr, "needs replicates") {
		t.Errorf("per-metric margin on single reports: exit %d, %s", code, stderr)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "", "report", "compare", base, empty); code != exitFailure || !strings.Contains(stderr, "no report (*.json) in the directory") {
		t.Errorf("empty directory: exit %d, %s", code, stderr)
	}
}

// TestRepeatUsage: -repeat and -cost refuse what they cannot do, before running anything.
func TestRepeatUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	used := filepath.Join(dir, "used")
	if err := os.Mkdir(used, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(used, "run-1.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"run", "-repeat", "0"}, "-repeat 0: want 1 or more runs"},
		{[]string{"run", "-repeat", "2"}, "give it with -json DIR"},
		{[]string{"run", "-repeat", "2", "-out", filepath.Join(dir, "r"), "-md", "x.md"}, "-md, -html and -junit write a single run's report"},
		{[]string{"run", "-repeat", "2", "-out", filepath.Join(dir, "r"), "-start-at", "2030-01-01T00:00:00Z"}, "-start-at starts one run"},
		{[]string{"run", "-repeat", "2", "-json", used}, "already holds 1 report(s) (run-1.json…)"},
		{[]string{"run", "-cost", "-1ms"}, "-cost -1ms: want 0 or more"},
		{[]string{"run", "-cost", "1ms", "-target", "tcp://127.0.0.1:9"}, "-cost slows the embedded collector only"},
		{[]string{"sweep", "-replicates", used}, "-replicates: " + used + " already holds"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.stderr) || stdout != "" {
			t.Errorf("nssbench %v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.stderr)
		}
	}
}

// TestSweepReplicates: sweep -replicates writes each step's complete report as step-K.json.
func TestSweepReplicates(t *testing.T) {
	dir := t.TempDir()
	steps, res := filepath.Join(dir, "steps"), filepath.Join(dir, "sweep.json")
	code, _, stderr := runCLIWithin(t, time.Minute, "sweep", "-quiet", "-scenario", "smoke", "-start", "1000/s", "-max-rate", "2000/s",
		"-step-duration", "300ms", "-warmup", "0", "-json", res, "-replicates", steps)
	if code == exitUsage || code == exitFailure {
		t.Fatalf("sweep: exit %d\nstderr: %s", code, stderr)
	}
	f, err := os.Open(res)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var doc struct {
		Steps []struct {
			N    int
			Rate float64
		}
	}
	if err := json.NewDecoder(f).Decode(&doc); err != nil || len(doc.Steps) == 0 {
		t.Fatalf("sweep result: %v, %d steps", err, len(doc.Steps))
	}
	names, err := replicates.Names(steps)
	if err != nil || len(names) != len(doc.Steps) {
		t.Fatalf("%s holds %v (%v), want %d steps", steps, names, err, len(doc.Steps))
	}
	for _, st := range doc.Steps {
		rep, err := reports.ReadFile(replicates.File(steps, "step", st.N))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(rep.Meta.OfferedRate-st.Rate) > 1e-6*st.Rate || len(rep.Thresholds) == 0 {
			t.Errorf("step %d: report of rate %g with %d thresholds; want rate %g, judged", st.N, rep.Meta.OfferedRate, len(rep.Thresholds), st.Rate)
		}
	}
}
