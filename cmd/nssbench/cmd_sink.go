package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

// sinkCmdFlags are the flags of 'sink'.
type sinkCmdFlags struct {
	traffic    trafficFlags
	sinkOpts   sink.Flags
	listen     *string
	report     *reportFlags
	shards     *int
	drain      *time.Duration
	quiet      *bool
	startAt    pacer.StartFlag
	thresholds threshold.List
	target     *probe.Target
}

func addSinkFlags(fs *flag.FlagSet) *sinkCmdFlags {
	f := &sinkCmdFlags{
		listen: fs.String("listen", "tcp://127.0.0.1:5515", "receive what the collector forwards on tcp://, udp:// or http://host:port"),
		shards: fs.Int("shards", 1, "the run's shard count n (run -shard i/n)"),
		drain:  fs.Duration("drain", 10*time.Second, "how long to wait for records after the schedule's last due time"),
		quiet:  fs.Bool("quiet", false, "no progress lines on stderr"),
	}
	f.target = addProbeFlags(fs)
	f.traffic = trafficFlags{quiet: f.quiet}
	f.traffic.PacerHint = "-rate"
	f.traffic.addScenarioFlags(fs, "the run's built-in scenario name or scenario file, as given to its shards")
	f.traffic.addScheduleFlags(fs, "the run's length (overrides the scenario), as given to its shards",
		"the run's event count (overrides the scenario), as given to its shards",
		"the run's constant rate, e.g. 20000/s (overrides the scenario's pacer), as given to its shards")
	addSinkOptionFlags(fs, &f.sinkOpts)
	fs.Var(&f.startAt, "start-at", "the shards' -start-at: the run's t=0 (RFC 3339, e.g. 2026-11-25T23:30:00Z); required")
	fs.Var(&f.thresholds, "threshold", "a CI gate such as 'p99<5ms', 'lost==0', 'mismatches==0'; repeatable")
	fs.Lookup("connections").Usage = "the run's connections per shard (overrides the scenario), as given to its shards"
	f.report = addReportFlags(fs)
	return f
}

func cmdSink(e *env, args []string) int {
	fs := newFlagSet("sink")
	f := addSinkFlags(fs)
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	cfg, scn, err := f.config(e, f.traffic.parsed(fs))
	if err != nil {
		return usageError(e.stderr, "sink", err)
	}
	if !*f.quiet {
		cfg.Listening = func(url string) { fmt.Fprintf(e.stderr, "nssbench: %s\n", cfg.Announcement(url)) }
		cfg.Progress = func(p progress.Snapshot) { progressOf(e).Line(p.SinkLine()) }
		cfg.Draining = func(n uint64) { progressOf(e).Drain(n, cfg.DrainTimeout) }
	}
	began := time.Now()
	rep, err := sink.Run(e.ctx, cfg)
	if err != nil {
		if cfg.Progress != nil {
			progressOf(e).End("")
		}
		return failure(e.stderr, "sink", err)
	}
	if !*f.quiet {
		progressOf(e).Done(began)
	}
	return finishReport(e, "sink", rep, scn.Gate(rep, f.thresholds), *f.report)
}

// config turns the parsed flags into the sink's configuration; every error is a usage error.
func (f *sinkCmdFlags) config(e *env, set map[string]bool) (sink.RunConfig, *scenarios.Scenario, error) {
	var cfg sink.RunConfig
	if err := sink.CheckFlags(f.startAt.Time, *f.shards, *f.drain); err != nil {
		return cfg, nil, err
	}
	opts, err := f.sinkOpts.Options()
	if err != nil {
		return cfg, nil, err
	}
	tg, err := f.target.Resolve(false)
	if err != nil {
		return cfg, nil, err
	}
	su, _, err := f.traffic.setup(e, "sink", "", false)
	if err != nil {
		return cfg, nil, err
	}
	if cfg, err = sink.ForScenario(su); err != nil {
		return cfg, nil, err
	}
	cfg.Shards, cfg.Start, cfg.Listen, cfg.Options, cfg.DrainTimeout, cfg.Probe = *f.shards, f.startAt.Time, *f.listen, opts, *f.drain, tg
	return cfg, su.Scenario, nil
}
