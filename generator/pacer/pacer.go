// Package pacer decides when each generated event is due.
//
// A Pacer is a pure function of the event number: Due(n) is the scheduled offset of event n from the
// start of the run, fixed before anything is sent. Senders never move the schedule when they fall behind;
// they send late and the lateness is measured (open-loop load, no coordinated omission). Pace, the
// vegeta-style "how long to wait now" question, is derived from Due. No pacer reads a clock, so every
// shape is tested with plain tables.
//
// The package also holds the one rate grammar (ParseRate, for flags and scenario files alike) and the
// one validation of pacer settings (Spec.Check; Spec.New builds the Pacer a Spec describes).
package pacer

import (
	"math"
	"time"
)

// Pacer is the schedule of a run.
type Pacer interface {
	// Due returns the scheduled offset of event n (0-based) from the start of the run, and false when
	// the schedule has no event n (the run is over).
	Due(n uint64) (at time.Duration, ok bool)
	// RateAt returns the instantaneous target rate in events per second at offset t.
	RateAt(t time.Duration) float64
	// String describes the shape with its parameters, e.g. "Constant{20000/s for 10s}".
	String() string
}

// Pace returns how long a sender that has sent `sent` events must wait at offset elapsed before it
// sends the next one; stop is true when the schedule is over. A non-positive wait means "send now".
func Pace(p Pacer, elapsed time.Duration, sent uint64) (wait time.Duration, stop bool) {
	at, ok := p.Due(sent)
	if !ok {
		return 0, true
	}
	return at - elapsed, false
}

// Count returns how many events p schedules, or false when it schedules more than limit.
// It is meant for tests and summaries of bounded schedules.
func Count(p Pacer, limit uint64) (uint64, bool) {
	lo, hi := uint64(0), limit+1
	if _, ok := p.Due(limit); ok {
		return 0, false
	}
	for lo < hi { // first n with !ok
		mid := lo + (hi-lo)/2
		if _, ok := p.Due(mid); ok {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, true
}

// fromSeconds converts seconds to a Duration, saturating instead of overflowing.
func fromSeconds(s float64) time.Duration {
	if s >= math.MaxInt64/float64(time.Second) {
		return math.MaxInt64
	}
	return time.Duration(s * float64(time.Second))
}

// Limit bounds a schedule: at most Count events (0 = unbounded) and none at or after Duration
// (0 = unbounded). Every pacer is built with one.
type Limit struct {
	Duration time.Duration
	Count    uint64
}

func (l Limit) allows(n uint64, at time.Duration) bool {
	if l.Count > 0 && n >= l.Count {
		return false
	}
	if l.Duration > 0 && at >= l.Duration {
		return false
	}
	return true
}

func (l Limit) String() string {
	switch {
	case l.Duration > 0 && l.Count > 0:
		return " for " + l.Duration.String() + " or " + itoa(l.Count) + " events"
	case l.Duration > 0:
		return " for " + l.Duration.String()
	case l.Count > 0:
		return " for " + itoa(l.Count) + " events"
	}
	return ""
}
