package probe

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary act as one of the child processes the tests sample (see child).
const childEnv = "NSSBENCH_PROBE_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		child(mode)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child runs as a sampled process; each mode gives up after 30 s so that nothing outlives a test run.
//
//	burn    a busy loop on one core
//	parent  starts a "burn" child and sleeps: all the CPU is a grandchild's
//	reaper  runs "burst" children one after another, each dying before the next sample can see it much
//	burst   a busy loop until it has used 30 ms of CPU, then exit
//	exit    sleeps 300 ms, then exits
func child(mode string) {
	deadline := time.Now().Add(30 * time.Second)
	switch mode {
	case "burn":
		burn(deadline)
	case "burst":
		for cpuTime() < 30*time.Millisecond && time.Now().Before(deadline) {
			burn(time.Now().Add(time.Millisecond))
		}
	case "parent":
		c := selfCommand("burn")
		if err := c.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		time.Sleep(time.Until(deadline))
		_ = c.Process.Kill()
	case "reaper":
		for time.Now().Before(deadline) {
			if err := selfCommand("burst").Run(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	case "exit":
		time.Sleep(300 * time.Millisecond)
	default:
		fmt.Fprintln(os.Stderr, "unknown child mode", strconv.Quote(mode))
		os.Exit(2)
	}
}

var sink uint64

func burn(until time.Time) {
	for time.Now().Before(until) {
		for i := 0; i < 1e5; i++ {
			sink += uint64(i)
		}
	}
}

// cpuTime returns the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// selfCommand returns the test binary as a child in mode.
func selfCommand(mode string) *exec.Cmd {
	c := exec.Command(os.Args[0], "-test.run=^$")
	c.Env = append(os.Environ(), childEnv+"="+mode)
	c.Stderr = os.Stderr
	return c
}

// startChild starts the test binary as a child in mode, killed (with its own children: it is a process
// group leader) and reaped at the test's end.
func startChild(tb testing.TB, mode string) *exec.Cmd {
	tb.Helper()
	c := selfCommand(mode)
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		_ = c.Wait()
	})
	return c
}
