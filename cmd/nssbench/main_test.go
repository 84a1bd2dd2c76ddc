package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the CLI in-process and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, ctx: context.Background()}
	code := mainArgs(e, args)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // substring expected on stdout
		stderr   string // substring expected on stderr
		noStdout bool
	}{
		{name: "help", args: []string{"--help"}, code: exitOK, stdout: "Examples:"},
		{name: "no args", args: nil, code: exitUsage, stderr: "Usage: nssbench", noStdout: true},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitUsage, stderr: `unknown command "frobnicate"`, noStdout: true},
		{name: "run help", args: []string{"run", "-h"}, code: exitOK, stdout: "nssbench run -scenario smoke"},
		{name: "gen help", args: []string{"gen", "--help"}, code: exitOK, stdout: "Examples:"},
		{name: "parse help", args: []string{"parse", "-h"}, code: exitOK, stdout: "Examples:"},
		{name: "scenarios help", args: []string{"scenarios", "-h"}, code: exitOK, stdout: "Examples:"},
		{name: "run bad flag", args: []string{"run", "-no-such-flag"}, code: exitUsage, stderr: "nssbench run: unknown flag -no-such-flag\nsee nssbench run -h\n", noStdout: true},
		{name: "run bad rate", args: []string{"run", "-rate", "fast"}, code: exitUsage, stderr: `rate "fast"`, noStdout: true},
		{name: "run unknown scenario", args: []string{"run", "-scenario", "no-such-scenario"}, code: exitUsage, stderr: "no-such-scenario", noStdout: true},
		{name: "run bad framing", args: []string{"run", "-framing", "cr", "-count", "1"}, code: exitUsage, stderr: `framing "cr"`, noStdout: true},
		{name: "gen bad feed", args: []string{"gen", "-feed", "nope"}, code: exitUsage, stderr: "nope", noStdout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("nssbench %v exit = %d; want %d\nstderr: %s", tt.args, code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if tt.noStdout && stdout != "" {
				t.Errorf("stdout should be empty on a usage error, got:\n%s", stdout)
			}
		})
	}
}

func TestRunShort(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "", "run", "-quiet", "-count", "3000", "-rate", "20000/s")
	if code != exitOK {
		t.Fatalf("exit = %d; want 0\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	for _, want := range []string{"conformance", "lost", "p99", "offered"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	if stderr != "" {
		t.Errorf("-quiet run wrote to stderr:\n%s", stderr)
	}
}

func TestGenParseVerdict(t *testing.T) {
	t.Parallel()
	code, lines, stderr := runCLI(t, "", "gen", "-count", "50", "-seed", "7")
	if code != exitOK {
		t.Fatalf("gen exit = %d; stderr: %s", code, stderr)
	}
	if n := strings.Count(lines, "\n"); n != 50 {
		t.Fatalf("gen -count 50 wrote %d lines", n)
	}
	code, out, stderr := runCLI(t, lines, "parse", "-json", "-verdict")
	if code != exitOK {
		t.Fatalf("parse exit = %d; stderr: %s", code, stderr)
	}
	if n := strings.Count(out, `"verdict":{`); n != 50 {
		t.Fatalf("parse -json -verdict printed %d verdicts for 50 lines:\n%s", n, out)
	}
	// Same seed, same bytes.
	_, again, _ := runCLI(t, "", "gen", "-count", "50", "-seed", "7")
	if again != lines {
		t.Fatal("gen with the same seed produced different lines")
	}
}

func TestParseRDPAllow(t *testing.T) {
	t.Parallel()
	line := "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow name=RDP Allow\n"
	code, out, stderr := runCLI(t, line, "parse", "-json", "-verdict")
	if code != exitOK {
		t.Fatalf("exit = %d; stderr: %s", code, stderr)
	}
	for _, want := range []string{`"ok":true`, `"product":"NSSFWlog"`, `"name":"RDP Allow"`, `"act":"Allow"`, `"threatId":"T1021.001"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "not cef at all\n", "parse", "-json")
	if code != exitOK || !strings.Contains(out, `"ok":false`) || !strings.Contains(out, `"column":`) {
		t.Errorf("malformed line: exit %d, output %s", code, out)
	}
}

// TestParseStrict: NSS does not escape '=' in values; the default lenient parse keeps it in the URL,
// -strict follows the CEF specification and drops the record as malformed.
func TestParseStrict(t *testing.T) {
	t.Parallel()
	line := "Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|act=Blocked request=x.com/a?b=c externalId=1\n"
	_, out, _ := runCLI(t, line, "parse", "-json", "-verdict")
	if !strings.Contains(out, `"request":"x.com/a?b=c"`) || !strings.Contains(out, `"threatId":"T1204.002"`) {
		t.Errorf("lenient parse:\n%s", out)
	}
	_, out, _ = runCLI(t, line, "parse", "-json", "-verdict", "-strict")
	if !strings.Contains(out, `"ok":false`) || !strings.Contains(out, `"detail":"bad_extension"`) {
		t.Errorf("strict parse:\n%s", out)
	}
}
