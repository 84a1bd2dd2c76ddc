package abtest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/montanaflynn/stats"
)

// Direction says which way a metric improves.
type Direction string

// Directions. The values are those of reports.Direction, so one converts to the other.
const (
	HigherIsBetter Direction = "higher" // e.g. achieved rate
	LowerIsBetter  Direction = "lower"  // e.g. p99 latency, lost
)

// Verdict is the outcome of comparing a metric, or a whole comparison.
type Verdict string

// Verdicts; the package doc defines each.
const (
	Regressed    Verdict = "regressed"
	Improved     Verdict = "improved"
	NoChange     Verdict = "no change"
	Erratic      Verdict = "erratic"
	Insufficient Verdict = "insufficient replicates"
)

// Defaults of Options.
const (
	DefaultMargin    = 0.05
	DefaultResamples = 10000
	DefaultSeed      = 1
	// Confidence is the confidence level of every interval.
	Confidence = 0.95
)

// ExitRegressed is the exit code a confident regression hints.
const ExitRegressed = 3

// Spec describes one compared metric.
type Spec struct {
	Name   string    // as thresholds name it, e.g. "achieved", "e2e.p99"
	Unit   string    // free-form, carried into the signal, e.g. "duration" (nanoseconds) or "rate"
	Better Direction // which way the metric improves
	// Informational metrics are compared and shown but do not decide the overall verdict.
	Informational bool
	// Format writes a value for the text and Markdown renderers; nil writes it with four significant
	// digits.
	Format func(float64) string
}

// Options tune a comparison. Start from DefaultOptions: the zero value has no margin.
type Options struct {
	// Margin is the minimum relative effect size of every metric, e.g. 0.05, used as given: 0 makes any
	// confident change count.
	Margin float64
	// Margins overrides Margin for the metrics it names, e.g. {"e2e.p99.9": 0.10}.
	Margins   map[string]float64
	Resamples int    // bootstrap resamples; 0 means DefaultResamples
	Seed      uint64 // bootstrap seed; 0 means DefaultSeed
}

// DefaultOptions returns the options of the package doc: a 5 % margin, 10,000 resamples, seed 1.
func DefaultOptions() Options {
	return Options{Margin: DefaultMargin, Resamples: DefaultResamples, Seed: DefaultSeed}
}

// marginOf returns the margin of the named metric.
func (o Options) marginOf(name string) float64 {
	if m, ok := o.Margins[name]; ok {
		return m
	}
	return o.Margin
}

func (o Options) withDefaults() Options {
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	return o
}

// Side summarises one side's replicates of a metric.
type Side struct {
	N      int       `json:"n"`
	Mean   float64   `json:"mean"`
	Median float64   `json:"median"`
	CV     *float64  `json:"cv"` // sample standard deviation / |mean|; null for n < 2 or a spread around mean 0
	Values []float64 `json:"values"`
}

// Methods of Metric.Method.
const (
	MethodBootstrap = "percentile-bootstrap" // interval from the percentile bootstrap of the difference of means
	MethodNone      = "none"                 // no interval: a side has a single replicate
)

// Metric is the comparison of one metric: the regression signal's per-metric entry.
type Metric struct {
	Name      string    `json:"name"`
	Unit      string    `json:"unit,omitempty"`
	Direction Direction `json:"direction"`
	Gate      bool      `json:"gate"` // decides the overall verdict (not informational)
	Base      Side      `json:"base"`
	New       Side      `json:"new"`
	Diff      float64   `json:"diff"`      // new mean − base mean
	DiffRel   *float64  `json:"diffRel"`   // Diff / |base mean|; null when the base mean is 0
	CILow     *float64  `json:"ciLow"`     // 95 % interval of DiffRel; null without an interval or a base mean
	CIHigh    *float64  `json:"ciHigh"`    //
	CILowAbs  *float64  `json:"ciLowAbs"`  // 95 % interval of Diff; null without an interval
	CIHighAbs *float64  `json:"ciHighAbs"` //
	Method    string    `json:"method"`    // MethodBootstrap or MethodNone
	PValue    *float64  `json:"pValue"`    // two-sided Mann-Whitney U p-value; null where it cannot be computed
	Margin    float64   `json:"margin"`
	Verdict   Verdict   `json:"verdict"`
	Reason    string    `json:"reason"` // why the verdict, in one clause

	format func(float64) string
}

// Compare compares one metric's base and new replicates (see the package doc) with the metric's margin
// from opt. It fails on an empty
// side, a value that is NaN or infinite, an unknown direction or a negative margin.
func Compare(s Spec, base, cur []float64, opt Options) (Metric, error) {
	opt = opt.withDefaults()
	m := Metric{Name: s.Name, Unit: s.Unit, Direction: s.Better, Gate: !s.Informational, Margin: opt.marginOf(s.Name), format: s.Format}
	if err := check(s, base, cur, m.Margin, opt); err != nil {
		return Metric{}, fmt.Errorf("compare %s: %w", s.Name, err)
	}
	m.Base, m.New = side(base), side(cur)
	m.Diff = m.New.Mean - m.Base.Mean
	if m.Base.Mean != 0 {
		m.DiffRel = ptr(m.Diff / math.Abs(m.Base.Mean))
	}
	m.Method = MethodNone
	if m.Base.N >= 2 && m.New.N >= 2 {
		m.Method = MethodBootstrap
		lo, hi := bootstrap(base, cur, opt.Resamples, opt.Seed)
		m.CILowAbs, m.CIHighAbs = ptr(lo), ptr(hi)
		if m.Base.Mean != 0 {
			m.CILow, m.CIHigh = ptr(lo/math.Abs(m.Base.Mean)), ptr(hi/math.Abs(m.Base.Mean))
		}
		m.PValue = mannWhitney(base, cur)
	}
	m.Verdict, m.Reason = m.decide()
	m.round()
	return m, nil
}

// round rounds the derived numbers to six significant digits once the verdict is decided, so the
// signal reads well and does not depend on the last bits of floating-point arithmetic.
func (m *Metric) round() {
	for _, s := range []*Side{&m.Base, &m.New} {
		s.Mean, s.Median = sig6(s.Mean), sig6(s.Median)
		roundPtr(s.CV)
	}
	m.Diff = sig6(m.Diff)
	for _, p := range []*float64{m.DiffRel, m.CILow, m.CIHigh, m.CILowAbs, m.CIHighAbs, m.PValue} {
		roundPtr(p)
	}
}

func roundPtr(p *float64) {
	if p != nil {
		*p = sig6(*p)
	}
}

// sig6 rounds v to six significant digits.
func sig6(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return r
}

// check validates the inputs of Compare.
func check(s Spec, base, cur []float64, margin float64, opt Options) error {
	switch {
	case s.Name == "":
		return errors.New("metric has no name")
	case s.Better != HigherIsBetter && s.Better != LowerIsBetter:
		return fmt.Errorf("direction %q (want %q or %q)", s.Better, HigherIsBetter, LowerIsBetter)
	case margin < 0 || math.IsNaN(margin) || math.IsInf(margin, 0):
		return fmt.Errorf("margin %v (want a relative size ≥ 0, e.g. 0.05)", margin)
	case opt.Resamples < 0:
		return fmt.Errorf("resamples %d (want > 0)", opt.Resamples)
	case len(base) == 0:
		return errors.New("no base values")
	case len(cur) == 0:
		return errors.New("no new values")
	}
	for _, sd := range []struct {
		name   string
		values []float64
	}{{"base", base}, {"new", cur}} {
		for i, v := range sd.values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s value %d is %v", sd.name, i+1, v)
			}
		}
	}
	return nil
}

// side summarises values, which are not empty and finite.
func side(values []float64) Side {
	s := Side{N: len(values), Values: slices.Clone(values)}
	s.Mean, _ = stats.Mean(values)
	s.Median, _ = stats.Median(values)
	if s.N >= 2 {
		sd, _ := stats.StandardDeviationSample(values)
		switch {
		case sd == 0:
			s.CV = ptr(0)
		case s.Mean != 0:
			s.CV = ptr(sd / math.Abs(s.Mean))
		}
	}
	return s
}

// decide applies the verdict rules of the package doc.
func (m *Metric) decide() (Verdict, string) {
	if m.Base.N < 2 || m.New.N < 2 {
		which := "the base side"
		if m.Base.N >= 2 {
			which = "the new side"
		} else if m.New.N < 2 {
			which = "each side"
		}
		return Insufficient, "a single replicate on " + which + " cannot decide (want ≥ 2 a side, 3 or more recommended)"
	}
	lo, hi := m.relInterval()
	mg := m.Margin
	band := "±" + pct(mg)
	ci := m.ciText()
	above, below := "+"+pct(mg), "-"+pct(mg)
	if m.CILow == nil { // a zero base mean: the interval is absolute
		above, below = "0 (a rise from zero", "0 (a fall to below zero"
	}
	better := " (" + string(m.Direction) + " is better)"
	if m.CILow == nil {
		better = "; " + string(m.Direction) + " is better)"
	}
	switch {
	case m.Direction == LowerIsBetter && lo > mg:
		return Regressed, "the whole 95% CI " + ci + " lies above " + above + better
	case m.Direction == HigherIsBetter && hi < -mg:
		return Regressed, "the whole 95% CI " + ci + " lies below " + below + better
	case m.Direction == LowerIsBetter && hi < -mg:
		return Improved, "the whole 95% CI " + ci + " lies below " + below + better
	case m.Direction == HigherIsBetter && lo > mg:
		return Improved, "the whole 95% CI " + ci + " lies above " + above + better
	}
	for _, s := range []struct {
		name string
		side *Side
	}{{"base", &m.Base}, {"new", &m.New}} {
		switch cv := s.side.CV; {
		case cv == nil:
			return Erratic, "the " + s.name + " replicates spread around a zero mean"
		case *cv > mg:
			return Erratic, "the " + s.name + " replicates' spread (CV " + pct(*cv) + ") exceeds the " + pct(mg) + " margin"
		}
	}
	if lo >= -mg && hi <= mg {
		return NoChange, "the 95% CI " + ci + " lies within " + band
	}
	return Erratic, "the 95% CI " + ci + " straddles the " + band + " margin"
}

// relInterval returns the relative interval the verdict reads. With a zero base mean the absolute
// interval's ends map to −∞, 0 or +∞ by their sign: a rise from zero is beyond every margin.
func (m *Metric) relInterval() (lo, hi float64) {
	if m.CILow != nil {
		return *m.CILow, *m.CIHigh
	}
	sign := func(v float64) float64 {
		switch {
		case v > 0:
			return math.Inf(1)
		case v < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return sign(*m.CILowAbs), sign(*m.CIHighAbs)
}

// ciText writes the interval as renderers and reasons show it: relative when the base mean is not 0,
// absolute otherwise, "-" without an interval.
func (m *Metric) ciText() string {
	switch {
	case m.CILow != nil:
		return "[" + signedPct(*m.CILow) + ", " + signedPct(*m.CIHigh) + "]"
	case m.CILowAbs != nil:
		return "[" + m.signedValue(*m.CILowAbs) + ", " + m.signedValue(*m.CIHighAbs) + "]"
	}
	return "-"
}

// value formats v with the metric's Format.
func (m *Metric) value(v float64) string {
	if m.format != nil {
		return m.format(v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// signedValue formats v with a leading sign.
func (m *Metric) signedValue(v float64) string {
	if v < 0 {
		return "-" + m.value(-v)
	}
	return "+" + m.value(v)
}

// pct writes a fraction as a percentage with one decimal: 0.05 → "5.0%".
func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// signedPct writes a fraction as a signed percentage: "+4.2%", "-0.3%".
func signedPct(f float64) string {
	if f < 0 {
		return "-" + pct(-f)
	}
	return "+" + pct(f)
}

func ptr(v float64) *float64 { return &v }
