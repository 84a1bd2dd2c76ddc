package main

import (
	"strings"
	"testing"
	"time"
)

func TestSinkFlags(t *testing.T) {
	t.Parallel()
	start := "-start-at=" + time.Now().UTC().Format(time.RFC3339)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no start time", []string{"-count", "10"}, exitUsage, "-start-at is required"},
		{"bad start time", []string{"-start-at", "23:30"}, exitUsage, `time "23:30": want RFC 3339`},
		{"no shards", []string{start, "-count", "10", "-shards", "0"}, exitUsage, "-shards 0: want 1 or more"},
		{"bad expectation", []string{start, "-count", "10", "-expect-forward", "some"}, exitUsage, `expect-forward "some"`},
		{"bad sink format", []string{start, "-count", "10", "-sink-format", "xml"}, exitUsage, `sink format "xml"`},
		{"unknown scenario", []string{start, "-count", "10", "-scenario", "no-such"}, exitUsage, "no-such"},
		{"argument", []string{start, "-count", "10", "extra"}, exitUsage, `unexpected argument "extra"`},
		{"TLS listener", []string{start, "-count", "10", "-listen", "tls://127.0.0.1:0"}, exitFailure, "a sink listens on tcp://, udp:// or http://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLIWithin(t, 5*time.Second, append([]string{"sink", "-quiet"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("nssbench sink %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.stderr)
			}
			if stdout != "" {
				t.Errorf("a failed sink wrote a report:\n%s", stdout)
			}
		})
	}
}

// TestSinkNothingArrives: a sink that receives nothing reports every expected record lost and exits 3.
func TestSinkNothingArrives(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLIWithin(t, 10*time.Second, "sink", "-quiet", "-listen", "tcp://127.0.0.1:0",
		"-scenario", "smoke", "-count", "100", "-rate", "10000/s", "-shards", "2", "-drain", "100ms", "-expect-forward", "all",
		"-start-at", time.Now().UTC().Format(time.RFC3339Nano))
	if code != exitConformance {
		t.Fatalf("exit %d, want %d\nstderr: %s\nstdout: %s", code, exitConformance, stderr, stdout)
	}
	for _, want := range []string{"delivery (sink tcp://127.0.0.1:", "not_delivered", "this host's clock"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
}
