package sweep

import (
	"fmt"
	"math"
	"strconv"
)

// Phase is the part of the search a step belongs to.
type Phase uint8

// The phases, in the order a search may pass them. A search grows from Start; only when Start itself fails
// does it shrink; it bisects once it holds a passing and a failing rate.
const (
	PhaseGrow   Phase = iota // geometric steps up from Start until one fails
	PhaseShrink              // geometric steps down from a failing Start until one passes
	PhaseBisect              // halving the interval between the highest pass and the lowest fail
)

var phaseNames = [...]string{"grow", "shrink", "bisect"}

// String returns "grow", "shrink" or "bisect".
func (p Phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("phase(%d)", uint8(p))
}

// MarshalText implements encoding.TextMarshaler: the phase's name.
func (p Phase) MarshalText() ([]byte, error) {
	if int(p) >= len(phaseNames) {
		return nil, fmt.Errorf("sweep: invalid phase %d", uint8(p))
	}
	return []byte(phaseNames[p]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: the phase's name.
func (p *Phase) UnmarshalText(b []byte) error {
	for i, n := range phaseNames {
		if string(b) == n {
			*p = Phase(i)
			return nil
		}
	}
	return fmt.Errorf("sweep: unknown phase %q (want grow, shrink or bisect)", b)
}

// Stop says why a sweep ended.
type Stop uint8

// The reasons a sweep ends.
const (
	StopConverged   Stop = iota // the highest pass and the lowest fail are within Precision of each other
	StopMaxRate                 // MaxRate itself passed: the capacity is at least MaxRate
	StopMinRate                 // every rate down to MinRate failed: no capacity found
	StopMaxSteps                // MaxSteps steps ran without converging
	StopInterrupted             // ctx was cancelled
	StopError                   // a step could not run (Run returned an error)
	// StopInconclusive: the highest pass is within Precision of the lowest inconclusive rate, below any
	// failure: the load generator could not offer more, so the capacity is at least Best, not measured.
	StopInconclusive
)

var stopNames = [...]string{"converged", "max_rate", "min_rate", "max_steps", "interrupted", "error", "inconclusive"}

// String returns the reason's name as JSON spells it, e.g. "converged" or "max_rate".
func (s Stop) String() string {
	if int(s) < len(stopNames) {
		return stopNames[s]
	}
	return fmt.Sprintf("stop(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler: the reason's name.
func (s Stop) MarshalText() ([]byte, error) {
	if int(s) >= len(stopNames) {
		return nil, fmt.Errorf("sweep: invalid stop reason %d", uint8(s))
	}
	return []byte(stopNames[s]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: the reason's name.
func (s *Stop) UnmarshalText(b []byte) error {
	for i, n := range stopNames {
		if string(b) == n {
			*s = Stop(i)
			return nil
		}
	}
	return fmt.Errorf("sweep: unknown stop reason %q", b)
}

// outcome is a step's judgement as the search takes it.
type outcome uint8

const (
	outcomePass         outcome = iota
	outcomeFail                 // the collector failed the SLO
	outcomeInconclusive         // the step measured the load generator, not the collector
)

// search is the pure state of a capacity search: which rate to try next, given the outcomes so far. It
// knows nothing of runs or clocks, so its tests are tables of outcomes.
//
//	grow:   Start, Start·F, Start·F², …            until a step fails (or MaxRate passes)
//	shrink: Start/F, Start/F², …                   only when Start failed, until a step passes
//	bisect: (lo+hi)/2 between the highest pass lo and the lowest fail hi, until hi-lo ≤ Precision·lo
//
// An inconclusive step bounds the search like a failure (nothing above it can be measured) but is kept
// apart in ceil, so that it never becomes the knee.
type search struct {
	factor, precision, maxRate, minRate float64

	phase Phase
	next  float64 // the rate to try next
	lo    float64 // highest rate that passed; 0 when none did
	hi    float64 // lowest rate that failed; 0 when none did
	ceil  float64 // lowest rate that was inconclusive; 0 when none was
	done  bool
	stop  Stop
}

func newSearch(start, factor, precision, maxRate, minRate float64) *search {
	return &search{factor: factor, precision: precision, maxRate: maxRate, minRate: minRate, next: start}
}

// step returns the next rate to try and its phase; ok is false when the search is over (see s.stop).
func (s *search) step() (rate float64, phase Phase, ok bool) {
	if s.done {
		return 0, 0, false
	}
	return s.next, s.phase, true
}

// upper is the lowest rate known not to pass: the lowest failure or inconclusive rate; 0 when none.
func (s *search) upper() float64 {
	switch {
	case s.hi == 0:
		return s.ceil
	case s.ceil == 0:
		return s.hi
	}
	return min(s.hi, s.ceil)
}

// record takes the outcome of the rate step returned last and decides what comes next.
func (s *search) record(o outcome) {
	rate := s.next
	switch o {
	case outcomePass:
		s.lo = rate
	case outcomeFail:
		s.hi = rate
	default:
		if s.ceil == 0 || rate < s.ceil {
			s.ceil = rate
		}
	}
	up := s.upper()
	switch {
	case s.lo > 0 && up > 0:
		if up-s.lo <= s.precision*s.lo {
			if s.hi > 0 && s.hi <= up {
				s.finish(StopConverged)
			} else {
				s.finish(StopInconclusive)
			}
			return
		}
		s.phase = PhaseBisect
		s.next = between(s.lo, up)
	case o == outcomePass: // growing, every step so far passed
		if s.maxRate > 0 && rate >= s.maxRate {
			s.finish(StopMaxRate)
			return
		}
		s.next = above(rate, s.factor)
		if s.maxRate > 0 && s.next > s.maxRate {
			s.next = s.maxRate
		}
	default: // shrinking, no step so far passed
		s.phase = PhaseShrink
		s.next = below(rate, s.factor)
		if s.next < s.minRate {
			s.finish(StopMinRate)
		}
	}
}

func (s *search) finish(why Stop) {
	s.done, s.stop = true, why
}

// between returns the midpoint of lo and hi, rounded to three significant digits when that keeps it
// strictly inside (lo, hi), so that tables read 10500/s rather than 10546.875/s.
func between(lo, hi float64) float64 {
	mid := lo + (hi-lo)/2
	if r := roundSig(mid); r > lo && r < hi {
		return r
	}
	return mid
}

// above returns rate·factor, rounded to three significant digits when that stays above rate.
func above(rate, factor float64) float64 {
	next := rate * factor
	if r := roundSig(next); r > rate {
		return r
	}
	return next
}

// below returns rate/factor, rounded to three significant digits when that stays below rate.
func below(rate, factor float64) float64 {
	next := rate / factor
	if r := roundSig(next); r < rate && r > 0 {
		return r
	}
	return next
}

// roundSig rounds v > 0 to three significant digits, halves away from zero, to the float64 nearest the
// decimal (15.7, not 15.700000000000001).
func roundSig(v float64) float64 {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	exp := int(math.Floor(math.Log10(v))) - 2
	digits := math.Round(v / math.Pow10(exp))
	r, _ := strconv.ParseFloat(strconv.FormatFloat(digits, 'f', 0, 64)+"e"+strconv.Itoa(exp), 64) // cannot fail
	return r
}
