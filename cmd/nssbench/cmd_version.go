package main

import (
	"fmt"

	"github.com/nssbench/nssbench/reports"
)

func cmdVersion(e *env, args []string) int {
	fs := newFlagSet("version")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	b := reports.ThisBuild()
	fmt.Fprintf(e.stdout, "nssbench %s %s %s\n", b.Version, b.GoVersion, b.Machine)
	return exitOK
}
