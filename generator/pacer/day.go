package pacer

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

var _ Pacer = (*Day)(nil)

// DefaultHourly is the day profile of the day shape when a scenario gives none: relative weights of the
// 24 hours from midnight, an office's traffic with a business-hours plateau (09:00–17:00), a lunch dip
// and a night trough at a fifth of the peak. Its peak-to-mean ratio is about 1.70.
var DefaultHourly = [24]float64{
	0.2, 0.2, 0.2, 0.2, 0.2, 0.3, // 00–05
	0.5, 0.8, 1.0, 1.0, 1.0, 1.0, // 06–11
	0.8, 1.0, 1.0, 1.0, 1.0, 0.7, // 12–17
	0.5, 0.4, 0.35, 0.3, 0.25, 0.2, // 18–23
}

// DefaultWeekend is the day shape's weekend factor when a scenario gives none: Saturday and Sunday carry
// this fraction of a weekday's traffic, hour by hour.
const DefaultWeekend = 0.3

// Day plays a day-shaped schedule: a week of days, each following the 24 hourly weights Hourly, with
// Saturday and Sunday scaled by Weekend. Rate is the mean rate of a weekday, so the hour with weight w
// runs at Rate·w/mean(Hourly), constant within the hour:
//
//	rate ▲        ┌──┐ ┌──┐
//	peak ┤      ┌─┘  └─┘  └┐          the hourly weights, scaled so a weekday's mean is Rate
//	Rate ┼ ─ ─ ┌┘─ ─ ─ ─ ─ ─└┐─ ─ ─
//	     └─────┘              └──────► hour of the day (one Day.Length)
//
// One day lasts Length: 24h plays the profile in real time, a run's duration compresses a whole day into
// it. Offset places t = 0 in the week, counted in real time from Monday 00:00 (a compressed schedule
// scales it by Length/24h). Due(n) looks up the precomputed cumulative count of the week's 168 hours
// (a binary search), so it is a pure function that does not allocate.
type Day struct {
	Rate    float64       // mean events per second of a weekday, > 0
	Hourly  [24]float64   // relative weights, >= 0, not all 0
	Weekend float64       // Saturday's and Sunday's share of a weekday, >= 0
	Length  time.Duration // how long one day lasts, > 0
	Offset  time.Duration // where t = 0 falls in the week, in real time from Monday 00:00, in [0, 7·24h)
	Limit

	slot   float64         // seconds per hour slot: Length/24
	rates  [7 * 24]float64 // events per second in each hour slot of the week
	cum    [7*24 + 1]float64
	base   float64 // events of the week before Offset
	peak   float64 // the highest rate of any slot
	factor float64 // peak over Rate
}

// NewDay returns a Day schedule; the arguments are as the fields of Day, checked by Spec.Check.
func NewDay(rate float64, hourly [24]float64, weekend float64, length, offset time.Duration, lim Limit) *Day {
	d := &Day{Rate: rate, Hourly: hourly, Weekend: weekend, Length: length, Limit: lim}
	var sum float64
	for _, w := range hourly {
		sum += w
	}
	mean := sum / 24
	d.slot = length.Seconds() / 24
	for i := range d.rates {
		r := rate * hourly[i%24] / mean
		if i >= 5*24 { // Saturday and Sunday
			r *= weekend
		}
		d.rates[i] = r
		d.cum[i+1] = d.cum[i] + r*d.slot
		d.peak = max(d.peak, r)
	}
	d.factor = d.peak / rate
	week := 7 * 24 * time.Hour
	d.Offset = (offset%week + week) % week
	d.base = d.hits(d.Offset.Seconds() * d.slot / 3600)
	return d
}

// hits returns the events of the week due before offset t seconds (compressed time) from Monday 00:00,
// for t within one week.
func (d *Day) hits(t float64) float64 {
	i := min(int(t/d.slot), len(d.rates)-1)
	return d.cum[i] + d.rates[i]*(t-float64(i)*d.slot)
}

// Due implements Pacer.
func (d *Day) Due(n uint64) (time.Duration, bool) {
	week := d.cum[len(d.rates)]
	x := float64(n) + d.base
	cycles := math.Floor(x / week)
	rem := x - cycles*week
	// The slot holding the event: the first whose cumulative count passes rem (empty slots never do).
	i := sort.Search(len(d.rates), func(i int) bool { return d.cum[i+1] > rem })
	if i == len(d.rates) { // rounding at the very end of the week
		i = len(d.rates) - 1
	}
	t := cycles*float64(len(d.rates))*d.slot + float64(i)*d.slot + (rem-d.cum[i])/d.rates[i]
	at := fromSeconds(t - d.Offset.Seconds()*d.slot/3600)
	return at, d.allows(n, at)
}

// RateAt implements Pacer.
func (d *Day) RateAt(t time.Duration) float64 {
	s := t.Seconds() + d.Offset.Seconds()*d.slot/3600
	week := float64(len(d.rates)) * d.slot
	s -= math.Floor(s/week) * week
	return d.rates[min(int(s/d.slot), len(d.rates)-1)]
}

// Peak returns the highest rate of the schedule: the busiest weekday hour's.
func (d *Day) Peak() float64 { return d.peak }

// PeakToMean returns Peak over Rate, the factor a plan for the mean rate must provision for at peak.
func (d *Day) PeakToMean() float64 { return d.factor }

// String implements Pacer, e.g. "Day{mean 1000/s, peak 1702/s (peak/mean 1.702), weekend ×0.3, day of 10s
// from Mon 00:00 for 10s}".
func (d *Day) String() string {
	var b strings.Builder
	b.WriteString("Day{mean ")
	b.WriteString(rateString(d.Rate))
	b.WriteString(", peak ")
	b.WriteString(rateString(roundTo(d.peak, 3)))
	b.WriteString(" (peak/mean ")
	b.WriteString(strconv.FormatFloat(roundTo(d.factor, 3), 'g', -1, 64))
	b.WriteString("), weekend ×")
	b.WriteString(strconv.FormatFloat(d.Weekend, 'g', -1, 64))
	b.WriteString(", day of ")
	b.WriteString(d.Length.String())
	b.WriteString(" from ")
	at := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC).Add(d.Offset) // a Monday
	b.WriteString(at.Format("Mon 15:04"))
	b.WriteString(d.Limit.String())
	b.WriteString("}")
	return b.String()
}

// roundTo rounds v to the given number of decimals.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}

// WeekOffset returns where t falls in the week, in real time from Monday 00:00 of t's zone: the Offset
// of a real-time Day schedule starting at t.
func WeekOffset(t time.Time) time.Duration {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	h, m, s := t.Clock()
	return time.Duration(wd)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
}
