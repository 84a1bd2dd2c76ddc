package main

import (
	"fmt"

	"github.com/nssbench/nssbench/scenarios"
)

func cmdScenarios(e *env, args []string) int {
	fs := newFlagSet("scenarios")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	for _, name := range scenarios.Names() {
		fmt.Fprintf(e.stdout, "%-16s %s\n", name, scenarios.Summary(name))
	}
	return exitOK
}
