package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// syslogForms are the -syslog values other than the default.
var syslogForms = []string{"none", "bsd", "pri", "rfc5424"}

// TestRunSyslog runs the default scenario (malformed classes included) on the embedded collector with
// each -syslog form: the collector reads every header, and every verdict is the expected one.
func TestRunSyslog(t *testing.T) {
	t.Parallel()
	for _, form := range syslogForms {
		t.Run(form, func(t *testing.T) {
			code, stdout, stderr := runCLIWithin(t, 30*time.Second, "run", "-quiet", "-count", "2000", "-rate", "20000/s", "-syslog", form)
			if code != exitOK {
				t.Fatalf("run -syslog %s: exit %d\nstderr: %s\nstdout: %s", form, code, stderr, stdout)
			}
			if !strings.Contains(stdout, "conformance: 2000 checked, 0 mismatches") {
				t.Fatalf("run -syslog %s: want 2000 checked and 0 mismatches:\n%s", form, stdout)
			}
		})
	}
}

// verdictOf and headerOf pick the verdict and the CEF header out of a line of parse -json -verdict.
var (
	verdictOf = regexp.MustCompile(`"verdict":\{[^}]*\}`)
	headerOf  = regexp.MustCompile(`"header":\{[^}]*\}`)
)

// TestGenParseSyslog checks that parse -verdict reads each -syslog form of gen's lines as the same
// records, with the same verdicts, as the format's own lines.
func TestGenParseSyslog(t *testing.T) {
	t.Parallel()
	parse := func(args ...string) []string {
		t.Helper()
		code, lines, stderr := runCLI(t, "", append([]string{"gen", "-count", "300", "-seed", "7"}, args...)...)
		if code != exitOK {
			t.Fatalf("gen %v: exit %d; stderr: %s", args, code, stderr)
		}
		code, out, stderr := runCLI(t, lines, "parse", "-json", "-verdict")
		if code != exitOK {
			t.Fatalf("parse of gen %v: exit %d; stderr: %s", args, code, stderr)
		}
		return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	}
	want := parse()
	if len(want) != 300 {
		t.Fatalf("parse printed %d lines for 300", len(want))
	}
	for _, form := range syslogForms {
		got := parse("-syslog", form)
		if len(got) != len(want) {
			t.Fatalf("-syslog %s: parse printed %d lines; want %d", form, len(got), len(want))
		}
		for i := range want {
			if verdictOf.FindString(got[i]) != verdictOf.FindString(want[i]) || headerOf.FindString(got[i]) != headerOf.FindString(want[i]) {
				t.Fatalf("-syslog %s line %d:\n got %s\nwant %s", form, i+1, got[i], want[i])
			}
		}
	}
}

// TestGenSyslogFlag checks -syslog's errors: an unknown form, and a form for a JSON feed.
func TestGenSyslogFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"-syslog", "rfc3164"}, `unknown syslog form "rfc3164"`},
		{[]string{"-syslog", "bsd", "-feed", "cloud-web"}, "syslog form bsd needs a CEF format for feed web"},
	} {
		code, _, stderr := runCLI(t, "", append([]string{"gen", "-count", "1"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("gen %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitUsage, tc.stderr)
		}
	}
}
