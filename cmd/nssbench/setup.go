package main

// The one setup of a scenario's traffic that run, sweep and sink share (scenarios.Traffic), and the
// base run.Config that run and sweep build on it.

import (
	"flag"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/scenarios"
)

// trafficFlags are the flags that choose a command's traffic: the scenario and its overrides, and for
// run and sweep the reference pipeline's files.
type trafficFlags struct {
	scenarios.Traffic
	rulesFile, mapsFile *string // nil: the command has no pipeline (sink)
	strict              *bool   // the pipeline's strict CEF parsing; nil: lenient
	notePrefix          string  // how notes about a Cloud NSS target start
	quiet               *bool   // no notes
}

// addScenarioFlags defines -scenario (with the command's own description), -seed, -connections and
// -framing on fs.
func (f *trafficFlags) addScenarioFlags(fs *flag.FlagSet, scenarioUsage string) {
	fs.StringVar(&f.Scenario, "scenario", "default", scenarioUsage)
	fs.Uint64Var(&f.Seed, "seed", 0, "generator seed (overrides the scenario)")
	fs.IntVar(&f.Connections, "connections", 0, "spread the load over this many TCP connections, 1 to 100000 (overrides the scenario)")
	fs.StringVar(&f.Framing, "framing", "", "syslog framing: lf (NSS's own) or octet (RFC 6587 octet counting)")
}

// addPipelineFlags defines -rules and -mappings on fs.
func (f *trafficFlags) addPipelineFlags(fs *flag.FlagSet) {
	f.rulesFile = fs.String("rules", "", "collector and platform rules file (default: the built-in rules)")
	f.mapsFile = fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: the built-in mapping)")
}

// addScheduleFlags defines -duration, -count and -rate on fs, with the command's descriptions: the
// command keeps the scenario's schedule.
func (f *trafficFlags) addScheduleFlags(fs *flag.FlagSet, duration, count, rate string) {
	f.Schedule = true
	fs.DurationVar(&f.Duration, "duration", 0, duration)
	fs.Uint64Var(&f.Count, "count", 0, count)
	fs.Var(&f.Rate, "rate", rate)
}

// parsed records which flags of fs were given; call it once fs is parsed.
func (f *trafficFlags) parsed(fs *flag.FlagSet) map[string]bool {
	f.Given = flagsGiven(fs)
	return f.Given
}

// setup sets up the scenario for target ("" is the embedded collector; replay: -replay paces the run)
// and, where the command has one, the pipeline, printing the notes. Every error is a usage error.
func (f *trafficFlags) setup(e *env, cmd, target string, replay bool) (*scenarios.Setup, *pipeline.Pipeline, error) {
	f.Target, f.Replay = target, replay
	su, err := f.Traffic.Setup()
	if err != nil {
		return nil, nil, err
	}
	if !*f.quiet && len(su.CloudNSS) > 0 {
		fmt.Fprintf(e.stderr, "%s: Cloud NSS target: %s\n", f.notePrefix, strings.Join(su.CloudNSS, ", "))
	}
	var pl *pipeline.Pipeline
	if f.rulesFile != nil {
		if pl, err = openPipeline(e, cmd, *f.rulesFile, *f.mapsFile, f.strict != nil && *f.strict); err != nil {
			return nil, nil, err
		}
	}
	if su.Conversion != "" {
		fmt.Fprintf(e.stderr, "nssbench %s: -rate %s\n", cmd, su.Conversion)
	}
	return su, pl, nil
}

// openPipeline builds the reference pipeline from the built-in or the given rules and mappings,
// printing the mapping file's warnings.
func openPipeline(e *env, cmd, rulesFile, mapsFile string, strict bool) (*pipeline.Pipeline, error) {
	pl, warnings, err := pipeline.Load(rulesFile, mapsFile, pipeline.Options{Strict: strict})
	printWarnings(e, cmd, warnings)
	return pl, err
}

// printWarnings prints a pipeline's mapping-file warnings, one line each.
func printWarnings(e *env, cmd string, warnings []pipeline.Warning) {
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "nssbench %s: warning: %s\n", cmd, w)
	}
}

// warn prints warning, a line of cmd, unless it is "".
func warn(e *env, cmd, warning string) {
	if warning != "" {
		fmt.Fprintf(e.stderr, "nssbench %s: %s\n", cmd, warning)
	}
}

// runnerFlags are the flags run and sweep share beyond their traffic: the external target, the probe
// of the collector under test, the embedded collector's cost, the shard and the clock.
type runnerFlags struct {
	traffic  trafficFlags
	external *run.External
	target   *probe.Target
	shard    run.Shard
	clock    *generator.ClockFlag
}

// addRunnerFlags defines runnerFlags' flags on fs, with the command's descriptions of -target and
// -shard.
func (f *runnerFlags) addRunnerFlags(fs *flag.FlagSet, targetUsage, shardUsage string) {
	f.target = addProbeFlags(fs)
	f.external = addExternalFlags(fs, targetUsage)
	fs.DurationVar(&f.external.Cost, "cost", 0, "embedded collector only: extra work per record, e.g. 100us, to model a slower collector (capacity at most 1/cost)")
	fs.Var(&f.shard, "shard", shardUsage)
	f.clock = addClockFlag(fs, "wall with -target, else virtual")
}

// base sets up the traffic (trafficFlags.setup, replay as there) and returns the run.Config that run
// and sweep build on: the external target's settings, the probe (the embedded collector sampling
// itself when selfProbe), the generator, pipeline, cost, shard, connections, framing, clock and the
// scenario's meta. Every error is a usage error.
func (f *runnerFlags) base(e *env, cmd string, set map[string]bool, replay, selfProbe bool) (run.Config, *scenarios.Setup, error) {
	f.external.Given = set
	cfg, err := f.external.Config() // the external target's settings, or the embedded collector's
	if err != nil {
		return cfg, nil, err
	}
	su, pl, err := f.traffic.setup(e, cmd, cfg.Target, replay)
	if err != nil {
		return cfg, nil, err
	}
	if cfg.Probe, err = f.target.Resolve(selfProbe && cfg.Target == ""); err != nil {
		return cfg, nil, err
	}
	scn := su.Scenario
	cfg.Generator, cfg.Pipeline, cfg.Shard = su.Generator, pl, f.shard
	cfg.Connections, cfg.Framing, cfg.Clock, cfg.Meta = scn.Connections, scn.Framing, f.clock.Resolve(cfg.Target != ""), scn.Meta()
	return cfg, su, nil
}
