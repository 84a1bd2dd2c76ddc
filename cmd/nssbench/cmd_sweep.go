package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/sweep"
	"github.com/nssbench/nssbench/reports/output"
	"github.com/nssbench/nssbench/reports/replicates"
	"github.com/nssbench/nssbench/reports/threshold"
)

// sweepFlags are the flags of 'sweep'; the search's settings go straight into its sweep.Config.
type sweepFlags struct {
	runnerFlags
	sweep            sweep.Config
	jsonOut, htmlOut *string
	junit            *string
	replicates       *string
	quiet            *bool
	start, maxRate   pacer.RateFlag
	precision        sweep.Precision
	slo              threshold.List
	plan             pacer.RateOrVolume
	headroom         sweep.Headroom
}

func addSweepFlags(fs *flag.FlagSet) *sweepFlags {
	f := &sweepFlags{
		jsonOut:   fs.String("json", "", "also write the result as JSON (schema "+sweep.Schema+") to `FILE` ('-': stdout, instead of the text result)"),
		htmlOut:   fs.String("html", "", "also write a self-contained HTML capacity curve to `FILE` ('-': stdout)"),
		junit:     fs.String("junit", "", "also write the steps as JUnit XML to `FILE` ('-': stdout): a test case per step (inconclusive: skipped) and one, capacity, for the sweep's verdict"),
		quiet:     fs.Bool("quiet", false, "no per-step lines on stderr"),
		headroom:  sweep.Headroom{Fraction: sweep.DefaultHeadroom},
		start:     pacer.RateFlag{PerSecond: 1000},
		precision: sweep.Precision{Fraction: sweep.DefaultPrecision},
	}
	c := &f.sweep
	fs.Float64Var(&c.Factor, "factor", sweep.DefaultFactor, "grow the rate by this factor between steps until one fails (> 1)")
	fs.DurationVar(&c.StepDuration, "step-duration", sweep.DefaultStepDuration, "how long each step offers load")
	fs.DurationVar(&c.Warmup, "warmup", time.Second, "before the first step, offer the start rate this long, unjudged (0: no warmup)")
	fs.IntVar(&c.Retries, "retries", 0, "run a step that failed its SLO again up to this many times; it passes if any try passes (for noisy machines)")
	fs.IntVar(&c.MaxSteps, "max-steps", sweep.DefaultMaxSteps, "give up after this many steps")
	f.replicates = fs.String("replicates", "", "also write each step's complete report to this directory as step-K.json (K: the step's number), "+
		"for 'report compare' and 'report render'")
	f.traffic = trafficFlags{notePrefix: "nssbench sweep", quiet: f.quiet}
	f.traffic.CheckTarget = true
	f.traffic.addScenarioFlags(fs, "built-in scenario name or scenario file: its mix, seed and feeds (its pacer, duration and thresholds are not used)")
	f.traffic.addPipelineFlags(fs)
	f.addRunnerFlags(fs, "sweep an external collector instead of the embedded one",
		"this process is shard i/n of a sweep run from n machines: each step offers its share of the step's rate, e.g. 0/4")
	fs.Var(&f.start, "start", "the first step's offered rate, e.g. 1000/s")
	fs.Var(&f.maxRate, "max-rate", "never offer more than this rate, e.g. 200k/s (default: no cap)")
	fs.Var(&f.precision, "precision", "bisect until the knee's bracket is this narrow, relative to the passing rate: 5% or 0.05")
	fs.Var(&f.plan, "plan", "size for this rate: events/s, or a volume such as 50GB/day converted through the scenario's mean event size; a scenario with a day pacer plans for its peak hour")
	fs.Var(&f.headroom, "headroom", "with -plan: the share of each collector's sustainable rate to keep free, e.g. 30%")
	fs.Var(&f.slo, "slo", "a threshold every step must pass, e.g. 'p99<50ms'; repeatable (default: 'p99<50ms', 'lost==0', 'achieved>=0.99*offered'; with -target and no -sink: 'send.p99<50ms', 'lost.sender==0', 'sent.rate>=0.99*offered')")
	return f
}

func cmdSweep(e *env, args []string) int {
	fs := newFlagSet("sweep")
	f := addSweepFlags(fs)
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	cfg, err := f.config(e, f.traffic.parsed(fs))
	if err != nil {
		return usageError(e.stderr, "sweep", err)
	}
	res, err := sweep.Run(e.ctx, cfg)
	if res == nil { // cannot happen after Validate, but never print a nil result
		return failure(e.stderr, "sweep", err)
	}
	type format = output.Format[*sweep.Result]
	if werr := output.Render(outputs(e, "sweep"), res, sweep.Text, "result", format{Path: *f.jsonOut, R: sweep.JSON},
		format{Path: *f.htmlOut, R: sweep.HTML}, format{Path: *f.junit, R: sweep.JUnit}); werr != nil {
		return failure(e.stderr, "sweep", werr)
	}
	if *f.replicates != "" {
		if werr := res.WriteStepReports(*f.replicates, outputs(e, "sweep").Write); werr != nil {
			return failure(e.stderr, "sweep", fmt.Errorf("-replicates: %w", werr))
		}
	}
	switch {
	case err != nil:
		return failure(e.stderr, "sweep", err)
	case res.Stop == sweep.StopInterrupted:
		return exitInterrupted
	case res.Best == 0:
		return exitConformance // no rate met the SLO
	}
	return exitOK
}

// config turns the parsed flags into the sweep's configuration; every error is a usage error.
func (f *sweepFlags) config(e *env, set map[string]bool) (sweep.Config, error) {
	base, su, err := f.base(e, "sweep", set, false, false) // every step measures the target
	if err != nil {
		return sweep.Config{}, err
	}
	cfg, scn := f.sweep, su.Scenario
	if f.plan.Given != "" {
		if cfg.Plan, err = sweep.PlanFor(scn, su.Generator, &f.plan, f.headroom.Fraction); err != nil {
			return sweep.Config{}, err
		}
		if cfg.Plan.Conversion != "" && !*f.quiet {
			fmt.Fprintf(e.stderr, "nssbench sweep: -plan %s\n", cfg.Plan.Conversion)
		}
	}
	cfg.Start, cfg.Precision, cfg.MaxRate, cfg.SLO = f.start.PerSecond, f.precision.Fraction, f.maxRate.PerSecond, f.slo
	cfg.Sweeping(base)
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	if *f.replicates != "" {
		if err := replicates.PrepareDir(*f.replicates); err != nil {
			return cfg, fmt.Errorf("-replicates: %w", err)
		}
	}
	if !*f.quiet {
		fmt.Fprintf(e.stderr, "nssbench sweep: scenario %s against %s, %s\n", scn.Name, cfg.Meta.Target, cfg)
		cfg.Progress = func(st sweep.Step) { fmt.Fprintf(e.stderr, "nssbench sweep: %s\n", st.Progress()) }
	}
	return cfg, nil
}
