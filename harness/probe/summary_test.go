package probe

import (
	"math"
	"testing"
	"time"
)

// TestSummaryConstant feeds a made-up steady process (one core, 10 ms ticks, 10 samples a second) and
// checks every figure of the summary.
func TestSummaryConstant(t *testing.T) {
	s := newSummary(0.01, 100*time.Millisecond, time.Second, 600)
	for i := 0; i <= 50; i++ { // 5 s
		d := uint64(10)
		if i == 0 {
			d = 0
		}
		s.add(time.Duration(i)*100*time.Millisecond, d, uint64(1000+i), 2)
	}
	u := s.usage()
	if u.Samples != 51 || u.Elapsed != 5*time.Second || u.Processes != 2 || u.Window != time.Second {
		t.Fatalf("usage %+v; want 51 samples over 5s of 2 processes, 1s windows", u)
	}
	near(t, "cpu seconds", u.CPUSeconds, 5)
	near(t, "cpu mean", u.CPU.Mean, 1)
	near(t, "cpu p99", u.CPU.P99, 1)
	near(t, "cpu max", u.CPU.Max, 1)
	if u.RSSMax != 1050 || u.RSSMean != 1025 {
		t.Errorf("rss max %d mean %d; want 1050 and 1025", u.RSSMax, u.RSSMean)
	}
	if len(u.Timeline) != 50 {
		t.Fatalf("timeline has %d points; want one per sample after the first (50)", len(u.Timeline))
	}
	for i, p := range u.Timeline {
		if math.Abs(p.CPU-1) > 1e-9 || p.At != time.Duration(i+1)*100*time.Millisecond || p.RSS != uint64(1001+i) {
			t.Fatalf("timeline[%d] = %+v; want 1 core at %v, rss %d", i, p, time.Duration(i+1)*100*time.Millisecond, 1001+i)
		}
	}
}

// TestSummaryPeak checks that p99 and max see a one-second burst that the mean averages away, to
// within the histogram's two significant digits.
func TestSummaryPeak(t *testing.T) {
	s := newSummary(0.01, 100*time.Millisecond, time.Second, 600)
	s.add(0, 0, 0, 1)
	for i := 1; i <= 1000; i++ { // 100 s at 0.2 core, with 2 cores in seconds 50 to 51
		d := uint64(2)
		if i > 500 && i <= 510 {
			d = 20
		}
		s.add(time.Duration(i)*100*time.Millisecond, d, 0, 1)
	}
	u := s.usage()
	near(t, "cpu mean", u.CPU.Mean, (990*2+10*20)*0.01/100)
	if math.Abs(u.CPU.Max-2) > 0.02 {
		t.Errorf("cpu max %v; want 2 (the burst's window)", u.CPU.Max)
	}
	if u.CPU.P99 < 1 || u.CPU.P99 > 2.02 {
		t.Errorf("cpu p99 %v; want the burst: the top 1%% of 991 windows overlap it", u.CPU.P99)
	}
}

// TestSummaryShort: a run shorter than one window has the whole run's rate as its only window.
func TestSummaryShort(t *testing.T) {
	s := newSummary(0.01, 100*time.Millisecond, time.Second, 600)
	s.add(0, 0, 10, 1)
	s.add(100*time.Millisecond, 5, 10, 1)
	s.add(200*time.Millisecond, 5, 10, 1)
	u := s.usage()
	if u.CPU.Mean != u.CPU.P99 || u.CPU.Mean != u.CPU.Max {
		t.Errorf("cpu %+v; want p99 and max equal to the mean", u.CPU)
	}
	near(t, "cpu mean", u.CPU.Mean, 0.5)
}

// TestTimelineDecimation runs 10,007 samples through a 600-point timeline: it stays within 600 points,
// evenly spaced, reaches the last sample, keeps RSS peaks, and its CPU integrates to the total.
func TestTimelineDecimation(t *testing.T) {
	s := newSummary(0.01, 100*time.Millisecond, time.Second, 600)
	s.add(0, 0, 0, 1)
	const n = 10007
	for i := 1; i <= n; i++ {
		rss := uint64(100)
		if i == 7777 {
			rss = 999
		}
		s.add(time.Duration(i)*100*time.Millisecond, uint64(i%7), rss, 1)
	}
	u := s.usage()
	if len(u.Timeline) > 600 || len(u.Timeline) < 300 {
		t.Fatalf("timeline has %d points; want 300 to 600", len(u.Timeline))
	}
	if last := u.Timeline[len(u.Timeline)-1].At; last != n*100*time.Millisecond {
		t.Errorf("timeline ends at %v; want the last sample, %v", last, n*100*time.Millisecond)
	}
	var integral float64
	var prev time.Duration
	peak := uint64(0)
	step := u.Timeline[1].At - u.Timeline[0].At
	for i, p := range u.Timeline {
		if i > 0 && i < len(u.Timeline)-1 && p.At-prev != step {
			t.Fatalf("timeline[%d] at %v after %v; want even steps of %v", i, p.At, prev, step)
		}
		integral += p.CPU * (p.At - prev).Seconds()
		prev = p.At
		peak = max(peak, p.RSS)
	}
	near(t, "timeline CPU integral", integral, u.CPUSeconds)
	if peak != 999 {
		t.Errorf("timeline RSS peak %d; want 999 kept through the merges", peak)
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v; want %v", what, got, want)
	}
}
