package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// newFlagSet returns a flag set whose usage prints the command's synopsis, its examples and its flags.
func newFlagSet(e *env, name, synopsis, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: nssbench %s\n\n", synopsis)
		fmt.Fprintln(w, "Flags:")
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nExamples:\n%s", examples)
	}
	return fs
}

// parseFlags parses args; it returns an exit code and false when the command must stop: help was asked
// (usage on stdout, exit 0) or a flag was wrong (the error and usage on stderr, exit 2).
func parseFlags(e *env, fs *flag.FlagSet, args []string) (int, bool) {
	fs.SetOutput(io.Discard) // the flag package would print usage itself, to one stream for both cases
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return exitOK, false
	}
	fs.SetOutput(e.stderr)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		fs.Usage()
		return exitUsage, false
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

// usageError reports a bad flag value in the command's usage style.
func usageError(w io.Writer, cmd string, err error) int {
	fmt.Fprintf(w, "nssbench %s: %v\nRun 'nssbench %s -h' for usage.\n", cmd, err, cmd)
	return exitUsage
}

// rateValue is a flag holding a positive event rate in pacer.ParseRate's grammar: "20000", "20000/s",
// "1200/m", "5k/s".
type rateValue struct{ perSecond float64 }

func (r *rateValue) String() string {
	if r.perSecond == 0 {
		return ""
	}
	return strconv.FormatFloat(r.perSecond, 'g', -1, 64) + "/s"
}

func (r *rateValue) Set(s string) error {
	v, err := pacer.ParseRate(s)
	if errors.Is(err, pacer.ErrRateUnit) {
		return err
	}
	if err != nil || v <= 0 {
		return fmt.Errorf("rate %q: want a positive number of events, e.g. 20000/s", s)
	}
	r.perSecond = v
	return nil
}

// shardValue is a flag holding "i/n": the i-th (0-based) of n disjoint parts of a schedule.
type shardValue struct{ index, count int }

func (s *shardValue) String() string {
	if s.count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.index, s.count)
}

func (s *shardValue) Set(v string) error {
	is, ns, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/4", v)
	}
	s.index, s.count = i, n
	return nil
}

// timeValue is a flag holding a wall-clock time in RFC 3339; empty means none.
type timeValue struct{ t time.Time }

func (v *timeValue) String() string {
	if v.t.IsZero() {
		return ""
	}
	return v.t.Format(time.RFC3339Nano)
}

func (v *timeValue) Set(s string) error {
	if s == "" {
		v.t = time.Time{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time %q: want RFC 3339, e.g. 2026-11-25T23:30:00Z", s)
	}
	v.t = t
	return nil
}
