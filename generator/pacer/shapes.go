package pacer

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

var (
	_ Pacer = Constant{}
	_ Pacer = Linear{}
	_ Pacer = (*Steps)(nil)
	_ Pacer = Sine{}
	_ Pacer = Burst{}
	_ Pacer = Replay{}
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func rateString(r float64) string { return strconv.FormatFloat(r, 'g', -1, 64) + "/s" }

// Constant schedules events at a fixed rate: event n is due at n/Rate seconds.
type Constant struct {
	Rate float64 // events per second, > 0
	Limit
}

// Due implements Pacer.
func (c Constant) Due(n uint64) (time.Duration, bool) {
	at := fromSeconds(float64(n) / c.Rate)
	return at, c.allows(n, at)
}

// RateAt implements Pacer.
func (c Constant) RateAt(time.Duration) float64 { return c.Rate }

// String implements Pacer.
func (c Constant) String() string { return "Constant{" + rateString(c.Rate) + c.Limit.String() + "}" }

// Linear ramps the rate from From to To over Over, then holds To:
//
//	rate(t) = From + (To-From)·t/Over   for t < Over
//	hits(t) = From·t + (To-From)·t²/(2·Over)
//
// Due(n) solves hits(t) = n for t.
type Linear struct {
	From, To float64 // events per second at the start and at the end of the ramp, >= 0, not both 0
	Over     time.Duration
	Limit
}

// Due implements Pacer.
func (l Linear) Due(n uint64) (time.Duration, bool) {
	over := l.Over.Seconds()
	x := float64(n)
	slope := (l.To - l.From) / over
	rampHits := l.From*over + slope*over*over/2
	var t float64
	switch {
	case x >= rampHits:
		t = over + (x-rampHits)/l.To
	case slope == 0:
		t = x / l.From
	default:
		// slope/2·t² + From·t − x = 0; the root in [0, over] in a form stable for small slopes.
		t = 2 * x / (l.From + math.Sqrt(l.From*l.From+2*slope*x))
	}
	at := fromSeconds(t)
	return at, l.allows(n, at)
}

// RateAt implements Pacer.
func (l Linear) RateAt(t time.Duration) float64 {
	if t >= l.Over {
		return l.To
	}
	return l.From + (l.To-l.From)*t.Seconds()/l.Over.Seconds()
}

// String implements Pacer.
func (l Linear) String() string {
	return "Linear{" + rateString(l.From) + " to " + rateString(l.To) + " over " + l.Over.String() + l.Limit.String() + "}"
}

// Step is one stage of a Steps schedule.
type Step struct {
	Rate     float64 // events per second, >= 0
	Duration time.Duration
}

// Steps holds each rate for its duration in turn; the schedule ends after the last step.
type Steps struct {
	Steps []Step
	Limit
	starts []time.Duration // offset of each step
	hits   []float64       // events scheduled before each step
}

// NewSteps returns a Steps schedule.
func NewSteps(steps []Step, lim Limit) *Steps {
	s := &Steps{Steps: steps, Limit: lim}
	var at time.Duration
	var hits float64
	for _, st := range steps {
		s.starts = append(s.starts, at)
		s.hits = append(s.hits, hits)
		at += st.Duration
		hits += st.Rate * st.Duration.Seconds()
	}
	s.starts = append(s.starts, at)
	s.hits = append(s.hits, hits)
	return s
}

// Due implements Pacer.
func (s *Steps) Due(n uint64) (time.Duration, bool) {
	x := float64(n)
	// The step holding event n is the last one whose cumulative hits are <= x and that has a rate.
	i := sort.Search(len(s.Steps), func(i int) bool { return s.hits[i+1] > x })
	if i == len(s.Steps) {
		return 0, false
	}
	at := s.starts[i] + fromSeconds((x-s.hits[i])/s.Steps[i].Rate)
	return at, s.allows(n, at)
}

// RateAt implements Pacer.
func (s *Steps) RateAt(t time.Duration) float64 {
	for i, st := range s.Steps {
		if t < s.starts[i+1] {
			return st.Rate
		}
	}
	return 0
}

// String implements Pacer.
func (s *Steps) String() string {
	parts := make([]string, len(s.Steps))
	for i, st := range s.Steps {
		parts[i] = rateString(st.Rate) + "×" + st.Duration.String()
	}
	return "Steps{" + strings.Join(parts, ", ") + s.Limit.String() + "}"
}

// Sine oscillates the rate around Mean:
//
//	rate(t) = Mean + Amplitude·sin(2πt/Period)
//	hits(t) = Mean·t + Amplitude·Period/(2π)·(1 − cos(2πt/Period))
//
// with 0 <= Amplitude <= Mean, so hits is non-decreasing and Due(n) is found by bisection on hits.
//
//	rate ▲     ╭─╮           ╭─╮
//	Mean ┼────╯───╰───╮───╯───╰──
//	     │             ╰─╯
//	     └───────── Period ──────► t
type Sine struct {
	Mean, Amplitude float64 // events per second
	Period          time.Duration
	Limit
}

func (s Sine) hits(t float64) float64 {
	p := s.Period.Seconds()
	return s.Mean*t + s.Amplitude*p/(2*math.Pi)*(1-math.Cos(2*math.Pi*t/p))
}

// Due implements Pacer.
func (s Sine) Due(n uint64) (time.Duration, bool) {
	x := float64(n)
	// hits(t) >= (Mean-Amplitude)·t, and <= (Mean+Amplitude)·t, which brackets the root.
	lo, hi := x/(s.Mean+s.Amplitude), math.Inf(1)
	if s.Mean > s.Amplitude {
		hi = x / (s.Mean - s.Amplitude)
	} else {
		hi = lo + s.Period.Seconds()*(1+x/(s.Mean*s.Period.Seconds()))
	}
	for i := 0; i < 100 && hi-lo > 1e-10; i++ {
		mid := (lo + hi) / 2
		if s.hits(mid) < x {
			lo = mid
		} else {
			hi = mid
		}
	}
	at := fromSeconds(hi)
	return at, s.allows(n, at)
}

// RateAt implements Pacer.
func (s Sine) RateAt(t time.Duration) float64 {
	return s.Mean + s.Amplitude*math.Sin(2*math.Pi*t.Seconds()/s.Period.Seconds())
}

// String implements Pacer.
func (s Sine) String() string {
	return "Sine{" + rateString(s.Mean) + " ± " + rateString(s.Amplitude) + " every " + s.Period.String() + s.Limit.String() + "}"
}

// Burst sends at Rate for On, then nothing for Off, and repeats.
type Burst struct {
	Rate    float64 // events per second while on
	On, Off time.Duration
	Limit
}

// Due implements Pacer.
func (b Burst) Due(n uint64) (time.Duration, bool) {
	perBurst := b.Rate * b.On.Seconds()
	cycle := float64(int64(float64(n) / perBurst))
	inBurst := float64(n) - cycle*perBurst
	at := time.Duration(cycle)*(b.On+b.Off) + fromSeconds(inBurst/b.Rate)
	return at, b.allows(n, at)
}

// RateAt implements Pacer.
func (b Burst) RateAt(t time.Duration) float64 {
	if t%(b.On+b.Off) < b.On {
		return b.Rate
	}
	return 0
}

// String implements Pacer.
func (b Burst) String() string {
	return "Burst{" + rateString(b.Rate) + " for " + b.On.String() + ", idle " + b.Off.String() + b.Limit.String() + "}"
}

// Replay schedules events at recorded offsets (e.g. the timestamps of a corpus), divided by Speed.
type Replay struct {
	Offsets []time.Duration // non-decreasing offsets from the first record
	Speed   float64         // 2 = twice as fast as recorded; > 0
	Limit
}

// Due implements Pacer.
func (r Replay) Due(n uint64) (time.Duration, bool) {
	if n >= uint64(len(r.Offsets)) {
		return 0, false
	}
	at := time.Duration(float64(r.Offsets[n]) / r.Speed)
	return at, r.allows(n, at)
}

// RateAt implements Pacer: the recorded rate over the surrounding second.
func (r Replay) RateAt(t time.Duration) float64 {
	rec := time.Duration(float64(t) * r.Speed)
	lo := sort.Search(len(r.Offsets), func(i int) bool { return r.Offsets[i] >= rec-time.Second/2 })
	hi := sort.Search(len(r.Offsets), func(i int) bool { return r.Offsets[i] >= rec+time.Second/2 })
	return float64(hi-lo) * r.Speed
}

// String implements Pacer.
func (r Replay) String() string {
	return fmt.Sprintf("Replay{%d events at %gx%s}", len(r.Offsets), r.Speed, r.Limit.String())
}
