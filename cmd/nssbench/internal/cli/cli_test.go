package cli

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	names := []string{"duration", "count", "rate", "json", "connections"}
	for _, tt := range []struct{ s, want string }{
		{"durtion", "duration"}, {"cuont", "count"}, {"jsn", "json"}, {"conections", "connections"},
		{"xyzzy", ""}, {"r", ""}, {"rate", "rate"},
	} {
		if got := Closest(tt.s, names); got != tt.want {
			t.Errorf("Closest(%q) = %q; want %q", tt.s, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Duration("duration", 0, "")
	fs.Int("count", 0, "")
	for _, tt := range []struct {
		args      []string
		help      bool
		msg, hint string
	}{
		{[]string{"-durtion", "1s"}, false, "unknown flag -durtion", "did you mean -duration?"},
		{[]string{"--nothing"}, false, "unknown flag -nothing", ""},
		{[]string{"-count", "x"}, false, `invalid value "x" for flag -count: parse error`, ""},
		{[]string{"-h"}, true, "", ""},
		{[]string{"--duration", "1s"}, false, "", ""},
	} {
		help, msg, hint := Parse(fs, tt.args)
		if help != tt.help || msg != tt.msg || hint != tt.hint {
			t.Errorf("Parse(%q) = %v, %q, %q; want %v, %q, %q", tt.args, help, msg, hint, tt.help, tt.msg, tt.hint)
		}
	}
}

// TestHelp: flags are listed once, old names beside the new; a command without flags has no heading.
func TestHelp(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("json", "", "write `FILE`")
	Alias(fs, "out", "json")
	var buf bytes.Buffer
	Help(&buf, fs, "Usage: nssbench x\n\nExamples:\n  nssbench x\n")
	want := "Usage: nssbench x\n\nFlags:\n  -json FILE\n    \twrite FILE (old name: -out)\n\nExamples:\n  nssbench x\n"
	if buf.String() != want {
		t.Errorf("Help:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	Help(&buf, flag.NewFlagSet("y", flag.ContinueOnError), "Usage: nssbench y\n\nExamples:\n  nssbench y\n")
	if strings.Contains(buf.String(), "Flags:") {
		t.Errorf("Help of a command without flags:\n%s", buf.String())
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		name string
		args []string
		pos  []string
		md   string
		help bool
		msg  string
	}{
		{name: "flags first", args: []string{"-md", "x.md", "a", "b"}, pos: []string{"a", "b"}, md: "x.md"},
		{name: "flags between and after", args: []string{"a", "-md", "x.md", "b", "-force"}, pos: []string{"a", "b"}, md: "x.md"},
		{name: "after --", args: []string{"a", "--", "-md", "b"}, pos: []string{"a", "-md", "b"}},
		{name: "none", args: nil},
		{name: "help", args: []string{"a", "-h"}, help: true},
		{name: "unknown flag", args: []string{"a", "-frce"}, msg: "unknown flag -frce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			md := fs.String("md", "", "")
			fs.Bool("force", false, "")
			pos, help, msg, _ := ParseInterspersed(fs, tt.args)
			if !slices.Equal(pos, tt.pos) || help != tt.help || msg != tt.msg || *md != tt.md {
				t.Errorf("ParseInterspersed(%q) = %q, help %v, %q, -md %q; want %q, %v, %q, %q", tt.args, pos, help, msg, *md, tt.pos, tt.help, tt.msg, tt.md)
			}
		})
	}
}

func TestStartProfile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		profile bool   // a profile is written to path
		stderr  string // what stderr starts with
	}{
		{name: "unset"},
		{name: "a file", path: filepath.Join(dir, "cpu.pprof"), profile: true},
		{name: "cannot create", path: filepath.Join(dir, "missing", "cpu.pprof"), stderr: "nssbench: NSSBENCH_CPUPROFILE: open "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(ProfileEnv, tt.path)
			var stderr bytes.Buffer
			StartProfile(&stderr)()
			if !strings.HasPrefix(stderr.String(), tt.stderr) || (tt.stderr == "") != (stderr.Len() == 0) {
				t.Errorf("stderr %q; want %q", stderr.String(), tt.stderr)
			}
			st, err := os.Stat(tt.path)
			if got := err == nil && st.Size() > 0; got != tt.profile {
				t.Errorf("profile written: %v (%v); want %v", got, err, tt.profile)
			}
		})
	}
}
