package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

func cmdVersion(e *env, args []string) int {
	fs := newFlagSet("version")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	fmt.Fprintf(e.stdout, "nssbench %s %s %s\n", version(), runtime.Version(), machine())
	return exitOK
}

// version returns the module version and, when the binary was built from a checkout, its commit.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}

// machine describes the host for reports: OS/arch, CPUs and the CPU model where Linux tells it.
func machine() string {
	m := fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return m + ", " + strings.TrimSpace(v)
			}
		}
	}
	return m
}
