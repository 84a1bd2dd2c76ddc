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
	"syscall"
	_ "time/tzdata" // scenario time zones resolve in minimal images without /usr/share/zoneinfo
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

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"run", "generate NSS traffic, send it to the embedded or an external collector and report", cmdRun},
		{"gen", "write generated NSS lines to stdout or a file", cmdGen},
		{"verify", "check verdicts against golden corpora (conformance)", cmdVerify},
		{"coverage", "the ATT&CK techniques a mapping covers, and what a mapping change gains and loses", cmdCoverage},
		{"corpus", "make golden corpora: generate one (new) or capture a live feed (record)", cmdCorpus},
		{"collect", "run the reference collector and pipeline standalone, with Prometheus metrics", cmdCollect},
		{"parse", "show what the collector sees in raw lines, and its verdict", cmdParse},
		{"sink", "match what a collector forwards to a whole sharded run, in one place", cmdSink},
		{"sweep", "find the highest rate a collector sustains within an SLO", cmdSweep},
		{"report", "render, compare and merge saved reports", cmdReport},
		{"scenarios", "list the built-in scenarios", cmdScenarios},
		{"version", "print the version", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second interrupt now kills the process
	}()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, ctx: ctx}
	stopProfile := startProfile(e.stderr)
	code := mainArgs(e, os.Args[1:])
	stopProfile()
	os.Exit(code)
}

// mainArgs dispatches to a subcommand and returns the process exit code.
func mainArgs(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "nssbench: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `nssbench — synthetic Zscaler NSS traffic for collectors, mappings and capacity.

Usage: nssbench <command> [flags]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  nssbench run                                   # the default scenario on the embedded collector
  nssbench run -scenario smoke -out report.json
  nssbench gen -count 5 -feed firewall
  nssbench gen -count 3 | nssbench parse -json -verdict
  nssbench verify corpus/golden                  # regression-check every decision against golden corpora
  nssbench coverage -mappings proposed.json -base builtin -o layer.json   # ATT&CK techniques gained and lost
  nssbench run -target tcp://127.0.0.1:5514 -sink tcp://127.0.0.1:5515   # load-test an external collector
  nssbench sweep -slo 'p99<50ms' -html capacity.html                      # highest sustainable rate

Run 'nssbench <command> -h' for a command's flags.
Exit codes: 0 ok, 1 failure, 2 usage, 3 thresholds or conformance failed, 130 interrupted.
`)
}
