package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startProfile starts a CPU profile into the file NSSBENCH_CPUPROFILE names, for every command (profiling
// the real commands is how their hot paths are found: docs/PERFORMANCE.md). It returns the function that
// stops it, a no-op without the variable.
func startProfile(stderr io.Writer) func() {
	path := os.Getenv("NSSBENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nssbench: NSSBENCH_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "nssbench: NSSBENCH_CPUPROFILE: %v\n", err)
		}
	}
}
