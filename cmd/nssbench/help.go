package main

// The command-line conventions every command follows: help from help/CMD.txt (for 'CMD -h' and
// 'nssbench help CMD'), one-line usage errors with a hint, old flag names kept as aliases, and report
// files confirmed on stderr.

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
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

// newFlagSet returns the flag set of cmd; its usage is the command's help file with the flags inserted
// before the examples.
func newFlagSet(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports errors itself, in one line
	return fs
}

// printHelp writes the help of fs's command: its text, its flags (each once, old names beside the new
// ones) and its examples.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	head, examples, _ := strings.Cut(helpText(fs.Name()), "\nExamples:\n")
	fmt.Fprint(w, head)
	also := map[string][]string{}
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if to, ok := strings.CutPrefix(f.Usage, aliasUsage); ok {
			also[to] = append(also[to], "-"+f.Name)
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.HasPrefix(f.Usage, aliasUsage) {
			usage := f.Usage
			if old := also[f.Name]; len(old) > 0 {
				usage += " (old name: " + strings.Join(old, ", ") + ")"
			}
			shown.Var(f.Value, f.Name, usage)
			shown.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	if hasFlags(shown) {
		fmt.Fprint(w, "\nFlags:\n")
		shown.SetOutput(w)
		shown.PrintDefaults()
	}
	if examples != "" {
		fmt.Fprint(w, "\nExamples:\n", examples)
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// aliasUsage starts the usage of an old flag name kept for a new one.
const aliasUsage = "old name of -"

// alias defines old as another name of fs's flag name, listed beside it in the help.
func alias(fs *flag.FlagSet, old, name string) {
	fs.Var(fs.Lookup(name).Value, old, aliasUsage+name)
}

// parseFlags parses args; it returns an exit code and false when the command must stop: help was asked
// (help on stdout, exit 0) or a flag was wrong (one line and a hint on stderr, exit 2).
func parseFlags(e *env, fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(e.stdout, fs)
		return exitOK, false
	case err != nil:
		msg, hint := err.Error(), ""
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			msg = "unknown flag -" + name
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			if s := closest(name, names); s != "" {
				hint = "did you mean -" + s + "?"
			}
		}
		return usageHint(e.stderr, fs.Name(), msg, hint), false
	}
	return 0, true
}

// parseInterspersed parses flags wherever they stand among the positional arguments (the flag package
// stops at the first positional one) and returns the positional ones. It returns an exit code and false
// when the command must stop (help asked, or a usage error already reported).
func parseInterspersed(e *env, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if code, ok := parseFlags(e, fs, args); !ok {
			return nil, code, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, exitOK, true
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), exitOK, true // everything after "--" is positional
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
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

// closest returns the name nearest to s by edit distance when it is near enough to be a typo, else "".
func closest(s string, names []string) string {
	best, bestD := "", max(2, len(s)/3)+1
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// fileOrStdout is an output flag that was once a switch (verify -json, report compare -md): -NAME FILE
// writes FILE, '-' or the bare switch stdout. joinOptional tells the two uses apart.
type fileOrStdout struct{ path string }

func (f *fileOrStdout) String() string   { return f.path }
func (f *fileOrStdout) IsBoolFlag() bool { return true }

func (f *fileOrStdout) Set(s string) error {
	switch s {
	case "true":
		f.path = "-"
	case "false":
		f.path = ""
	default:
		f.path = s
	}
	return nil
}

// joinOptional rewrites "-name VALUE" to "-name=VALUE" for the fileOrStdout flags named, unless VALUE
// is another flag or what positional says is an argument of the command, so that the old bare switch
// keeps its meaning.
func joinOptional(args []string, positional func(string) bool, names ...string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		name := strings.TrimLeft(a, "-")
		if a != name && len(a)-len(name) <= 2 && i+1 < len(args) && slices.Contains(names, name) {
			if v := args[i+1]; v == "-" || !strings.HasPrefix(v, "-") && !positional(v) {
				out, i = append(out, a+"="+v), i+1
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// writeOutput writes one output file with fn, '-' meaning stdout, and confirms a file on stderr.
func writeOutput(e *env, cmd, path string, fn func(io.Writer) error) error {
	if path == "-" {
		return fn(e.stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(e.stderr, "nssbench %s: wrote %s\n", cmd, path)
	return nil
}
