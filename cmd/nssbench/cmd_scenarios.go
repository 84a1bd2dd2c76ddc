package main

import (
	"fmt"

	"github.com/nssbench/nssbench/scenarios"
)

func cmdScenarios(e *env, args []string) int {
	fs := newFlagSet(e, "scenarios", "scenarios", "  nssbench scenarios\n  nssbench run -scenario burst\n")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	for _, name := range scenarios.Names() {
		fmt.Fprintf(e.stdout, "%-16s %s\n", name, scenarios.Summary(name))
	}
	return exitOK
}
