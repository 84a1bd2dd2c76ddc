package run

import (
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/sink"
)

// TestExternalConfig: the external-target settings of a command line become Config fields, every
// problem reported at once in the flags' words.
func TestExternalConfig(t *testing.T) {
	if cfg, err := (External{}).Config(); err != nil || cfg.Target != "" {
		t.Errorf("no target: %+v, %v", cfg, err)
	}
	ok := External{Target: "https://127.0.0.1:8443/nss", Insecure: true, BatchKB: 2, RetryWindow: time.Second, Sink: "tcp://127.0.0.1:1"}
	cfg, err := ok.Config()
	if err != nil || cfg.TLS == nil || !cfg.TLS.InsecureSkipVerify || cfg.HTTP.BatchSize != 2<<10 || cfg.WriteTimeout != -1 || cfg.Sink != ok.Sink {
		t.Errorf("Config() = %+v, %v", cfg, err)
	}
	bad := External{Target: "ftp://x:1", CAFile: "no-such-ca.pem", CertFile: "client.pem", BatchKB: 0, RetryWindow: 0, DuplicateWindow: -time.Second}
	_, err = bad.Config()
	for _, want := range []string{"ftp", "-ca: open no-such-ca.pem", "-cert and -key go together", "-batch-size 0", "-retry-window 0s", "-duplicate-window -1s"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

// TestExternalConfigGiven: a flag about the target without -target, or about the sink without -sink,
// is an error, reported with the sink options' own problems.
func TestExternalConfigGiven(t *testing.T) {
	x := External{Given: map[string]bool{"gzip": true, "sink-format": true}, SinkOptions: sink.Flags{Format: "xml", Expect: "verdicts"}}
	_, err := x.Config()
	for _, want := range []string{"-gzip needs -target", "-sink-format needs -target", `sink format "xml"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	x = External{Target: "tcp://127.0.0.1:1", BatchKB: 1, RetryWindow: time.Second, Given: map[string]bool{"sink-threat-field": true},
		SinkOptions: sink.Flags{Format: "json", Expect: "all", ThreatField: "threatId"}}
	cfg, err := x.Config()
	if err == nil || err.Error() != "-sink-threat-field needs -sink" {
		t.Errorf("Config() error = %v; want -sink-threat-field needs -sink", err)
	}
	if o := cfg.SinkOptions; o.Format != sink.FormatJSON || o.Expect != sink.ExpectAll || o.ThreatField != "threatId" {
		t.Errorf("SinkOptions = %+v; want the flags' options", o)
	}
}

// TestExternalConfigEmbedded: -cost and -listen set the embedded collector, a negative cost is an error,
// and either with -target is one too.
func TestExternalConfigEmbedded(t *testing.T) {
	cfg, err := External{Cost: time.Millisecond, Listen: "tcp://127.0.0.1:0"}.Config()
	if err != nil || cfg.Cost != time.Millisecond || cfg.Listen != "tcp://127.0.0.1:0" {
		t.Errorf("embedded: Config() = cost %v, listen %q, %v", cfg.Cost, cfg.Listen, err)
	}
	if _, err := (External{Cost: -time.Millisecond}).Config(); err == nil || err.Error() != "-cost -1ms: want 0 or more" {
		t.Errorf("negative cost: error %v", err)
	}
	x := External{Target: "tcp://127.0.0.1:1", BatchKB: 1, RetryWindow: time.Second, Cost: time.Millisecond, Listen: "tcp://127.0.0.1:0"}
	_, err = x.Config()
	for _, want := range []string{"-cost slows the embedded collector only; it means nothing with -target",
		"-listen sets the embedded collector's address; it means nothing with -target"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

// TestExternalConfigClientCert: a client certificate that cannot be loaded is an error naming -cert/-key.
func TestExternalConfigClientCert(t *testing.T) {
	x := External{Target: "tls://127.0.0.1:1", CertFile: "no-such-cert.pem", KeyFile: "no-such-key.pem", BatchKB: 1, RetryWindow: time.Second}
	if _, err := x.Config(); err == nil || !strings.Contains(err.Error(), "-cert/-key") || !strings.Contains(err.Error(), "no-such-cert.pem") {
		t.Errorf("Config() error = %v; want the -cert/-key load error", err)
	}
}

// TestShardSet: "i/n" with 0 <= i < n; anything else is refused with an example.
func TestShardSet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/4", Shard{0, 4}, true}, {"3/4", Shard{3, 4}, true}, {"0/1", Shard{0, 1}, true},
		{"4/4", Shard{}, false}, {"-1/4", Shard{}, false}, {"1/0", Shard{}, false}, {"1", Shard{}, false}, {"a/b", Shard{}, false},
	} {
		var s Shard
		err := s.Set(tc.in)
		if (err == nil) != tc.ok || s != tc.want || err != nil && err.Error() != `shard "`+tc.in+`": want i/n with 0 <= i < n, e.g. 0/4` {
			t.Errorf("Set(%q) = %v, %+v; want %+v, ok %t", tc.in, err, s, tc.want, tc.ok)
		}
		if tc.ok && s.String() != tc.in {
			t.Errorf("Set(%q).String() = %q", tc.in, s.String())
		}
	}
}
