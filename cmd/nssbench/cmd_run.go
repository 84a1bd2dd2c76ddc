package main

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/replicates"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

// runFlags are the flags of 'run'.
type runFlags struct {
	runnerFlags
	report              *reportFlags
	replay              *string
	quiet, replayTiming *bool
	deliverAll          *bool
	speed               *float64
	drain               *time.Duration
	repeat              *int
	thresholds          threshold.List
	startAt             pacer.StartFlag
	syslog              generator.Syslog
}

func addRunFlags(fs *flag.FlagSet) *runFlags {
	f := &runFlags{
		quiet:      fs.Bool("quiet", false, "no progress lines on stderr"),
		replay:     fs.String("replay", "", "send these recorded NSS lines verbatim, in order, at their recorded times (a file, .zst too; a corpus: its directory or input.log[.zst]), each checked against the reference pipeline's verdict of it, or against a corpus's expected verdicts"),
		speed:      fs.Float64("speed", 1, "with -replay: replay this many times faster than recorded"),
		drain:      fs.Duration("drain", 10*time.Second, "how long to wait for records in flight after the last send (external: at the sink); the run ends by the schedule's end plus this, the records unsent then lost (not_sent)"),
		deliverAll: fs.Bool("deliver-all", false, "deliver the whole schedule however late, instead of ending by the schedule's end plus -drain"),
		repeat: fs.Int("repeat", 1, "run the experiment this many times, one after another, with the same scenario, seed and schedule; "+
			"N > 1 writes each report to the -json directory (old name -out) as run-1.json … run-N.json, replicates for 'report compare'"),
	}
	f.replayTiming = fs.Bool("replay-timing-only", false, "with -replay: send the scenario's generated records at the recording's times instead of the recorded lines")
	f.traffic = trafficFlags{
		strict:     fs.Bool("strict", false, "embedded collector: parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed)"),
		notePrefix: "nssbench", quiet: f.quiet,
	}
	f.traffic.Syslog, f.traffic.CheckTarget, f.traffic.PacerHint = &f.syslog, true, "-rate or -replay"
	f.traffic.addScenarioFlags(fs, "built-in scenario name or scenario file (see 'nssbench scenarios')")
	f.traffic.addPipelineFlags(fs)
	f.traffic.addScheduleFlags(fs, "run for this long (overrides the scenario)", "send at most this many events (overrides the scenario)",
		"constant rate, e.g. 20000/s, or a volume such as 50GB/day or 2MB/s, converted through the scenario's mean event size (overrides the scenario's pacer)")
	f.addRunnerFlags(fs, "send to an external collector instead of the embedded one",
		"send only the i-th of n disjoint parts of the schedule, e.g. 2/16 (see 'report merge')")
	fs.StringVar(&f.external.Listen, "listen", "", "embedded collector: listen on this tcp://host:port (default: a free loopback port)")
	fs.Var(&f.startAt, "start-at", "set up, then start the schedule at this wall-clock time (RFC 3339, e.g. 2026-11-25T23:30:00Z), so that shards share one t=0; empty: at once")
	fs.Var(&f.syslog, "syslog", syslogUsage)
	fs.Var(&f.thresholds, "threshold", "a CI gate such as 'p99<5ms', 'lost==0', 'achieved>=0.99*offered', 'mismatches==0'; repeatable")
	f.report = addReportFlags(fs)
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
	warn(e, "run", cfg.ListenWarning())
	began := time.Now()
	if !*f.quiet {
		cfg.Progress = func(p progress.Snapshot) { progressOf(e).Line(p.Line(scn.Duration)) }
		cfg.Draining = func(n uint64) { progressOf(e).Drain(n, cfg.DrainTimeout) }
		for _, l := range cfg.Announcement() {
			fmt.Fprintf(e.stderr, "nssbench: %s\n", l)
		}
	}
	if *f.repeat > 1 {
		return runReplicates(e, f, cfg, scn)
	}
	rep, err := run.Run(e.ctx, cfg)
	if err != nil {
		if cfg.Progress != nil {
			progressOf(e).End("")
		}
		return failure(e.stderr, "run", err)
	}
	if !*f.quiet {
		progressOf(e).Done(began)
	}
	if late := cfg.LateStart(rep); late != "" {
		fmt.Fprintf(e.stderr, "nssbench run: %s\n", late)
	}
	return finishReport(e, "run", rep, scn.Gate(rep, f.thresholds), *f.report)
}

// config turns the parsed flags into the run's configuration; every error is a usage error.
func (f *runFlags) config(e *env, set map[string]bool) (run.Config, *scenarios.Scenario, error) {
	if err := replicates.CheckRepeat(*f.repeat, f.report.ReportPaths, f.startAt.Time); err != nil {
		return run.Config{}, nil, err
	}
	if err := sink.CheckDrain(*f.drain); err != nil {
		return run.Config{}, nil, err
	}
	// The embedded collector samples itself (generator included, and the report says so).
	cfg, su, err := f.base(e, "run", set, *f.replay != "", true)
	if err != nil {
		return cfg, nil, err
	}
	scn, verbatim := su.Scenario, *f.replay != "" && !*f.replayTiming
	if *f.replayTiming && *f.replay == "" {
		return cfg, nil, errors.New("-replay-timing-only needs -replay FILE")
	}
	cfg.DrainTimeout, cfg.DeliverAll = *f.drain, *f.deliverAll
	scn.Describe(&cfg.Meta)
	if verbatim {
		err = f.replayConfig(e, &cfg, scn.ReplayLimit(set["duration"]))
	} else {
		cfg.Pacer, err = scenarios.PacerFor(scn, *f.replay, *f.speed, set["duration"])
	}
	if err != nil {
		return cfg, nil, err
	}
	cfg.StartAt = f.startAt.Time
	cfg.Describe()
	if *f.repeat > 1 {
		if err := replicates.PrepareDir(f.report.JSON); err != nil {
			return cfg, nil, fmt.Errorf("-out: %w", err)
		}
	}
	return cfg, scn, nil
}

// finishReport says which of rep's gates (applied) failed as not observed, one line each so that a CI
// log shows it first, prints rep (its first screen with -summary; not when a file is '-', stdout),
// writes the requested files and returns the exit code: interrupted, conformance (mismatches or a
// failed gate: passed false), or ok.
func finishReport(e *env, cmd string, rep *reports.Report, passed bool, rf reportFlags) int {
	for _, l := range threshold.NotObserved(rep) {
		fmt.Fprintf(e.stderr, "nssbench %s: %s\n", cmd, l)
	}
	if err := outputs(e, cmd).Report(rep, rf.Text(rf.summary), rf.ReportPaths); err != nil {
		return failure(e.stderr, cmd, err)
	}
	switch {
	case rep.Meta.Interrupted:
		return exitInterrupted
	case rep.Conformance.Mismatches > 0 || !passed:
		return exitConformance
	}
	return exitOK
}
