package output

import (
	"slices"
	"strings"
)

// FileOrStdout is an output flag that was once a switch (verify -json, report compare -md): -NAME FILE
// writes FILE; '-', or the bare switch, stdout. JoinOptional tells the two uses apart.
type FileOrStdout struct{ Path string }

// String returns the path ("-": stdout).
func (f *FileOrStdout) String() string { return f.Path }

// IsBoolFlag lets the flag stand alone, as the switch did.
func (f *FileOrStdout) IsBoolFlag() bool { return true }

// Set takes a path; "true" (the bare switch) is stdout, "false" none.
func (f *FileOrStdout) Set(s string) error {
	switch s {
	case "true":
		f.Path = "-"
	case "false":
		f.Path = ""
	default:
		f.Path = s
	}
	return nil
}

// JoinOptional rewrites "-name VALUE" to "-name=VALUE" for the FileOrStdout flags named, unless VALUE
// is another flag or what positional says is an argument of the command, so that the old bare switch
// keeps its meaning. Nothing after "--" is rewritten.
func JoinOptional(args []string, positional func(string) bool, names ...string) []string {
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
