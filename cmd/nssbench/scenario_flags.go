package main

import (
	"flag"

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
		connections: fs.Int("connections", 0, "spread the load over this many TCP connections, 1 to 100000 (overrides the scenario)"),
		framing:     fs.String("framing", "", "syslog framing: lf (NSS's own) or octet (RFC 6587 octet counting)"),
	}
}

// overrides returns the overrides of the flags that were set.
func (f *scenarioFlags) overrides(set map[string]bool) scenarios.Overrides {
	var o scenarios.Overrides
	if set["seed"] {
		o.Seed = f.seed
	}
	if set["connections"] {
		o.Connections = f.connections
	}
	if set["framing"] {
		o.Framing = f.framing
	}
	return o
}
