// Package sweep plans capacity: it finds the highest offered rate a collector sustains within a service
// level objective (SLO) by running short load steps and judging each with thresholds.
//
// The search is geometric then binary. Steps start at Config.Start and grow by Config.Factor until one
// fails its SLO; the rate that failed and the last that passed bracket the knee, and bisection narrows the
// bracket until its width is within Config.Precision of the passing rate:
//
//	achieved
//	    │             ·  ·  ×  ×      × failed (p99 over the SLO, events lost, …)
//	    │          ·°                 · passed
//	    │       ·        ▲ the capacity: Best ≤ capacity < Knee, Knee-Best ≤ Precision·Best
//	    │    ·
//	    └──────────────────── offered
//	      1k 2k  4k  8k 12k 16k       grow 1k,2k,4k,8k,16k×; bisect 12k×,10k·,11k×,10.5k·
//
// When Start itself fails, steps shrink by Factor until one passes (or the rate falls below MinRate).
//
// Each step is a whole run (see harness/run and FromRun), judged by reports/threshold: a step passes when
// every SLO threshold holds on its report. Results near the knee are noisy by nature — a collector at 97%
// of its capacity may pass one three-second step and fail the next — so the search reports what it
// measured: every step, the bracket, and the highest achieved rate. Config.Retries gives a failed step
// another chance, and Config.Warmup keeps a cold start out of the first step.
//
// A sweep also knows when it measured itself. A step that failed because the load generator fell behind
// while the collector kept up (sender-bound, see Classify), or that overran its time without the
// collector pushing back, is inconclusive: it says nothing about the collector, so it never lowers the
// knee. The search bisects below it instead and, when it converges against it, stops with
// StopInconclusive: the capacity is at least Best, and the load generator could not offer more. Repeated
// tries keep their figures, so a result that rests on noisy or inconclusive steps says so, with the
// spread of the tries (Result.Caveats).
//
// When the steps' runs measure their target (run.Config.Probe: -target-pid), each step keeps the
// collector's CPU and memory, and Config.Plan turns the sustainable rate and its cost into a sizing plan (see Plan). The search logic
// itself is pure (a function of step outcomes), so it is tested with a fake RunFunc and no sockets.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// RunFunc runs one step: load offered at rate events per second for d, returning the step's report.
// It should stop generating when ctx is done and still return a report of what it did, marked
// Meta.Interrupted, as run.Run does. An error means the step could not run at all.
type RunFunc func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error)

// DefaultSLO is the SLO a sweep judges steps by when Config.SLO is empty: end-to-end p99 under 50 ms,
// nothing lost, and at least 99% of the offered rate achieved.
func DefaultSLO() []*threshold.Threshold {
	return []*threshold.Threshold{
		threshold.MustParse("p99<50ms"),
		threshold.MustParse("lost==0"),
		threshold.MustParse("achieved>=0.99*offered"),
	}
}

// Defaults of Config's optional fields.
const (
	DefaultFactor       = 2.0
	DefaultPrecision    = 0.05
	DefaultStepDuration = 3 * time.Second
	DefaultMaxSteps     = 32
)

// Config describes a sweep. Rates are events per second. Start and Run are required; zero values of the
// other fields take the defaults named on each.
type Config struct {
	Start     float64 // first offered rate; > 0
	Factor    float64 // growth between grow steps, > 1 (default DefaultFactor)
	Precision float64 // stop bisecting when Knee-Best ≤ Precision·Best, in (0, 1) (default DefaultPrecision, 5%)
	MaxRate   float64 // never offer more than this (0: no cap); when it passes the sweep stops with StopMaxRate
	MinRate   float64 // stop shrinking below this (default Start/100)
	MaxSteps  int     // stop after this many steps (default DefaultMaxSteps)

	StepDuration time.Duration // how long each step offers load (default DefaultStepDuration)
	// Warmup, when positive, offers Start for this long before the first step, unjudged: the first step
	// then does not pay for what a process and its collector do once (connection setup, lazily built
	// tables, cold caches), which can fail a short step at a rate that is easily sustained.
	Warmup time.Duration
	// StepTimeout cuts a step's generation short after this long (default 2·StepDuration + 1s): a step
	// offered far more than the collector takes would otherwise run until its whole schedule was sent.
	// A step cut short fails as overrun.
	StepTimeout time.Duration
	// Retries runs a step that did not pass (failed its SLO, overran or was inconclusive) again, up to
	// this many times; the step passes if any try passes, and fails if any try failed conclusively.
	// Noise on a shared machine (other processes, a GC pause, a scheduler hiccup) only ever makes a step
	// look worse, never better, so a retry cannot hide a real overload but can undo a spurious failure
	// near the knee. Interrupted steps are not retried. Default 0.
	Retries int
	// Plan, when its Rate is positive, asks for a sizing plan from the sustainable rate found and its
	// cost (Result.Plan).
	Plan PlanRequest

	SLO []*threshold.Threshold // every step must pass all of them (default DefaultSLO)
	Run RunFunc                // runs one step

	// Meta describes the sweep for its result (scenario, target, version, machine); Run fills Started,
	// Duration and Interrupted.
	Meta reports.Meta
	// Progress, when set, is called after each step, from the goroutine that called Run.
	Progress func(Step)
}

// defaults fills the zero optional fields.
func (c *Config) defaults() {
	if c.Factor == 0 {
		c.Factor = DefaultFactor
	}
	if c.Precision == 0 {
		c.Precision = DefaultPrecision
	}
	if c.MinRate == 0 {
		c.MinRate = c.Start / 100
	}
	if c.MaxSteps == 0 {
		c.MaxSteps = DefaultMaxSteps
	}
	if c.StepDuration == 0 {
		c.StepDuration = DefaultStepDuration
	}
	if c.StepTimeout == 0 {
		c.StepTimeout = 2*c.StepDuration + time.Second
	}
	if len(c.SLO) == 0 {
		c.SLO = DefaultSLO()
	}
}

// Validate reports every problem of c, defaults applied, at once: what Run would reject.
func (c Config) Validate() error {
	c.defaults()
	return c.validate()
}

// validate reports every problem of a defaulted config at once.
func (c *Config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !(c.Start > 0) {
		bad("start rate %g must be > 0", c.Start)
	}
	if !(c.Factor > 1) {
		bad("factor %g must be > 1", c.Factor)
	}
	if !(c.Precision > 0 && c.Precision < 1) {
		bad("precision %g must be in (0, 1), e.g. 0.05 for 5%%", c.Precision)
	}
	if c.MaxRate < 0 || c.MaxRate > 0 && c.MaxRate < c.Start {
		bad("max rate %g must be 0 (no cap) or at least the start rate %g", c.MaxRate, c.Start)
	}
	if !(c.MinRate > 0) || c.MinRate > c.Start {
		bad("min rate %g must be in (0, start rate %g]", c.MinRate, c.Start)
	}
	if c.MaxSteps < 1 {
		bad("max steps %d must be >= 1", c.MaxSteps)
	}
	if c.StepDuration <= 0 {
		bad("step duration %v must be > 0", c.StepDuration)
	}
	if c.Retries < 0 {
		bad("retries %d must be >= 0", c.Retries)
	}
	if err := c.Plan.validate(); err != nil {
		bad("%v", err)
	}
	if c.Warmup < 0 {
		bad("warmup %v must be >= 0", c.Warmup)
	}
	if c.StepTimeout < c.StepDuration {
		bad("step timeout %v must be at least the step duration %v", c.StepTimeout, c.StepDuration)
	}
	for i, t := range c.SLO {
		if t == nil {
			bad("SLO threshold %d is nil", i+1)
		}
	}
	if c.Run == nil {
		bad("no Run function")
	}
	if len(errs) > 0 {
		return fmt.Errorf("sweep config: %w", errors.Join(errs...))
	}
	return nil
}

// settings returns what the (defaulted) config will do, for results and String.
func (c *Config) settings() Settings {
	slo := make([]string, len(c.SLO))
	for i, t := range c.SLO {
		if t != nil {
			slo[i] = t.String()
		}
	}
	return Settings{
		Start: c.Start, Factor: c.Factor, Precision: c.Precision, MaxRate: c.MaxRate, MinRate: c.MinRate,
		MaxSteps: c.MaxSteps, StepDuration: c.StepDuration, StepTimeout: c.StepTimeout, Warmup: c.Warmup, Retries: c.Retries, SLO: slo,
	}
}

// String describes the sweep the config asks for, defaults applied, e.g.
// "Sweep{from 1000/s ×2 to within 5%, steps of 3s, SLO p99<50ms, lost==0, achieved>=0.99*offered}".
func (c Config) String() string {
	c.defaults()
	return c.settings().String()
}

// Settings is a sweep's configuration as it ran, recorded in its result.
type Settings struct {
	Start        float64       `json:"start"`
	Factor       float64       `json:"factor"`
	Precision    float64       `json:"precision"`
	MaxRate      float64       `json:"maxRate"` // 0: no cap
	MinRate      float64       `json:"minRate"`
	MaxSteps     int           `json:"maxSteps"`
	StepDuration time.Duration `json:"stepDuration"` // nanoseconds in JSON
	StepTimeout  time.Duration `json:"stepTimeout"`  // nanoseconds in JSON
	Warmup       time.Duration `json:"warmup"`       // nanoseconds in JSON; 0: none
	Retries      int           `json:"retries"`
	SLO          []string      `json:"slo"` // threshold expressions as written
}

// String describes the settings in one line (see Config.String).
func (s Settings) String() string {
	var b strings.Builder
	b.WriteString("Sweep{from ")
	b.WriteString(rateString(s.Start))
	b.WriteString(" ×")
	b.WriteString(strconv.FormatFloat(s.Factor, 'g', -1, 64))
	if s.MaxRate > 0 {
		b.WriteString(" up to ")
		b.WriteString(rateString(s.MaxRate))
	}
	b.WriteString(" to within ")
	b.WriteString(reports.FormatRatio(s.Precision))
	b.WriteString(", steps of ")
	b.WriteString(s.StepDuration.String())
	if s.Warmup > 0 {
		b.WriteString(" after a warmup of ")
		b.WriteString(s.Warmup.String())
	}
	if s.Retries > 0 {
		b.WriteString(", failures retried ")
		b.WriteString(strconv.Itoa(s.Retries))
		b.WriteString("×")
	}
	b.WriteString(", SLO ")
	b.WriteString(strings.Join(s.SLO, ", "))
	b.WriteString("}")
	return b.String()
}

// rateString writes a rate compactly: "1000/s", "10500/s", "333.3/s".
func rateString(r float64) string {
	if r == float64(int64(r)) {
		return strconv.FormatInt(int64(r), 10) + "/s"
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "/s"
}

// Run sweeps the offered rate as cfg describes and returns every step and the highest sustainable rate.
//
// Steps run one at a time, from the calling goroutine, each bounded by StepTimeout. A cancelled ctx stops
// the sweep: the step in progress stops generating, drains and is recorded as interrupted (it is not
// judged; a step whose run fails once ctx is cancelled is not recorded), and Run returns what was found so
// far with Stop StopInterrupted and a nil error. An error from cfg.Run ends the sweep too; Run then returns
// the result so far (Stop StopError) and the error. An invalid cfg is an error and no result.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	res := &Result{Schema: Schema, Meta: cfg.Meta, Settings: cfg.settings(), Steps: []Step{}}
	res.Meta.Started = time.Now().UTC()
	start := time.Now()
	s := newSearch(cfg.Start, cfg.Factor, cfg.Precision, cfg.MaxRate, cfg.MinRate)
	err := cfg.warmup(ctx)
	switch {
	case ctx.Err() != nil: // interrupted during the warmup, whatever its run made of it
		res.Stop, err = StopInterrupted, nil
	case err != nil:
		res.Stop = StopError
	}
	for err == nil && res.Stop != StopInterrupted {
		rate, phase, ok := s.step()
		if !ok {
			res.Stop = s.stop
			break
		}
		if ctx.Err() != nil {
			res.Stop = StopInterrupted
			break
		}
		if len(res.Steps) >= cfg.MaxSteps {
			res.Stop = StopMaxSteps
			break
		}
		var st Step
		st, err = cfg.step(ctx, len(res.Steps)+1, phase, rate)
		if err != nil && ctx.Err() != nil { // the run failed because it was interrupted
			res.Stop, err = StopInterrupted, nil
			break
		}
		if err != nil {
			res.Stop = StopError
			err = fmt.Errorf("sweep step %d at %s: %w", len(res.Steps)+1, rateString(rate), err)
			break
		}
		res.Steps = append(res.Steps, st)
		if cfg.Progress != nil {
			cfg.Progress(st)
		}
		if st.Interrupted {
			res.Stop = StopInterrupted
			break
		}
		s.record(st.outcome())
	}
	res.Best, res.Knee, res.Ceiling = s.lo, s.hi, s.ceil
	for _, st := range res.Steps {
		if !st.Interrupted && st.Achieved > res.Peak {
			res.Peak = st.Achieved
		}
	}
	res.Meta.Duration = time.Since(start)
	res.Meta.Interrupted = res.Stop == StopInterrupted
	if cfg.Plan.Rate > 0 {
		res.Plan = NewPlan(res, cfg.Plan)
	}
	return res, err
}

// warmup offers Start for Warmup, if any, and forgets the report.
func (c *Config) warmup(ctx context.Context) error {
	if c.Warmup <= 0 || ctx.Err() != nil {
		return nil
	}
	sctx, cancel := context.WithTimeout(ctx, c.StepTimeout+c.Warmup)
	defer cancel()
	if _, err := c.Run(sctx, c.Start, c.Warmup); err != nil {
		return fmt.Errorf("sweep warmup at %s: %w", rateString(c.Start), err)
	}
	return nil
}

// step runs and judges one step, trying again after anything but a pass or an interrupt as Retries
// allows. The step's figures are those of the try that decides it: the one that passed, else the last
// that failed conclusively, else the last.
func (c *Config) step(ctx context.Context, n int, phase Phase, rate float64) (Step, error) {
	var tries []Try
	var decided *Step
	for try := 1; ; try++ {
		st, err := c.try(ctx, n, phase, rate)
		if err != nil {
			return Step{}, err
		}
		tries = append(tries, st.asTry())
		if decided == nil || !st.Inconclusive || decided.Inconclusive {
			decided = &st // a conclusive failure is kept over a later inconclusive try
		}
		if st.Pass || st.Interrupted || try > c.Retries {
			break
		}
	}
	st := *decided
	st.Tries, st.Attempts = len(tries), tries
	return st, nil
}

// try runs one step once and judges it.
func (c *Config) try(ctx context.Context, n int, phase Phase, rate float64) (Step, error) {
	sctx, cancel := context.WithTimeout(ctx, c.StepTimeout)
	defer cancel()
	rep, err := c.Run(sctx, rate, c.StepDuration)
	if err != nil {
		return Step{}, err
	}
	if rep == nil {
		return Step{}, errors.New("the step's run returned no report")
	}
	st := newStep(n, phase, rate, rep)
	if rep.Target != nil && rep.Target.Samples > 0 {
		u := rep.Target.TargetUsage
		u.Timeline = nil // a step keeps the summary; the step's report has the timeline
		st.Target = &u
	}
	passed := threshold.Apply(rep, c.SLO...)
	st.Thresholds = rep.Thresholds
	cls := Classify(rep, c.StepDuration)
	st.Backlog, st.WireP99, st.SenderBound = cls.Backlog, cls.WireP99, cls.Bound == BoundSender
	switch {
	case ctx.Err() != nil:
		st.Interrupted = true
	case rep.Meta.Interrupted:
		st.Overrun = true
		// Cut short: the schedule could not be sent in time. Only a collector seen pushing back makes
		// that the collector's failure.
		st.Inconclusive = cls.Bound != BoundCollector
	case passed:
		st.Pass = true
	default:
		st.Inconclusive = st.SenderBound
	}
	return st, nil
}
