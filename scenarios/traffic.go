package scenarios

import (
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/reports"
)

// Traffic is the traffic a command that runs a scenario (run, sweep, sink) asks for on its command
// line; each field is named by the flag that sets it. Only the flags in Given override the scenario
// (built-in defaults < scenario file < flags).
type Traffic struct {
	Scenario    string             // -scenario: a built-in scenario name or a scenario file (Open)
	Seed        uint64             // -seed
	Connections int                // -connections
	Framing     string             // -framing
	Syslog      *generator.Syslog  // -syslog, always applied; nil: the command has no such flag
	Duration    time.Duration      // -duration
	Count       uint64             // -count
	Rate        pacer.RateOrVolume // -rate: a constant pacer; a volume is converted through the mean event size
	Given       map[string]bool    // the flags given, by name

	Target      string // the collector the scenario is sent to ("": the embedded one), when CheckTarget
	CheckTarget bool   // adapt the scenario to Target (ForTarget)
	Schedule    bool   // the command keeps the scenario's schedule: it must end and have a pacer (CheckRunnable)
	PacerHint   string // with Schedule: the flags that give a scenario without a pacer one
	Replay      bool   // with Schedule: a recording paces the run, so the scenario needs no pacer
}

// Setup is a scenario set up for a command.
type Setup struct {
	Scenario   *Scenario
	Generator  *generator.Generator // its generator, with record tracking
	CloudNSS   []string             // what ForTarget changed for an http(s):// target
	Conversion string               // how a -rate volume was converted to events per second ("": none)
}

// Setup opens the scenario, applies the flags given, adapts it to the target, checks it can be run and
// builds its generator. A -rate volume is converted through the mean event size and replaces the
// scenario's pacer with a constant one.
func (t Traffic) Setup() (*Setup, error) {
	scn, err := Open(t.Scenario)
	if err == nil {
		err = scn.Override(t.overrides())
	}
	su := &Setup{Scenario: scn}
	if err == nil && t.CheckTarget {
		su.CloudNSS, err = scn.ForTarget(t.Target)
	}
	if err == nil && t.Schedule {
		err = scn.CheckRunnable(t.PacerHint, t.Replay)
	}
	if err == nil {
		su.Generator, err = GeneratorFor(scn, true)
	}
	if err == nil && t.Given["rate"] && t.Rate.IsVolume() {
		su.Conversion, err = scn.ConvertVolume(&t.Rate, su.Generator, scn.Framing)
		scn.Pacer = pacer.Spec{Shape: "constant", Rate: t.Rate.PerSecond}
	}
	if err != nil {
		return nil, err
	}
	return su, nil
}

// overrides returns the overrides of the flags given.
func (t *Traffic) overrides() Overrides {
	o := Overrides{Syslog: t.Syslog}
	if t.Given["seed"] {
		o.Seed = &t.Seed
	}
	if t.Given["connections"] {
		o.Connections = &t.Connections
	}
	if t.Given["framing"] {
		o.Framing = &t.Framing
	}
	if !t.Schedule {
		return o
	}
	if t.Given["duration"] {
		o.Duration = &t.Duration
	}
	if t.Given["count"] {
		o.Count = &t.Count
	}
	if t.Given["rate"] {
		o.Rate = &t.Rate.PerSecond
	}
	return o
}

// Meta returns the report's description of a run of s on this build and machine: the build's, with
// s's name, description and seed.
func (s *Scenario) Meta() reports.Meta {
	m := reports.ThisBuild()
	m.Scenario, m.Description, m.Seed = s.Name, s.Description, s.Seed
	return m
}
