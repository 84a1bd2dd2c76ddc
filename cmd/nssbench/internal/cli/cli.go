// Package cli holds the command-line conventions of nssbench that are not about any one command: help
// text with each flag listed once (old names beside the new ones), one-line flag errors with a "did you
// mean" hint, flags among the positional arguments, and the CPU profile every command writes on request.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// aliasUsage starts the usage of an old flag name kept for a new one.
const aliasUsage = "old name of -"

// Alias defines old as another name of fs's flag name; Help lists it beside that flag only.
func Alias(fs *flag.FlagSet, old, name string) {
	fs.Var(fs.Lookup(name).Value, old, aliasUsage+name)
}

// Help writes a command's help: text up to its "Examples:" section, fs's flags (each once, old names
// beside the new ones; no heading when there are none), then the examples.
func Help(w io.Writer, fs *flag.FlagSet, text string) {
	head, examples, _ := strings.Cut(text, "\nExamples:\n")
	fmt.Fprint(w, head)
	also := map[string][]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if to, ok := strings.CutPrefix(f.Usage, aliasUsage); ok {
			also[to] = append(also[to], "-"+f.Name)
		}
	})
	shown, n := flag.NewFlagSet(fs.Name(), flag.ContinueOnError), 0
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, aliasUsage) {
			return
		}
		usage := f.Usage
		if old := also[f.Name]; len(old) > 0 {
			usage += " (old name: " + strings.Join(old, ", ") + ")"
		}
		shown.Var(f.Value, f.Name, usage)
		shown.Lookup(f.Name).DefValue = f.DefValue
		n++
	})
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		shown.SetOutput(w)
		shown.PrintDefaults()
	}
	if examples != "" {
		fmt.Fprint(w, "\nExamples:\n", examples)
	}
}

// Parse parses args into fs. help is true when -h or -help was asked. A flag error is returned as one
// message, with a hint: the nearest flag name for an unknown flag ("did you mean -duration?"), else "".
func Parse(fs *flag.FlagSet, args []string) (help bool, msg, hint string) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return true, "", ""
	case err == nil:
		return false, "", ""
	}
	msg = err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		msg = "unknown flag -" + name
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if s := Closest(name, names); s != "" {
			hint = "did you mean -" + s + "?"
		}
	}
	return false, msg, hint
}

// ParseInterspersed is Parse for a command whose flags may stand anywhere among its positional
// arguments (the flag package stops at the first positional one): it returns the positional ones in
// order, everything after "--" among them, or help or a flag error as Parse does.
func ParseInterspersed(fs *flag.FlagSet, args []string) (pos []string, help bool, msg, hint string) {
	for {
		if help, msg, hint = Parse(fs, args); help || msg != "" {
			return nil, help, msg, hint
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, false, "", ""
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), false, "", "" // everything after "--" is positional
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// Closest returns the name nearest to s by edit distance when it is near enough to be a typo (at most
// 2 edits, or a third of s), else "".
func Closest(s string, names []string) string {
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
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
