package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

// runFlags are the flags of 'run'.
type runFlags struct {
	traffic                  trafficFlags
	external                 func(set map[string]bool) (run.Config, error)
	out, md, htmlOut, replay *string
	quiet, summary           *bool
	speed                    *float64
	drain                    *time.Duration
	thresholds               threshold.List
	shard                    shardValue
	startAt                  timeValue
}

func addRunFlags(fs *flag.FlagSet) *runFlags {
	f := &runFlags{
		quiet:  fs.Bool("quiet", false, "no progress lines on stderr"),
		replay: fs.String("replay", "", "pace at the original times of these NSS lines (a file or a corpus's input.log[.zst]) instead of the scenario's pacer"),
		speed:  fs.Float64("speed", 1, "with -replay: replay this many times faster than recorded"),
		drain:  fs.Duration("drain", 10*time.Second, "how long to wait for records in flight after the last send (external: at the sink)"),
	}
	strict := fs.Bool("strict", false, "embedded collector: parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed)")
	f.traffic = trafficFlags{
		scenario:  addScenarioFlags(fs, "built-in scenario name or scenario file (see 'nssbench scenarios')"),
		strict:    func() bool { return *strict },
		pacerHint: "-rate or -replay", checkTarget: true, notePrefix: "nssbench", quiet: f.quiet,
	}
	f.traffic.addPipelineFlags(fs)
	f.traffic.addScheduleFlags(fs, "run for this long (overrides the scenario)", "send at most this many events (overrides the scenario)",
		"constant rate, e.g. 20000/s (overrides the scenario's pacer)")
	f.external = addExternalFlags(fs, "send to an external collector instead of the embedded one")
	fs.Var(&f.shard, "shard", "send only the i-th of n disjoint parts of the schedule, e.g. 2/16 (see 'report merge')")
	fs.Var(&f.startAt, "start-at", "set up, then start the schedule at this wall-clock time (RFC 3339, e.g. 2026-11-25T23:30:00Z), so that shards share one t=0; empty: at once")
	fs.Var(&f.thresholds, "threshold", "a CI gate such as 'p99<5ms', 'lost==0', 'achieved>=0.99*offered', 'mismatches==0'; repeatable")
	f.out, f.md, f.htmlOut, f.summary = addReportFlags(fs)
	return f
}

func cmdRun(e *env, args []string) int {
	fs := newFlagSet("run")
	f := addRunFlags(fs)
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	cfg, scn, err := f.config(e, f.traffic.parsed(fs))
	if err != nil {
		return usageError(e.stderr, "run", err)
	}
	began := time.Now()
	if !*f.quiet {
		cfg.Progress = func(p progress.Snapshot) { progressLine(e, p.Line(scn.Duration)) }
		cfg.Draining = func(n uint64) {
			endProgress(e, fmt.Sprintf("draining: %d in flight (up to -drain %v)", n, cfg.DrainTimeout))
		}
		announceRun(e, cfg, scn)
	}
	rep, err := run.Run(e.ctx, cfg)
	if err != nil {
		if cfg.Progress != nil {
			endProgress(e, "")
		}
		return failure(e.stderr, "run", err)
	}
	if !*f.quiet {
		endProgress(e, "done in "+time.Since(began).Round(100*time.Millisecond).String())
	}
	if late := rep.Meta.Started.Sub(cfg.StartAt); !cfg.StartAt.IsZero() && late > time.Second {
		fmt.Fprintf(e.stderr, "nssbench run: -start-at %s had passed when the run was ready: it started %v late\n",
			cfg.StartAt.Format(time.RFC3339), late.Round(time.Millisecond))
	}
	gates, leftOut := scn.Gates(f.thresholds, runVantage(cfg.Target, cfg.Sink))
	rep.ThresholdsLeftOut = leftOut
	return finishReport(e, "run", rep, gates, *f.summary, *f.out, *f.md, *f.htmlOut)
}

// config turns the parsed flags into the run's configuration; every error is a usage error.
func (f *runFlags) config(e *env, set map[string]bool) (run.Config, *scenarios.Scenario, error) {
	cfg, err := f.external(set) // the external target's settings, if any
	if err != nil {
		return cfg, nil, err
	}
	t, err := f.traffic.setup(e, "run", cfg.Target, *f.replay != "")
	if err != nil {
		return cfg, nil, err
	}
	pc, err := scenarios.PacerFor(t.scn, *f.replay, *f.speed, set["duration"])
	if err != nil {
		return cfg, nil, err
	}
	cfg.Generator, cfg.Pacer, cfg.Pipeline = t.gen, pc, t.pl
	cfg.Connections, cfg.Framing = t.scn.Connections, t.scn.Framing
	cfg.DrainTimeout = *f.drain
	cfg.Shard = run.Shard{Index: f.shard.index, Count: f.shard.count}
	cfg.StartAt = f.startAt.t
	cfg.Meta = t.meta()
	cfg.Meta.Pacer = pc.String()
	t.scn.Describe(&cfg.Meta)
	cfg.Meta.RulesHash, cfg.Meta.MappingsHash = t.pl.Hashes()
	// A shard offers its share of the rate, so that merged shards add up to the whole.
	cfg.Meta.OfferedRate = pacer.Schedule{Pacer: pc, Shard: f.shard.index, Shards: f.shard.count}.Rate()
	return cfg, t.scn, nil
}

// announceRun says on stderr what the run is about to do.
func announceRun(e *env, cfg run.Config, scn *scenarios.Scenario) {
	where := "the embedded collector"
	if cfg.Target != "" {
		where = cfg.Target
		if cfg.Sink == "" {
			where += " (no -sink: delivery will not be observed)"
		} else {
			where += ", sink " + cfg.Sink
		}
	}
	fmt.Fprintf(e.stderr, "nssbench: scenario %s, %s, %d connection(s) to %s\n", scn.Name, cfg.Pacer, max(scn.Connections, 1), where)
	if !cfg.StartAt.IsZero() {
		fmt.Fprintf(e.stderr, "nssbench: the schedule starts at %s (-start-at)\n", cfg.StartAt.Format(time.RFC3339Nano))
	}
}

// finishReport applies the gates to rep, prints it (its first screen when summary; not when a file is
// '-', stdout), writes the requested files and returns the exit code: interrupted, conformance
// (mismatches or a failed gate), or ok.
func finishReport(e *env, cmd string, rep *reports.Report, gates threshold.List, summary bool, out, md, htmlOut string) int {
	passed := threshold.Apply(rep, gates...)
	warnNotObserved(e.stderr, cmd, rep)
	if err := writeReports(e, cmd, rep, textFor(summary, out, md, htmlOut), out, md, htmlOut); err != nil {
		fmt.Fprintf(e.stderr, "nssbench %s: %v\n", cmd, err)
		return exitFailure
	}
	switch {
	case rep.Meta.Interrupted:
		return exitInterrupted
	case rep.Conformance.Mismatches > 0 || !passed:
		return exitConformance
	}
	return exitOK
}
