package main

// The one setup of a scenario's traffic that run, sweep and sink share, and the one place where cmd
// calls harness/run's setup helpers (GeneratorFor, ForCloudNSS, ReplayOffsets).

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// trafficFlags are the flags that choose a command's traffic: the scenario and its overrides, for run
// and sweep the reference pipeline's files, for run and sink the schedule's overrides.
type trafficFlags struct {
	scenario            *scenarioFlags
	rulesFile, mapsFile *string         // nil: the command has no pipeline (sink)
	duration            *time.Duration  // nil: the command keeps no schedule of the scenario's (sweep)
	count               *uint64         // with duration
	rate                rateOrVolume    // with duration; a volume is converted through the mean event size
	strict              func() bool     // the pipeline's strict CEF parsing; nil: lenient
	pacerHint           string          // with duration: the flags that give a scenario without a pacer one
	checkTarget         bool            // the scenario's transport must suit the target (run, sweep)
	notePrefix          string          // how notes about a Cloud NSS target start
	quiet               *bool           // no notes
	syslog              *syslogValue    // the -syslog flag; nil: the command has none
	set                 map[string]bool // the flags given, once parsed
}

// addPipelineFlags defines -rules and -mappings on fs.
func (f *trafficFlags) addPipelineFlags(fs *flag.FlagSet) {
	f.rulesFile = fs.String("rules", "", "collector and platform rules file (default: the built-in rules)")
	f.mapsFile = fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: the built-in mapping)")
}

// addScheduleFlags defines -duration, -count and -rate on fs, with the command's descriptions.
func (f *trafficFlags) addScheduleFlags(fs *flag.FlagSet, duration, count, rate string) {
	f.duration = fs.Duration("duration", 0, duration)
	f.count = fs.Uint64("count", 0, count)
	fs.Var(&f.rate, "rate", rate)
}

// parsed records which flags of fs were given; call it once fs is parsed.
func (f *trafficFlags) parsed(fs *flag.FlagSet) map[string]bool {
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return f.set
}

// traffic is a command's traffic, set up: the scenario with the flags applied, its generator and,
// for run and sweep, the reference pipeline.
type traffic struct {
	scn *scenarios.Scenario
	gen *generator.Generator
	pl  *pipeline.Pipeline
}

// setup loads the scenario and applies the flags (built-in defaults < scenario file < flags), adapts
// it to target ("" is the embedded collector), builds the pipeline and the generator. replay says that
// -replay paces the run, so that the scenario needs no pacer. Every error is a usage error.
func (f *trafficFlags) setup(e *env, cmd, target string, replay bool) (*traffic, error) {
	scn, err := scenarios.Open(*f.scenario.scenario)
	if err == nil {
		err = scn.Override(f.overrides())
	}
	var notes []string
	if err == nil && f.checkTarget {
		notes, err = scn.ForTarget(target)
	}
	if err == nil && f.duration != nil {
		err = scn.CheckRunnable(f.pacerHint, replay)
	}
	if err != nil {
		return nil, err
	}
	if !*f.quiet && len(notes) > 0 {
		fmt.Fprintf(e.stderr, "%s: Cloud NSS target: %s\n", f.notePrefix, strings.Join(notes, ", "))
	}
	t := &traffic{scn: scn}
	if f.rulesFile != nil {
		if t.pl, err = openPipeline(e, cmd, *f.rulesFile, *f.mapsFile, f.strict != nil && f.strict()); err != nil {
			return nil, err
		}
	}
	if t.gen, err = scenarios.GeneratorFor(scn, true); err != nil {
		return nil, err
	}
	if f.set["rate"] && f.rate.bytesPerSecond > 0 {
		mean, err := meanEventSize(t.gen, scn.Framing)
		if err != nil {
			return nil, err
		}
		note, err := f.rate.convert(mean, scn.Name)
		if err != nil {
			return nil, err
		}
		scn.Pacer = pacer.Spec{Shape: "constant", Rate: f.rate.perSecond}
		fmt.Fprintf(e.stderr, "nssbench %s: -rate %s\n", cmd, note)
	}
	return t, nil
}

// overrides returns the overrides of the flags that were set: the scenario's, -syslog, and -duration,
// -count and -rate (a constant pacer at that rate) where the command has them.
func (f *trafficFlags) overrides() scenarios.Overrides {
	o := f.scenario.overrides(f.set)
	if f.syslog != nil {
		o.Syslog = &f.syslog.form
	}
	if f.duration == nil {
		return o
	}
	if f.set["duration"] {
		o.Duration = f.duration
	}
	if f.set["count"] {
		o.Count = f.count
	}
	if f.set["rate"] {
		o.Rate = &f.rate.perSecond
	}
	return o
}

// openPipeline builds the reference pipeline from the built-in or the given rules and mappings,
// printing the mapping file's warnings.
func openPipeline(e *env, cmd, rulesFile, mapsFile string, strict bool) (*pipeline.Pipeline, error) {
	pl, warnings, err := pipeline.Load(rulesFile, mapsFile, pipeline.Options{Strict: strict})
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "nssbench %s: warning: %s:%d: %s\n", cmd, w.File, w.Line, w.Msg)
	}
	return pl, err
}

// loadPipeline is openPipeline for the commands that report its error themselves: it returns nil and
// the exit code after reporting a bad file.
func loadPipeline(e *env, cmd, rulesFile, mapsFile string, strict bool) (*pipeline.Pipeline, int) {
	pl, err := openPipeline(e, cmd, rulesFile, mapsFile, strict)
	if err != nil {
		return nil, usageError(e.stderr, cmd, err)
	}
	return pl, 0
}

// meta is the report's description of the traffic and of this machine.
func (t *traffic) meta() reports.Meta {
	m := reports.ThisBuild()
	m.Scenario, m.Description, m.Seed = t.scn.Name, t.scn.Description, t.scn.Seed
	return m
}
