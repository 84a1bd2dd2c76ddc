package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportInterleavedFlags: the report subcommands take their flags before, between or after the
// files, as their examples and docs/examples-kubernetes.md write them; a wrong flag after a file is still
// a usage error.
func TestReportInterleavedFlags(t *testing.T) {
	t.Parallel()
	rep := filepath.Join(t.TempDir(), "report.json")
	if code, _, stderr := runCLI(t, "", "run", "-quiet", "-count", "200", "-rate", "20000/s", "-out", rep); code != exitOK {
		t.Fatalf("run exit %d; stderr: %s", code, stderr)
	}
	const out = "OUT" // replaced by a file in the case's own directory
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  string // substring expected on stdout
		stderr  string // substring expected on stderr
		outFile string // substring expected in the file OUT, if the case writes one
	}{
		{name: "render html after file", args: []string{"render", rep, "-html", out}, code: exitOK, outFile: "<html"},
		{name: "render html before file", args: []string{"render", "-html", out, rep}, code: exitOK, outFile: "<html"},
		{name: "render md after file", args: []string{"render", rep, "-md=" + out}, code: exitOK, outFile: "| offered |"},
		{name: "render text", args: []string{"render", rep}, code: exitOK, stdout: "conformance"},
		{name: "render after --", args: []string{"render", "-md", out, "--", rep}, code: exitOK, outFile: "| offered |"},
		{name: "compare flags between and after", args: []string{"compare", rep, "-margin", "0.1", rep, "-md"}, code: exitOK, stdout: "|"},
		{name: "compare flags before", args: []string{"compare", "-md", "-margin", "0.1", rep, rep}, code: exitOK, stdout: "|"},
		{name: "compare md to stdout", args: []string{"compare", rep, "-margin", "0.1", rep, "-md", "-"}, code: exitOK, stdout: "|"},
		{name: "compare md and json files", args: []string{"compare", "-json", out, "-md", out + ".md", rep, rep}, code: exitOK, stdout: "offered", outFile: `"margin"`},
		{name: "merge o after files", args: []string{"merge", rep, rep, "-o", out}, code: exitOK, stderr: "wrote ", outFile: `"schema"`},
		{name: "merge o between files", args: []string{"merge", rep, "-o", out, rep}, code: exitOK, stderr: "wrote ", outFile: `"schema"`},
		{name: "merge json between files", args: []string{"merge", rep, "-json", out, rep}, code: exitOK, stderr: "wrote ", outFile: `"schema"`},
		{name: "merge html after files", args: []string{"merge", rep, rep, "-html", out}, code: exitOK, outFile: "<html"},
		{name: "compare md to a file", args: []string{"compare", rep, rep, "-md", out}, code: exitOK, outFile: "|"},
		{name: "help after file", args: []string{"render", rep, "-h"}, code: exitOK, stdout: "Usage: nssbench report render"},
		{name: "unknown flag after file", args: []string{"render", rep, "-no-such-flag"}, code: exitUsage, stderr: "nssbench report render: unknown flag -no-such-flag\n"},
		{name: "unknown flag after files", args: []string{"merge", rep, rep, "-summary", out}, code: exitUsage, stderr: "nssbench report merge: unknown flag -summary\n"},
		{name: "flag value missing after file", args: []string{"render", rep, "-html"}, code: exitUsage, stderr: "flag needs an argument: -html"},
		{name: "two files to render", args: []string{"render", rep, "-md", out, rep}, code: exitUsage, stderr: "want one report file, got 2"},
		{name: "one file to compare", args: []string{"compare", rep, "-md"}, code: exitUsage, stderr: "want BASE NEW (report files or directories of replicates), got 1"},
		{name: "flag after -- is a file", args: []string{"render", "--", "-md"}, code: exitFailure, stderr: "-md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out")
			args := []string{"report"}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, out, path))
			}
			code, stdout, stderr := runCLI(t, "", args...)
			if code != tt.code {
				t.Fatalf("nssbench %v: exit %d; want %d\nstderr: %s", args, code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			data, err := os.ReadFile(path)
			switch {
			case tt.outFile == "" && err == nil:
				t.Errorf("wrote %s; want no file", path)
			case tt.outFile != "" && err != nil:
				t.Errorf("want a file: %v", err)
			case tt.outFile != "" && !strings.Contains(string(data), tt.outFile):
				t.Errorf("%s lacks %q", path, tt.outFile)
			}
		})
	}
}
