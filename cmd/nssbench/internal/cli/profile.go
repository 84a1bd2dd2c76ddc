package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// ProfileEnv names the environment variable that makes every command write a CPU profile to the file
// it names (profiling the real commands is how their hot paths are found: docs/PERFORMANCE.md).
const ProfileEnv = "NSSBENCH_CPUPROFILE"

// StartProfile starts a CPU profile into the file ProfileEnv names and returns the function that stops
// it; without the variable, or when the profile cannot start (said on stderr), it returns a no-op.
func StartProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv(ProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nssbench: %s: %v\n", ProfileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "nssbench: %s: %v\n", ProfileEnv, err)
		}
	}
}
