package main

// The one setup of a scenario's traffic that run, sweep and sink share, and the one place where cmd
// calls harness/run's setup helpers (GeneratorFor, ForCloudNSS, ReplayOffsets).

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
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

// setup loads the scenario and applies the flags (built-in defaults < scenario file < flags), checks
// it against target ("" is the embedded collector), builds the pipeline and the generator. replay
// says that -replay paces the run, so that the scenario needs no pacer. Every error is a usage error.
func (f *trafficFlags) setup(e *env, cmd, target string, replay bool) (*traffic, error) {
	scn, err := scenarios.Open(*f.scenario.scenario)
	if err == nil {
		o := f.scenario.overrides(f.set)
		if f.syslog != nil {
			o.Syslog = &f.syslog.form
		}
		err = scn.Override(o)
	}
	if err != nil {
		return nil, err
	}
	if err := f.checkTransport(scn, target); err != nil {
		return nil, err
	}
	if err := f.overrideSchedule(scn, replay); err != nil {
		return nil, err
	}
	t := &traffic{scn: scn}
	if f.rulesFile != nil {
		if t.pl, err = openPipeline(e, cmd, *f.rulesFile, *f.mapsFile, f.strict != nil && f.strict()); err != nil {
			return nil, err
		}
	}
	if strings.HasPrefix(target, "http") {
		notes, err := scenarios.ForCloudNSS(scn)
		if err != nil {
			return nil, err
		}
		if !*f.quiet && len(notes) > 0 {
			fmt.Fprintf(e.stderr, "%s: Cloud NSS target: %s\n", f.notePrefix, strings.Join(notes, ", "))
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

// checkTransport refuses a scenario whose transport the run cannot honour: with a target, its scheme
// decides the transport; the embedded collector listens on TCP only.
func (f *trafficFlags) checkTransport(scn *scenarios.Scenario, target string) error {
	if f.checkTarget && target == "" && scn.Transport != "tcp" {
		return fmt.Errorf("scenario %s asks for transport %s, but the embedded collector is reached over TCP: "+
			"give -target udp://… or tls://… to send over %[2]s to an external collector", scn.Name, scn.Transport)
	}
	return nil
}

// overrideSchedule applies the schedule flags that were set — -duration, -count, and -rate (a constant
// pacer at that rate) — and checks that the schedule ends and has a pacer (unless replay).
func (f *trafficFlags) overrideSchedule(scn *scenarios.Scenario, replay bool) error {
	if f.duration == nil {
		return nil
	}
	var o scenarios.Overrides
	if f.set["duration"] {
		o.Duration = f.duration
	}
	if f.set["count"] {
		o.Count = f.count
	}
	if f.set["rate"] {
		o.Rate = &f.rate.perSecond
	}
	if err := scn.Override(o); err != nil {
		return err
	}
	if scn.Duration <= 0 && scn.Count == 0 {
		return fmt.Errorf("scenario %s is unbounded: give -duration or -count", scn.Name)
	}
	if scn.Pacer.Shape == "" && !replay {
		return fmt.Errorf("scenario %s has no pacer: give %s", scn.Name, f.pacerHint)
	}
	return nil
}

// pacer builds the run's schedule: the recording's original pace at speed when replay names one (the
// recording sets the length; -duration and -count still cut it short when given), else the scenario's
// pacer, bounded by its duration and count.
func (t *traffic) pacer(set map[string]bool, replay string, speed float64) (pacer.Pacer, error) {
	if replay == "" {
		spec := t.scn.Pacer
		if spec.RealTime && spec.Start.IsZero() { // a real-time day starts at this hour of the week
			loc := t.scn.TimeZone
			if loc == nil {
				loc = time.UTC
			}
			spec.Start = time.Now().In(loc)
		}
		return scenarioPacer(spec, pacer.Limit{Duration: t.scn.Duration, Count: t.scn.Count})
	}
	if speed <= 0 {
		return nil, fmt.Errorf("speed %g must be > 0", speed)
	}
	offsets, err := scenarios.ReplayOffsets(replay)
	if err != nil {
		return nil, err
	}
	lim := pacer.Limit{Count: t.scn.Count}
	if set["duration"] {
		lim.Duration = t.scn.Duration
	}
	return pacer.Replay{Offsets: offsets, Speed: speed, Limit: lim}, nil
}

// meta is the report's description of the traffic and of this machine.
func (t *traffic) meta() reports.Meta {
	return reports.Meta{Scenario: t.scn.Name, Description: t.scn.Description, Seed: t.scn.Seed,
		Version: version(), GoVersion: runtime.Version(), Machine: machine()}
}

// scenarioPacer builds the pacer of a scenario's pacer spec, bounded by lim. A replay spec needs the
// recording that -replay gives.
func scenarioPacer(spec pacer.Spec, lim pacer.Limit) (pacer.Pacer, error) {
	if spec.Shape == "replay" {
		return nil, errors.New("replay pacer: give the recording to replay with -replay FILE")
	}
	return spec.New(lim)
}

// leaveOutMalformed leaves the malformed classes out of scn when every feed gen renders prints JSON (the
// Cloud NSS feeds, or a JSON format file) or the format file prints no CEF (Zscaler's CSV): malforms
// damage CEF lines, and the generator refuses them for any other format. It reuses scenarios.ForCloudNSS, which then swaps no feed, and returns the note to print
// ("" when nothing was left out). A scenario left with no class at all is an error.
func leaveOutMalformed(scn *scenarios.Scenario, file *feeds.Feed) (string, error) {
	var names []string
	prints := "JSON"
	if file != nil {
		switch file.Encoding {
		case feeds.EncodingCEF:
			return "", nil
		case feeds.EncodingOther:
			prints = "no CEF"
		}
		names = []string{file.Name}
		scn.Feeds = nil // the file renders, not the scenario's feeds: ForCloudNSS must not name them
	} else {
		for log, name := range scn.Feeds {
			f, err := feeds.ByName(name)
			if err != nil {
				return "", fmt.Errorf("scenario %s: feed %s: %w", scn.Name, log, err)
			}
			if f.Encoding != feeds.EncodingJSON {
				return "", nil
			}
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	slices.Sort(names)
	why := "feed " + names[0] + " prints " + prints
	if len(names) > 1 {
		why = "feeds " + strings.Join(names, ", ") + " print " + prints
	}
	notes, err := scenarios.ForCloudNSS(scn)
	if err != nil {
		return "", fmt.Errorf("%s: %w", why, err)
	}
	if len(notes) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s: scenario %s: %s", why, scn.Name, strings.Join(notes, ", ")), nil
}

// genFor builds the generator: from the scenario's feeds, or rendering file (a -format-file) when set.
func genFor(scn *scenarios.Scenario, file *feeds.Feed, tracking bool) (*generator.Generator, error) {
	if file == nil {
		return scenarios.GeneratorFor(scn, tracking)
	}
	prog, err := file.Compile(feeds.Options{RecordTracking: tracking, Escape: scn.FeedEscape})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file.Name, err)
	}
	cfg := generator.Config{Seed: scn.Seed, Classes: scn.Classes, Users: scn.Users, Location: scn.TimeZone, Syslog: scn.Syslog, Org: scn.Org}
	cfg.Programs[file.Log] = prog
	return generator.New(cfg)
}
