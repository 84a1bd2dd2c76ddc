package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/reports"
)

// Test inputs shared with harness/run.
const (
	runTestdata       = "../../harness/run/testdata/"
	alertsScenario    = runTestdata + "alerts-and-default-allow.json"
	syslogNGFilterCfg = runTestdata + "syslog-ng-filter-allow.conf"
)

// runCLIWithin is runCLI with a deadline: the run is interrupted (and the test fails) if it takes longer.
func runCLIWithin(t *testing.T, d time.Duration, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var out, errb bytes.Buffer
	code := mainArgs(&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, ctx: ctx}, args)
	if ctx.Err() != nil {
		t.Fatalf("nssbench %v did not finish within %v (exit %d)\nstderr: %s", args, d, code, errb.String())
	}
	return code, out.String(), errb.String()
}

func TestRunTargetFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"sink without target", []string{"-sink", "tcp://127.0.0.1:0"}, exitUsage, "-sink needs -target"},
		{"gzip without target", []string{"-gzip"}, exitUsage, "-gzip needs -target"},
		{"sink flag without sink", []string{"-target", "tcp://127.0.0.1:1", "-sink-threat-field", "threatId"}, exitUsage, "-sink-threat-field needs -sink"},
		{"bad scheme", []string{"-target", "ftp://127.0.0.1:21"}, exitUsage, `unknown scheme "ftp"`},
		{"bad expectation", []string{"-target", "tcp://127.0.0.1:1", "-sink", "tcp://127.0.0.1:0", "-expect-forward", "some"}, exitUsage, `expect-forward "some"`},
		{"bad sink format", []string{"-target", "tcp://127.0.0.1:1", "-sink", "tcp://127.0.0.1:0", "-sink-format", "xml"}, exitUsage, `sink format "xml"`},
		{"bad header", []string{"-target", "https://127.0.0.1:1", "-header", "no colon"}, exitUsage, `header "no colon"`},
		{"missing CA file", []string{"-target", "tls://127.0.0.1:1", "-ca", "no-such-ca.pem"}, exitUsage, "no-such-ca.pem"},
		{"refused target", []string{"-target", "tcp://127.0.0.1:1"}, exitFailure, "cannot connect to tcp://127.0.0.1:1"},
		{"TLS sink", []string{"-target", "tcp://127.0.0.1:1", "-sink", "tls://127.0.0.1:0"}, exitFailure, "a sink listens on tcp://, udp:// or http://"},
		{"bad start time", []string{"-start-at", "23:30"}, exitUsage, `time "23:30": want RFC 3339`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			code, stdout, stderr := runCLI(t, "", append([]string{"run", "-quiet", "-count", "10"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("nssbench run %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.stderr)
			}
			if stdout != "" {
				t.Errorf("a failed run wrote a report:\n%s", stdout)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to fail", d)
			}
		})
	}
}

// TestRunRelayCLI runs the CLI against a relay that forwards everything to the sink: exit 0 and a report
// with the delivery section.
func TestRunRelayCLI(t *testing.T) {
	t.Parallel()
	sinkPort := runtest.FreePort(t)
	relay := runtest.StartRelay(t, fmt.Sprintf("127.0.0.1:%d", sinkPort))
	code, stdout, stderr := runCLIWithin(t, 20*time.Second, "run", "-quiet", "-scenario", "smoke", "-count", "1000", "-rate", "10000/s",
		"-target", relay.URL(), "-sink", fmt.Sprintf("tcp://127.0.0.1:%d", sinkPort), "-expect-forward", "all")
	if code != exitOK {
		t.Fatalf("exit %d; want 0\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	for _, want := range []string{"target " + relay.URL() + " over tcp", "delivery (sink tcp://127.0.0.1:", "expect all",
		"conformance: 1000 checked, 0 mismatches", ": balanced"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
}

// TestRunSyslogNGFilter runs the CLI against a real syslog-ng that wrongly drops every firewall record
// allowed by a rule: conformance through the external pipeline names the missing RDP Allow alerts, and
// the run exits with the conformance code. Skipped when syslog-ng is not installed.
func TestRunSyslogNGFilter(t *testing.T) {
	t.Parallel()
	sinkPort := runtest.FreePort(t)
	target := runtest.SyslogNG(t, syslogNGFilterCfg, sinkPort)
	code, stdout, stderr := runCLIWithin(t, 30*time.Second, "run", "-quiet", "-scenario", alertsScenario, "-drain", "2s",
		"-target", target, "-sink", fmt.Sprintf("tcp://127.0.0.1:%d", sinkPort), "-sink-wait", "5s")
	if code != exitConformance {
		t.Fatalf("exit %d; want %d (conformance)\nstderr: %s\nstdout: %s", code, exitConformance, stderr, stdout)
	}
	// The class table row: alerts mapped unmapped dropped lost checked mismatches.
	row := regexp.MustCompile(`(?m)^\s+(\S+)\s+(\d+)\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s+\d+\s+(\d+)$`)
	var rdpLost uint64
	for _, m := range row.FindAllStringSubmatch(stdout, -1) {
		class := m[1]
		alerts, _ := strconv.ParseUint(m[2], 10, 64)
		dropped, _ := strconv.ParseUint(m[3], 10, 64)
		lost, _ := strconv.ParseUint(m[4], 10, 64)
		mismatches, _ := strconv.ParseUint(m[5], 10, 64)
		switch {
		case class == "alert.rdp_allow":
			if alerts != 0 || lost == 0 || mismatches != lost {
				t.Errorf("%s: %d arrived, %d lost, %d mismatches; want every one missing and a mismatch", class, alerts, lost, mismatches)
			}
			rdpLost = lost
		case strings.HasPrefix(class, "alert."):
			if alerts == 0 || lost != 0 || mismatches != 0 {
				t.Errorf("%s: %d arrived, %d lost, %d mismatches; want all arrived", class, alerts, lost, mismatches)
			}
		case strings.HasPrefix(class, "default_allow."):
			if alerts != 0 || dropped == 0 || mismatches != 0 {
				t.Errorf("%s: %d arrived, %d dropped, %d mismatches; want all dropped", class, alerts, dropped, mismatches)
			}
		}
	}
	if rdpLost == 0 {
		t.Fatalf("no alert.rdp_allow row in the report:\n%s", stdout)
	}
	for _, want := range []string{
		// A record that never arrived gets no verdict, so it is a mismatch but not a checked verdict.
		fmt.Sprintf("conformance: %d checked, %d mismatches", 2000-rdpLost, rdpLost),
		`class "alert.rdp_allow"`, `verdict got "missing" want "alert"`, "RDP Allow",
		fmt.Sprintf("lost %d (not_delivered %d)", rdpLost, rdpLost),
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
}

// TestRunStartAt: -start-at holds the schedule until the given time, and a time already past starts it
// at once with a warning; the empty value (as a manifest's unset variable gives) means no wait.
func TestRunStartAt(t *testing.T) {
	at := time.Now().Add(1500 * time.Millisecond).UTC().Truncate(time.Millisecond)
	out := filepath.Join(t.TempDir(), "report.json")
	code, _, stderr := runCLIWithin(t, 30*time.Second, "run", "-count", "200", "-rate", "10000/s",
		"-start-at", at.Format(time.RFC3339Nano), "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d; want 0\nstderr: %s", code, stderr)
	}
	if !strings.Contains(stderr, "the schedule starts at "+at.Format(time.RFC3339Nano)) {
		t.Errorf("stderr does not announce the start:\n%s", stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := reports.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if late := rep.Meta.Started.Sub(at); late < 0 || late > 250*time.Millisecond {
		t.Errorf("report started %v after -start-at; want within [0, 250ms]", late)
	}

	code, _, stderr = runCLIWithin(t, 30*time.Second, "run", "-quiet", "-count", "10", "-start-at", "2020-01-01T00:00:00Z")
	if code != exitOK || !strings.Contains(stderr, "-start-at 2020-01-01T00:00:00Z had passed") {
		t.Errorf("past -start-at: exit %d, stderr %q; want 0 and a warning", code, stderr)
	}
	code, _, stderr = runCLIWithin(t, 30*time.Second, "run", "-quiet", "-count", "10", "-start-at=")
	if code != exitOK || stderr != "" {
		t.Errorf("empty -start-at: exit %d, stderr %q; want 0 and no output", code, stderr)
	}
}

// TestRunScenarioChecks: what run refuses in a scenario file, and what its flags make up for.
func TestRunScenarioChecks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) string {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	udp := write("udp-scn", `{"count": 20, "pacer": {"rate": "5000/s"}, "mix": {"*": 1}, "transport": "udp"}`)
	tls := write("tls-scn", `{"count": 20, "pacer": {"rate": "5000/s"}, "mix": {"*": 1}, "transport": "tls"}`)
	tcp := write("tcp-scn", `{"count": 20, "pacer": {"rate": "5000/s"}, "mix": {"*": 1}, "transport": "tcp"}`)
	noPacer := write("no-pacer", `{"count": 20, "mix": {"*": 1}}`)
	badGates := write("bad-gates", "{\n  \"count\": 20, \"mix\": {\"*\": 1},\n  \"connections\": 0,\n  \"thresholds\": [\"p99<<5ms\"]\n}")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"udp scenario, embedded", []string{"-scenario", udp}, exitUsage,
			"scenario udp-scn asks for transport udp, but the embedded collector is reached over TCP: give -target udp://… or tls://…"},
		{"tls scenario, embedded", []string{"-scenario", tls}, exitUsage, "scenario tls-scn asks for transport tls, but the embedded collector is reached over TCP"},
		{"udp scenario, target decides", []string{"-scenario", udp, "-target", "tcp://127.0.0.1:1"}, exitFailure, "cannot connect to tcp://127.0.0.1:1"},
		{"tcp scenario", []string{"-scenario", tcp}, exitOK, ""},
		{"no pacer", []string{"-scenario", noPacer}, exitUsage, "scenario no-pacer has no pacer: give -rate or -replay"},
		{"no pacer, -rate", []string{"-scenario", noPacer, "-rate", "1000/s"}, exitOK, ""},
		{"bad thresholds among other problems", []string{"-scenario", badGates, "-rate", "1000/s"}, exitUsage,
			badGates + ":3: connections: want an integer in [1, 100000], got 0\n" +
				badGates + `:4: thresholds[0]: "p99<<5ms": col 5: expected a number or duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLIWithin(t, 20*time.Second, append([]string{"run", "-quiet"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("nssbench run %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.stderr)
			}
			if tt.code == exitOK && stderr != "" {
				t.Errorf("stderr %q; want none", stderr)
			}
			if (code == exitOK) != strings.Contains(stdout, "conformance") {
				t.Errorf("exit %d with report %q; want a report exactly when the run succeeds", code, stdout)
			}
		})
	}
}
