package probe

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// cpuSeconds reads the CPU time of pids (utime+stime+cutime+cstime of /proc/PID/stat) independently
// of the sampler, with os.ReadFile and strings.Fields.
func cpuSeconds(t *testing.T, pids ...int) float64 {
	t.Helper()
	var ticks uint64
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		for _, i := range []int{11, 12, 13, 14} {
			n, err := strconv.ParseUint(f[i], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			ticks += n
		}
	}
	return float64(ticks) * clockTick()
}

// checkCPU checks the sampler's CPU time against an independent reading before and after, to within
// slack seconds, and the rates against bounds loose enough for a loaded 2-core machine: a busy loop
// got 0.21 to 0.27 cores under a load average of 8, while other tests ran. minMean is the lowest mean
// rate accepted.
func checkCPU(t *testing.T, u reports.TargetUsage, before, after, slack, minMean float64) {
	t.Helper()
	if d := after - before; math.Abs(u.CPUSeconds-d) > slack {
		t.Errorf("sampled %.3f CPU-seconds; an independent reading says %.3f (±%.2f)", u.CPUSeconds, d, slack)
	}
	if u.CPU.Mean < minMean || u.CPU.Mean > 2.5 || u.CPU.Max < u.CPU.Mean-0.01 || u.CPU.Max > 2.5 || u.CPU.P99 > u.CPU.Max {
		t.Errorf("cpu %+v; want a mean of at least %v cores, p99 ≤ max < 2.5", u.CPU, minMean)
	}
}

// TestSampleBurner samples a child burning one core: CPU near 1 and as the kernel counts it, RSS above
// 0, ten samples a second.
func TestSampleBurner(t *testing.T) {
	c := startChild(t, "burn")
	pid := c.Process.Pid
	before := cpuSeconds(t, pid)
	s, err := Start(context.Background(), pid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	u := s.Stop()
	after := cpuSeconds(t, pid)
	t.Logf("burner: %+v", withoutTimeline(u))
	checkCPU(t, u, before, after, 0.03, 0.05)
	if u.RSSMax == 0 || u.RSSMean == 0 || u.RSSMean > u.RSSMax {
		t.Errorf("rss max %d mean %d; want 0 < mean ≤ max", u.RSSMax, u.RSSMean)
	}
	if u.Samples < 10 || u.Samples > 22 || u.Processes != 1 || u.PID != c.Process.Pid || u.Self {
		t.Errorf("samples %d, processes %d, pid %d self %v; want about 20 samples of 1 process, pid %d",
			u.Samples, u.Processes, u.PID, u.Self, c.Process.Pid)
	}
	if u.Command == "" || u.Note != "" || u.Interval != DefaultInterval || u.Window != DefaultWindow {
		t.Errorf("command %q note %q interval %v window %v; want a name, no note, the defaults", u.Command, u.Note, u.Interval, u.Window)
	}
	if len(u.Timeline) < u.Samples-2 {
		t.Errorf("timeline has %d points for %d samples", len(u.Timeline), u.Samples)
	}
	if u2 := s.Stop(); u2.Samples != u.Samples {
		t.Errorf("second Stop: %d samples; want the same summary (%d)", u2.Samples, u.Samples)
	}
}

// TestSampleTree samples a parent that sleeps while its child burns: the tree's CPU is the grandchild's.
func TestSampleTree(t *testing.T) {
	c := startChild(t, "parent")
	pid := c.Process.Pid
	var kid int
	for deadline := time.Now().Add(5 * time.Second); kid == 0; time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/children")
		if f := strings.Fields(string(b)); len(f) == 1 {
			kid, _ = strconv.Atoi(f[0])
		}
		if time.Now().After(deadline) {
			t.Fatal("the parent has not started its child after 5s")
		}
	}
	before := cpuSeconds(t, pid, kid)
	s, err := Start(context.Background(), pid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	u := s.Stop()
	after := cpuSeconds(t, pid, kid)
	t.Logf("tree: %+v", withoutTimeline(u))
	if u.Processes != 2 {
		t.Errorf("processes %d; want the parent and its child", u.Processes)
	}
	checkCPU(t, u, before, after, 0.03, 0.05)
}

// TestSampleReaper samples a parent whose children each burn 30 ms of CPU and exit, until ten of them
// have: their CPU reaches the tree through the parent's cutime, and never makes it go backwards (an
// underflow would show as an absurd maximum).
func TestSampleReaper(t *testing.T) {
	c := startChild(t, "reaper")
	pid := c.Process.Pid
	before := cpuSeconds(t, pid) // the parent's own and its reaped children's
	s, err := Start(context.Background(), pid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); cpuSeconds(t, pid)-before < 0.3; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the reaper's children used %.2f CPU-seconds in 30s; want 0.3", cpuSeconds(t, pid)-before)
		}
	}
	u := s.Stop()
	after := cpuSeconds(t, pid)
	t.Logf("reaper: %+v", withoutTimeline(u))
	// The independent reading misses the child alive at each end (30 ms of CPU each, and its start).
	// The rate is not the point: starting a child takes long on a loaded machine (under -race, ten took
	// 9 s for 0.31 CPU-seconds).
	checkCPU(t, u, before, after, 0.1, 0)
	if u.CPUSeconds < 0.25 {
		t.Errorf("sampled %.3f CPU-seconds; want the ten children's 0.3", u.CPUSeconds)
	}
	for i, p := range u.Timeline {
		if p.CPU < 0 || p.CPU > 2.5 || math.IsNaN(p.CPU) {
			t.Fatalf("timeline[%d] = %+v; want 0 ≤ cpu < 2.5", i, p)
		}
	}
}

// TestSampleNoProcess: a pid that does not exist is an error at start.
func TestSampleNoProcess(t *testing.T) {
	c := selfCommand("exit")
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{c.Process.Pid, 0, -1, 1 << 30} { // exited and reaped; invalid; beyond pid_max
		_, err := Start(context.Background(), pid, Options{})
		if !errors.Is(err, ErrNoProcess) {
			t.Errorf("Start(%d) = %v; want ErrNoProcess", pid, err)
		}
	}
}

// TestSampleExit: a process that exits mid-run ends sampling with a note, keeping what was sampled;
// whether it is reaped at once or lingers as a zombie.
func TestSampleExit(t *testing.T) {
	for _, reap := range []bool{true, false} {
		c := selfCommand("exit")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		s, err := Start(context.Background(), c.Process.Pid, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if reap {
			go c.Wait()
		}
		select {
		case <-s.Done():
		case <-time.After(10 * time.Second):
			t.Fatalf("reap %v: sampling goes on 10s after the process exited", reap)
		}
		u := s.Stop()
		if !reap {
			_ = c.Wait()
		}
		t.Logf("reap %v: %+v", reap, withoutTimeline(u))
		if !strings.HasPrefix(u.Note, "target exited at ") || u.Samples < 2 || u.Elapsed < 200*time.Millisecond {
			t.Errorf("reap %v: note %q, %d samples over %v; want \"target exited at …\" after samples over ≥ 0.2s",
				reap, u.Note, u.Samples, u.Elapsed)
		}
		if u.RSSMax == 0 {
			t.Errorf("reap %v: rss max 0; want what was sampled before the exit", reap)
		}
	}
}

// TestSampleSelf samples the test process itself, with a context that ends the sampling.
func TestSampleSelf(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	s, err := StartSelf(ctx, Options{Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	burn(time.Now().Add(300 * time.Millisecond))
	<-s.Done()
	u := s.Stop()
	t.Logf("self: %+v", withoutTimeline(u))
	if !u.Self || u.PID != os.Getpid() || u.CPU.Mean <= 0 || u.RSSMax == 0 || u.Samples < 5 || u.Note != "" {
		t.Errorf("self usage %+v; want this process, CPU and RSS above 0, about 10 samples, no note", withoutTimeline(u))
	}
}

func withoutTimeline(u reports.TargetUsage) reports.TargetUsage {
	u.Timeline = nil
	return u
}
