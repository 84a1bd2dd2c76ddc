package main

// The command-line conventions every command follows (package cli): help from help/CMD.txt (for
// 'CMD -h' and 'nssbench help CMD'), one-line usage errors with a hint, old flag names kept as aliases,
// and output files confirmed on stderr.

import (
	"cmp"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/nssbench/nssbench/reports/output"

	"github.com/nssbench/nssbench/cmd/nssbench/internal/cli"
)

//go:embed help/*.txt
var helpFiles embed.FS

// helpText returns the help of cmd ("run", "corpus new"): help/run.txt, help/corpus-new.txt.
func helpText(cmd string) string {
	b, err := helpFiles.ReadFile("help/" + strings.ReplaceAll(cmd, " ", "-") + ".txt")
	if err != nil {
		panic("no help file for " + cmd) // TestHelpFiles checks that every command has one
	}
	return string(b)
}

// dispatch runs the subcommand of group ("" for nssbench itself) that args name (group's help without
// one, or when asked).
func dispatch(e *env, group string, args []string, subs map[string]func(*env, []string) int) int {
	help := helpText(cmp.Or(group, "nssbench"))
	if len(args) == 0 {
		fmt.Fprint(e.stderr, help)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(e.stdout, help)
		return exitOK
	}
	if run, ok := subs[args[0]]; ok {
		return run(e, args[1:])
	}
	return unknownSubcommand(e, group, args[0], slices.Sorted(maps.Keys(subs)))
}

// newFlagSet returns the flag set of cmd, whose help is help/CMD.txt.
func newFlagSet(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports errors itself, in one line
	return fs
}

// parseFlags parses args; it returns an exit code and false when the command must stop: help was asked
// (help on stdout, exit 0) or a flag was wrong (one line and a hint on stderr, exit 2).
func parseFlags(e *env, fs *flag.FlagSet, args []string) (int, bool) {
	help, msg, hint := cli.Parse(fs, args)
	return parsed(e, fs, help, msg, hint)
}

// parsed is parseFlags's answer for what cli.Parse found.
func parsed(e *env, fs *flag.FlagSet, help bool, msg, hint string) (int, bool) {
	switch {
	case help:
		cli.Help(e.stdout, fs, helpText(fs.Name()))
		return exitOK, false
	case msg != "":
		return usageHint(e.stderr, fs.Name(), msg, hint), false
	}
	return 0, true
}

// flagsGiven returns the names of the flags given on fs's command line; call it once fs is parsed.
func flagsGiven(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// parseNoArgs is parseFlags for a command that takes no positional argument.
func parseNoArgs(e *env, fs *flag.FlagSet, args []string) (int, bool) {
	if code, ok := parseFlags(e, fs, args); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, fs.Name(), fmt.Errorf("unexpected argument %q", fs.Arg(0))), false
	}
	return 0, true
}

// parseInterspersed parses flags wherever they stand among the positional arguments
// (cli.ParseInterspersed) and returns the positional ones. It returns an exit code and false when the
// command must stop (help asked, or a usage error already reported).
func parseInterspersed(e *env, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	pos, help, msg, hint := cli.ParseInterspersed(fs, args)
	code, ok := parsed(e, fs, help, msg, hint)
	return pos, code, ok
}

// usageError reports a bad command line: one line naming the command, and where to look.
func usageError(w io.Writer, cmd string, err error) int {
	return usageHint(w, cmd, err.Error(), "")
}

// usageHint reports a bad command line with a one-line hint (default: the command's help).
func usageHint(w io.Writer, cmd, msg, hint string) int {
	if hint == "" {
		hint = "see nssbench " + cmd + " -h"
	}
	fmt.Fprintf(w, "nssbench %s: %s\n%s\n", cmd, msg, hint)
	return exitUsage
}

// failure reports a run-level error of cmd on w and returns exitFailure.
func failure(w io.Writer, cmd string, err error) int {
	fmt.Fprintf(w, "nssbench %s: %v\n", cmd, err)
	return exitFailure
}

// outputs writes cmd's output files, confirming each on stderr (output.Files).
func outputs(e *env, cmd string) output.Files {
	return output.Files{Stdout: e.stdout, Stderr: e.stderr, Cmd: "nssbench " + cmd}
}

// writeOutputs writes text on stdout, or instead the output whose path is "-", and every output file
// (output.Files.WriteAll). It returns the exit code: a usage error when two outputs ask for stdout, a
// failure when a write fails.
func writeOutputs(e *env, cmd string, text func(io.Writer) error, outs ...output.Output) int {
	switch err := outputs(e, cmd).WriteAll(text, outs...); {
	case errors.Is(err, output.ErrTwoStdout):
		return usageError(e.stderr, cmd, err)
	case err != nil:
		return failure(e.stderr, cmd, err)
	}
	return exitOK
}
