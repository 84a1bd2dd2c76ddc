// Command nssbench load-tests NSS log collectors, regression-checks detection mappings and plans
// capacity with synthetic Zscaler ZIA NSS traffic. It only parses flags, wires the library packages
// together and maps errors to exit codes; see the README for the tour.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // scenario time zones resolve in minimal images without /usr/share/zoneinfo

	"github.com/nssbench/nssbench/cmd/nssbench/internal/cli"
)

// Exit codes, decided here once.
const (
	exitOK          = 0   // success
	exitFailure     = 1   // a run-level failure: cannot listen, cannot read a file, a target is unreachable
	exitUsage       = 2   // bad command line, bad scenario, rules or mapping file
	exitConformance = 3   // the run worked but failed its gates: thresholds or conformance mismatches
	exitInterrupted = 130 // stopped by an interrupt; the report of what was done was still written
)

// env is the process state a command sees, passed in so that tests run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// ctx is cancelled by the first interrupt: generation stops and what is in flight is drained.
	ctx context.Context
}

// commands are the subcommands by name; their help is in help/NAME.txt.
var commands map[string]func(e *env, args []string) int

func init() {
	commands = map[string]func(e *env, args []string) int{
		"run": cmdRun, "gen": cmdGen, "verify": cmdVerify, "coverage": cmdCoverage, "corpus": cmdCorpus, "collect": cmdCollect,
		"parse": cmdParse, "sink": cmdSink, "sweep": cmdSweep, "report": cmdReport,
		"scenarios": cmdScenarios, "version": cmdVersion,
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second interrupt now kills the process
	}()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, ctx: ctx}
	stopProfile := cli.StartProfile(e.stderr)
	code := mainArgs(e, os.Args[1:])
	stopProfile()
	os.Exit(code)
}

// mainArgs dispatches to a subcommand and returns the process exit code.
func mainArgs(e *env, args []string) int {
	switch {
	case len(args) > 0 && args[0] == "help": // nssbench help CMD [SUB] is CMD [SUB] -h
		if len(args) == 1 {
			return mainArgs(e, []string{"-h"})
		}
		return mainArgs(e, append(args[1:len(args):len(args)], "-h"))
	case len(args) > 0 && (args[0] == "-version" || args[0] == "--version"):
		return cmdVersion(e, nil)
	}
	return dispatch(e, "", args, commands)
}

// unknownSubcommand reports an unknown (sub)command of group ("" for nssbench itself) in one line and a
// hint: the nearest name, or the group's help.
func unknownSubcommand(e *env, group, name string, names []string) int {
	prefix, hint, what := "nssbench", "see nssbench -h", "command"
	if group != "" {
		prefix, hint, what = "nssbench "+group, "see nssbench "+group+" -h", "subcommand"
	}
	if s := cli.Closest(name, names); s != "" {
		hint = "did you mean " + strings.TrimSpace(group+" "+s) + "?"
	}
	fmt.Fprintf(e.stderr, "%s: unknown %s %q\n%s\n", prefix, what, name, hint)
	return exitUsage
}
