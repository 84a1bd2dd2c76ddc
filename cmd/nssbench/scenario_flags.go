package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/scenarios"
)

// scenarioFlags are the flags that choose a scenario and override its seed, connections and framing,
// shared by the commands that run one.
type scenarioFlags struct {
	scenario    *string
	seed        *uint64
	connections *int
	framing     *string
}

// addScenarioFlags defines -scenario (with the command's own description), -seed, -connections and
// -framing on fs.
func addScenarioFlags(fs *flag.FlagSet, scenarioUsage string) *scenarioFlags {
	return &scenarioFlags{
		scenario:    fs.String("scenario", "default", scenarioUsage),
		seed:        fs.Uint64("seed", 0, "generator seed (overrides the scenario)"),
		connections: fs.Int("connections", 0, "spread the load over this many TCP connections (overrides the scenario)"),
		framing:     fs.String("framing", "", "syslog framing: lf (NSS's own) or octet (RFC 6587 octet counting)"),
	}
}

// load loads the scenario and applies the flags that were set: built-in defaults < scenario file <
// flags.
func (f *scenarioFlags) load(set map[string]bool) (*scenarios.Scenario, error) {
	scn, err := loadScenario(*f.scenario)
	if err != nil {
		return nil, err
	}
	if set["seed"] {
		scn.Seed = *f.seed
	}
	if set["connections"] {
		scn.Connections = *f.connections
	}
	if set["framing"] {
		scn.Framing = *f.framing
	}
	if scn.Framing != "" && scn.Framing != "lf" && scn.Framing != "octet" {
		return nil, fmt.Errorf("framing %q: want lf or octet", scn.Framing)
	}
	return scn, nil
}

// checkTransport refuses a scenario whose transport the run cannot honour: with a target, its scheme
// decides the transport; the embedded collector listens on TCP only.
func checkTransport(scn *scenarios.Scenario, target string) error {
	if target == "" && scn.Transport != "tcp" {
		return fmt.Errorf("scenario %s asks for transport %s, but the embedded collector is reached over TCP: "+
			"give -target udp://… or tls://… to send over %[2]s to an external collector", scn.Name, scn.Transport)
	}
	return nil
}

// overrideSchedule applies the schedule flags that were set to scn — -duration, -count, and -rate (a
// constant pacer at that rate) — and checks that the schedule ends.
func overrideSchedule(scn *scenarios.Scenario, set map[string]bool, duration time.Duration, count uint64, rate float64) error {
	if set["duration"] {
		scn.Duration = duration
	}
	if set["count"] {
		scn.Count = count
	}
	if set["rate"] {
		scn.Pacer = pacer.Spec{Shape: "constant", Rate: rate}
	}
	if scn.Duration <= 0 && scn.Count == 0 {
		return fmt.Errorf("scenario %s is unbounded: give -duration or -count", scn.Name)
	}
	return nil
}
