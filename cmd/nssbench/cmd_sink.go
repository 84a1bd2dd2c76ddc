package main

import (
	"flag"
	"fmt"
	"runtime"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

func cmdSink(e *env, args []string) int {
	fs := newFlagSet(e, "sink", "sink -start-at TIME [flags]", `  # The one place a collector forwards a sharded run to: give it the shards' scenario, rate, length and start.
  nssbench sink -listen tcp://0.0.0.0:5515 -scenario default -rate 400000/s -duration 60s -shards 16 \
      -start-at 2026-11-25T23:30:00Z -out sink.json
  # ... while each shard i runs:
  nssbench run -target tcp://collector:5514 -scenario default -rate 400000/s -duration 60s -shard i/16 \
      -start-at 2026-11-25T23:30:00Z -out shard-i.json
`)
	var (
		listen     = fs.String("listen", "tcp://127.0.0.1:5515", "receive what the collector forwards on tcp://, udp:// or http://host:port")
		duration   = fs.Duration("duration", 0, "the run's length (overrides the scenario), as given to its shards")
		count      = fs.Uint64("count", 0, "the run's event count (overrides the scenario), as given to its shards")
		shards     = fs.Int("shards", 1, "the run's shard count n (run -shard i/n)")
		drain      = fs.Duration("drain", 10*time.Second, "how long to wait for records after the schedule's last due time")
		quiet      = fs.Bool("quiet", false, "no progress lines on stderr")
		out        = fs.String("out", "", "also write the complete report as JSON to this file")
		md         = fs.String("md", "", "also write the report as Markdown to this file")
		htmlOut    = fs.String("html", "", "also write a self-contained HTML report with charts to this file")
		rate       rateValue
		startAt    timeValue
		thresholds threshold.List
	)
	scnFlags := addScenarioFlags(fs, "the run's built-in scenario name or scenario file, as given to its shards")
	sinkOpts := addSinkOptionFlags(fs)
	fs.Var(&rate, "rate", "the run's constant rate, e.g. 20000/s (overrides the scenario's pacer), as given to its shards")
	fs.Var(&startAt, "start-at", "the shards' -start-at: the run's t=0 (RFC 3339, e.g. 2026-11-25T23:30:00Z); required")
	fs.Var(&thresholds, "threshold", "a CI gate such as 'p99<5ms', 'lost==0', 'mismatches==0'; repeatable")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, "sink", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if startAt.t.IsZero() {
		return usageError(e.stderr, "sink", fmt.Errorf("-start-at is required: the time the shards were started with"))
	}
	if *shards < 1 {
		return usageError(e.stderr, "sink", fmt.Errorf("-shards %d: want 1 or more", *shards))
	}
	opts, err := sinkOpts.options()
	if err != nil {
		return usageError(e.stderr, "sink", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	scn, err := scnFlags.load(set)
	if err != nil {
		return usageError(e.stderr, "sink", err)
	}
	if err := overrideSchedule(scn, set, *duration, *count, rate.perSecond); err != nil {
		return usageError(e.stderr, "sink", err)
	}
	if scn.Pacer.Shape == "" {
		return usageError(e.stderr, "sink", fmt.Errorf("scenario %s has no pacer: give -rate", scn.Name))
	}
	gen, err := run.GeneratorFor(scn, true)
	if err != nil {
		return usageError(e.stderr, "sink", err)
	}
	pc, err := run.PacerFor(scn.Pacer, pacer.Limit{Duration: scn.Duration, Count: scn.Count})
	if err != nil {
		return usageError(e.stderr, "sink", err)
	}

	cfg := run.SinkConfig{
		Generator: gen, Pacer: pc, Connections: scn.Connections, Shards: *shards, Start: startAt.t,
		Listen: *listen, Options: opts, DrainTimeout: *drain,
		Meta: reports.Meta{
			Scenario: scn.Name, Description: scn.Description, Seed: scn.Seed, Pacer: pc.String(),
			OfferedRate: nominalRate(pc), Version: version(), GoVersion: runtime.Version(), Machine: machine(),
		},
	}
	describeScenario(&cfg.Meta, scn)
	if !*quiet {
		cfg.Listening = func(url string) {
			fmt.Fprintf(e.stderr, "nssbench: sink on %s for scenario %s, %s, %d shard(s) of %d connection(s), starting at %s\n",
				url, scn.Name, pc, *shards, max(scn.Connections, 1), startAt.t.Format(time.RFC3339Nano))
		}
		cfg.Progress = func(p run.Progress) { sinkProgressLine(e, p) }
	}
	rep, err := run.RunSink(e.ctx, cfg)
	if cfg.Progress != nil && isTerminal(e.stderr) {
		fmt.Fprintln(e.stderr) // end the refreshing progress line
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench sink: %v\n", err)
		return exitFailure
	}
	gates, leftOut := runGates(scn, thresholds, sinkVantage)
	rep.ThresholdsLeftOut = leftOut
	return finishReport(e, "sink", rep, gates, *out, *md, *htmlOut)
}

// sinkProgressLine prints one progress update of a standalone sink on stderr, refreshing in place on a
// terminal.
func sinkProgressLine(e *env, p run.Progress) {
	line := fmt.Sprintf("the schedule starts in %v", (-p.Elapsed).Round(time.Second))
	if p.Elapsed >= 0 {
		line = fmt.Sprintf("%s  due %d  delivered %d  p99 %v (includes the clock offset)",
			p.Elapsed.Round(time.Second), p.Due, p.Verdicts, p.P99.Round(time.Microsecond))
	}
	if isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "\r\033[Knssbench: %s", line)
		return
	}
	fmt.Fprintf(e.stderr, "nssbench: %s\n", line)
}
