package reports

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// ThisBuild returns a Meta that describes this binary and machine only: Version (the module version
// and, for a build from a checkout, its commit), GoVersion and Machine (OS/arch, CPUs and, where Linux
// tells it, the CPU model).
func ThisBuild() Meta {
	return Meta{Version: buildVersion(), GoVersion: runtime.Version(), Machine: machine()}
}

func buildVersion() string {
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
