package pacer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Spec describes a pacer by its shape's name and parameters, as a scenario file writes it: Check says
// what is wrong with one, New builds the Pacer. Rates are events per second. The parameters are named
// as the file's keys: shape, rate, from, to, steps, amplitude, period, on, off, speed, hourly, weekend,
// realTime.
type Spec struct {
	Shape     string        // constant|ramp|step|sine|burst|day|replay; "" is no pacer
	Rate      float64       // constant, sine (mean), burst (rate while on), day (a weekday's mean)
	From, To  float64       // ramp
	Steps     []Step        // step
	Amplitude float64       // sine
	Period    time.Duration // sine; ramp (optional: ramp over the run's duration); day (optional: one day's length, default the run's duration)
	On, Off   time.Duration // burst
	Speed     float64       // replay: multiple of the recorded pace
	Hourly    []float64     // day: the 24 hourly weights from midnight (nil: DefaultHourly)
	Weekend   float64       // day: Saturday's and Sunday's share of a weekday (scenario files default it to DefaultWeekend)
	RealTime  bool          // day: a day lasts 24h and the schedule starts at Start's place in the week
	// Start is the wall-clock time a real-time day schedule starts at, in the scenario's time zone; it
	// is not a file key: the command that runs the schedule sets it. Zero: Monday 00:00.
	Start time.Time
}

// Problem is one thing wrong with a Spec: the parameter it concerns (a scenario file's key, or
// "steps[i].rate" for a step's) and what is wrong with it.
type Problem struct {
	Param, Msg string
}

// Error returns "param: msg".
func (p Problem) Error() string { return p.Param + ": " + p.Msg }

// shapeParams lists, per shape, the parameters the shape needs.
var shapeParams = map[string][]string{
	"constant": {"rate"},
	"ramp":     {"from", "to"},
	"step":     {"steps"},
	"sine":     {"rate", "amplitude", "period"},
	"burst":    {"rate", "on"},
	"day":      {"rate"},
	"replay":   nil,
}

// Check returns every problem of s, nil when there is none: a parameter its shape needs that is not
// given, and a given parameter out of range. given says which parameters were given (a scenario file's
// keys); nil means those with a non-zero value. Parameters the shape does not use are not checked,
// except speed, which must be > 0 whenever it is given.
func (s Spec) Check(given func(param string) bool) []Problem {
	if given == nil {
		given = s.nonZero
	}
	need, ok := shapeParams[s.Shape]
	if !ok {
		return []Problem{{"shape", fmt.Sprintf("%q: want constant, ramp, step, sine, burst, day or replay", s.Shape)}}
	}
	var ps []Problem
	add := func(param, format string, args ...any) { ps = append(ps, Problem{param, fmt.Sprintf(format, args...)}) }
	for _, p := range need {
		if !given(p) {
			add(p, "missing: pacer shape %q needs it", s.Shape)
		}
	}
	rateMin := func(param string, x float64, zero bool) {
		switch {
		case !given(param):
		case zero && !(x >= 0 && !math.IsInf(x, 0)):
			add(param, "want a rate >= 0")
		case !zero && !(x > 0 && !math.IsInf(x, 0)):
			add(param, "want a rate > 0")
		}
	}
	durMin := func(param string, d time.Duration, zero bool) {
		switch {
		case !given(param):
		case zero && d < 0:
			add(param, "%v: want a duration >= 0", d)
		case !zero && d <= 0:
			add(param, "%v: want a duration > 0", d)
		}
	}
	switch s.Shape {
	case "constant":
		rateMin("rate", s.Rate, false)
	case "burst":
		rateMin("rate", s.Rate, false)
		durMin("on", s.On, false)
		durMin("off", s.Off, true)
	case "ramp":
		rateMin("from", s.From, true)
		rateMin("to", s.To, true)
		if given("from") && given("to") && s.From+s.To == 0 {
			add("to", "from and to cannot both be 0")
		}
		durMin("period", s.Period, false)
	case "step":
		if given("steps") && len(s.Steps) == 0 {
			add("steps", "want at least one step")
		}
		for i, st := range s.Steps {
			p := "steps[" + strconv.Itoa(i) + "]."
			rateMin(p+"rate", st.Rate, true)
			durMin(p+"duration", st.Duration, false)
		}
	case "sine":
		rateMin("rate", s.Rate, false)
		if given("amplitude") && !(s.Amplitude >= 0) {
			add("amplitude", "want a rate >= 0")
		} else if s.Amplitude > s.Rate {
			add("amplitude", "%g/s exceeds the mean rate %g/s", s.Amplitude, s.Rate)
		}
		durMin("period", s.Period, false)
	case "day":
		rateMin("rate", s.Rate, false)
		durMin("period", s.Period, false)
		if given("period") && s.RealTime {
			add("period", "a real-time day lasts 24h: give period or realTime, not both")
		}
		if given("weekend") && !(s.Weekend >= 0 && !math.IsInf(s.Weekend, 0)) {
			add("weekend", "want a factor >= 0, e.g. 0.3 for weekends at 30%% of a weekday")
		}
		if given("hourly") {
			s.checkHourly(add)
		}
	}
	if given("speed") && !(s.Speed > 0) { // whatever the shape, as scenario files always checked it
		add("speed", "speed %v: want > 0", s.Speed)
	}
	return ps
}

// checkHourly checks a day profile: 24 weights, each >= 0, not all 0.
func (s Spec) checkHourly(add func(param, format string, args ...any)) {
	if len(s.Hourly) != 24 {
		add("hourly", "%d weights: want 24, one per hour from midnight", len(s.Hourly))
		return
	}
	var sum float64
	for i, w := range s.Hourly {
		if !(w >= 0 && !math.IsInf(w, 0)) {
			add("hourly["+strconv.Itoa(i)+"]", "%v: want a weight >= 0", w)
			return
		}
		sum += w
	}
	if sum == 0 {
		add("hourly", "every weight is 0: want at least one hour with traffic")
	}
}

// nonZero reports whether the parameter param of s has a non-zero value.
func (s Spec) nonZero(param string) bool {
	if strings.HasPrefix(param, "steps[") {
		return true // a step's own fields are checked whenever the step is there
	}
	switch param {
	case "rate":
		return s.Rate != 0
	case "from":
		return s.From != 0
	case "to":
		return s.To != 0
	case "steps":
		return s.Steps != nil
	case "amplitude":
		return s.Amplitude != 0
	case "period":
		return s.Period != 0
	case "on":
		return s.On != 0
	case "off":
		return s.Off != 0
	case "speed":
		return s.Speed != 0
	case "hourly":
		return s.Hourly != nil
	case "weekend":
		return s.Weekend != 0
	case "realTime":
		return s.RealTime
	}
	return false
}

// New builds the pacer s describes, bounded by lim. It is an error when s has no shape, when Check
// finds a problem (with every parameter whose value is not zero counted as given), when a ramp has
// neither a period nor a duration in lim to ramp over, and for a replay: its offsets come from a
// recording, so build a Replay instead.
func (s Spec) New(lim Limit) (Pacer, error) {
	if s.Shape == "" {
		return nil, errors.New("no pacer")
	}
	if ps := s.Check(nil); len(ps) > 0 {
		errs := make([]error, len(ps))
		for i, p := range ps {
			errs[i] = p
		}
		return nil, fmt.Errorf("%s pacer: %w", s.Shape, errors.Join(errs...))
	}
	switch s.Shape {
	case "constant":
		return Constant{Rate: s.Rate, Limit: lim}, nil
	case "ramp":
		over := s.Period
		if over <= 0 {
			over = lim.Duration
		}
		if over <= 0 {
			return nil, errors.New("ramp pacer: needs a period or a run duration to ramp over")
		}
		return Linear{From: s.From, To: s.To, Over: over, Limit: lim}, nil
	case "step":
		return NewSteps(s.Steps, lim), nil
	case "sine":
		return Sine{Mean: s.Rate, Amplitude: s.Amplitude, Period: s.Period, Limit: lim}, nil
	case "burst":
		return Burst{Rate: s.Rate, On: s.On, Off: s.Off, Limit: lim}, nil
	case "day":
		return s.newDay(lim)
	}
	return nil, errors.New("replay pacer: the offsets come from a recording; build a Replay with them")
}

// newDay builds a day schedule: a real-time one from Start's place in the week, a compressed one with a
// day of Period or, without one, of the run's duration.
func (s Spec) newDay(lim Limit) (Pacer, error) {
	hourly := DefaultHourly
	if s.Hourly != nil {
		copy(hourly[:], s.Hourly)
	}
	if s.RealTime {
		var off time.Duration
		if !s.Start.IsZero() {
			off = WeekOffset(s.Start)
		}
		return NewDay(s.Rate, hourly, s.Weekend, 24*time.Hour, off, lim), nil
	}
	length := s.Period
	if length <= 0 {
		length = lim.Duration
	}
	if length <= 0 {
		return nil, errors.New("day pacer: needs a period, realTime or a run duration to compress the day into")
	}
	return NewDay(s.Rate, hourly, s.Weekend, length, 0, lim), nil
}

// String describes the spec, e.g. "constant 20000/s" or "ramp 1000/s→50000/s".
func (s Spec) String() string {
	switch s.Shape {
	case "constant":
		return fmt.Sprintf("constant %g/s", s.Rate)
	case "ramp":
		if s.Period > 0 {
			return fmt.Sprintf("ramp %g/s→%g/s over %v", s.From, s.To, s.Period)
		}
		return fmt.Sprintf("ramp %g/s→%g/s", s.From, s.To)
	case "step":
		parts := make([]string, len(s.Steps))
		for i, st := range s.Steps {
			parts[i] = fmt.Sprintf("%g/s for %v", st.Rate, st.Duration)
		}
		return "step " + strings.Join(parts, ", ")
	case "sine":
		return fmt.Sprintf("sine %g/s ± %g/s every %v", s.Rate, s.Amplitude, s.Period)
	case "burst":
		return fmt.Sprintf("burst %g/s for %v, idle %v", s.Rate, s.On, s.Off)
	case "day":
		switch {
		case s.RealTime:
			return fmt.Sprintf("day %g/s in real time", s.Rate)
		case s.Period > 0:
			return fmt.Sprintf("day %g/s in %v", s.Rate, s.Period)
		}
		return fmt.Sprintf("day %g/s", s.Rate)
	case "replay":
		return fmt.Sprintf("replay ×%g", s.Speed)
	case "":
		return "no pacer"
	}
	return s.Shape
}
