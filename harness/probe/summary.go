package probe

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/nssbench/nssbench/reports"
)

// The CPU histogram records window rates in millicores with three significant digits, up to about
// 16,000 cores: exact up to 2 cores, finer than the 0.01 core a one-second window of 10 ms CPU ticks
// resolves. The maximum is kept exactly beside it.
const (
	cpuUnit    = 1e3
	cpuHighest = 1 << 24
)

// summary accumulates samples in bounded memory: running CPU and RSS totals, a histogram of the trailing
// window CPU rates, a ring of the last window's samples and a decimated timeline. Nothing grows with
// the number of samples.
type summary struct {
	tick float64 // seconds per CPU tick

	samples   int
	last      time.Duration // time of the latest sample, since the first
	cum       uint64        // CPU ticks since the first sample
	rssMax    uint64
	rssSum    float64
	procsMax  int
	windowed  int     // window rates recorded in hist
	cpuMax    float64 // the largest window rate
	hist      *hdr.Histogram
	ring      []mark // the last len(ring) samples, oldest at ring[next] once full
	next      int
	timeline  timeline
	windowLen time.Duration
}

// mark is one sample's position: when, and the tree's CPU ticks so far.
type mark struct {
	at  time.Duration
	cum uint64
}

// newSummary returns a summary for samples every interval, with CPU percentiles over windows of window
// (rounded to whole intervals, at least one) and a timeline of at most points points.
func newSummary(tick float64, interval, window time.Duration, points int) *summary {
	n := max(int((window+interval/2)/interval), 1)
	return &summary{
		tick:      tick,
		hist:      hdr.New(1, cpuHighest, 3),
		ring:      make([]mark, n),
		timeline:  newTimeline(points),
		windowLen: time.Duration(n) * interval,
	}
}

// add records one sample: at is its time since the first sample, delta the tree's CPU ticks since the
// previous sample (0 for the first), rss its resident bytes and procs the processes it summed.
func (s *summary) add(at time.Duration, delta, rss uint64, procs int) {
	s.samples++
	s.last = at
	s.cum += delta
	s.rssMax = max(s.rssMax, rss)
	s.rssSum += float64(rss)
	s.procsMax = max(s.procsMax, procs)
	m := mark{at: at, cum: s.cum}
	if s.samples > len(s.ring) { // full: ring[next] is the sample one window before this one
		old := s.ring[s.next]
		s.record(s.rate(old, m))
	}
	s.ring[s.next] = m
	s.next = (s.next + 1) % len(s.ring)
	if s.samples > 1 {
		s.timeline.add(m, rss)
	}
}

// rate returns the CPU in cores between two marks.
func (s *summary) rate(from, to mark) float64 {
	if to.at <= from.at {
		return 0
	}
	return float64(to.cum-from.cum) * s.tick / (to.at - from.at).Seconds()
}

func (s *summary) record(cores float64) {
	_ = s.hist.RecordValue(min(int64(cores*cpuUnit+0.5), cpuHighest)) // in range: clamped
	s.cpuMax = max(s.cpuMax, cores)
	s.windowed++
}

// usage returns the figures so far. A run shorter than one window has one window rate: the whole run's.
func (s *summary) usage() reports.TargetUsage {
	u := reports.TargetUsage{
		Window:     s.windowLen,
		Elapsed:    s.last,
		Samples:    s.samples,
		Processes:  s.procsMax,
		CPUSeconds: float64(s.cum) * s.tick,
		RSSMax:     s.rssMax,
		Timeline:   s.timeline.points(s.tick),
	}
	if s.samples > 0 {
		u.RSSMean = uint64(s.rssSum/float64(s.samples) + 0.5)
	}
	if s.last > 0 {
		u.CPU.Mean = u.CPUSeconds / s.last.Seconds()
	}
	if s.windowed == 0 {
		u.CPU.P99, u.CPU.Max = u.CPU.Mean, u.CPU.Mean
	} else {
		u.CPU.Max = s.cpuMax
		u.CPU.P99 = min(float64(s.hist.ValueAtPercentile(99))/cpuUnit, s.cpuMax)
	}
	return u
}

// timeline keeps at most cap(pts) points for charts, the one being filled included. Each point covers
// stride samples; when the timeline fills up, neighbouring points merge pairwise and the stride doubles,
// so the points stay evenly spaced whatever the run's length. Points keep cumulative CPU, so merged
// rates are exact.
type timeline struct {
	pts     []tpoint
	stride  int
	pending int    // samples in the point being filled
	latest  mark   // the latest sample, the end of the point being filled
	rssMax  uint64 // largest RSS in the point being filled
}

type tpoint struct {
	mark
	rss uint64 // largest RSS of the point's samples
}

func newTimeline(points int) timeline {
	return timeline{pts: make([]tpoint, 0, max(points&^1, 2)), stride: 1}
}

func (t *timeline) add(m mark, rss uint64) {
	t.pending++
	t.latest = m
	t.rssMax = max(t.rssMax, rss)
	if t.pending < t.stride {
		return
	}
	t.pts = append(t.pts, tpoint{mark: m, rss: t.rssMax})
	t.pending, t.rssMax = 0, 0
	if len(t.pts) == cap(t.pts) { // merge pairs, leaving room for the next point being filled
		for i := 0; i < len(t.pts)/2; i++ {
			a, b := t.pts[2*i], t.pts[2*i+1]
			t.pts[i] = tpoint{mark: b.mark, rss: max(a.rss, b.rss)}
		}
		t.pts = t.pts[:len(t.pts)/2]
		t.stride *= 2
	}
}

// points returns the timeline as report points (tick seconds per CPU tick), the partly filled last
// point included so that the chart reaches the last sample.
func (t *timeline) points(tick float64) []reports.TargetPoint {
	out := make([]reports.TargetPoint, 0, len(t.pts)+1)
	var prev mark
	emit := func(p tpoint) {
		pt := reports.TargetPoint{At: p.at, RSS: p.rss}
		if p.at > prev.at {
			pt.CPU = float64(p.cum-prev.cum) * tick / (p.at - prev.at).Seconds()
		}
		out = append(out, pt)
		prev = p.mark
	}
	for _, p := range t.pts {
		emit(p)
	}
	if t.pending > 0 {
		emit(tpoint{mark: t.latest, rss: t.rssMax})
	}
	return out
}
