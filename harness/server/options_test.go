package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
)

// TestOptionsConfig: a command line's settings become the server's configuration; a bad limit, a client
// CA without the server's certificate, a missing or bad credentials file and a bad rules file are errors
// in the flags' words.
func TestOptionsConfig(t *testing.T) {
	dir := t.TempDir()
	auth, badAuth := filepath.Join(dir, "auth"), filepath.Join(dir, "bad")
	os.WriteFile(auth, []byte("Authorization: Bearer x\n"), 0o600)
	os.WriteFile(badAuth, []byte("Authorization Bearer x\n"), 0o600)
	limits := collector.Config{MaxLine: 1 << 10, IdleTimeout: time.Minute, HTTPBudget: 1 << 20, HTTPQueueWait: time.Second,
		MaxRequests: 1, MaxRecords: 10, HTTPReadTimeout: time.Second}
	ok := Options{Listen: "tcp://127.0.0.1:0,udp://127.0.0.1:0", AuthFile: auth, Limits: limits}
	cfg, _, err := ok.Config()
	if err != nil || len(cfg.Listen) != 2 || cfg.Pipeline == nil || cfg.Collector.TLS != nil || len(cfg.Collector.HTTPAuth) != 1 || cfg.Collector.MaxLine != 1<<10 {
		t.Fatalf("Config() = %+v, %v", cfg, err)
	}
	for _, tc := range []struct {
		name string
		edit func(o *Options)
		want string
	}{
		{"negative max-connections", func(o *Options) { o.Limits.MaxConnections = -1 }, "-max-connections must be 0 or more"},
		{"zero idle timeout", func(o *Options) { o.Limits.IdleTimeout = 0 }, "-idle-timeout not 0"},
		{"client CA alone", func(o *Options) { o.ClientCA = "ca.pem" }, "-client-ca needs -cert and -key"},
		{"missing certificate", func(o *Options) { o.CertFile, o.KeyFile = "none.pem", "none.key" }, "load TLS certificate"},
		{"missing auth file", func(o *Options) { o.AuthFile = filepath.Join(dir, "none") }, "-http-auth-file: open"},
		{"bad auth file", func(o *Options) { o.AuthFile = badAuth }, "-http-auth-file: " + badAuth + ":1: want"},
		{"missing rules", func(o *Options) { o.Rules = filepath.Join(dir, "none.json") }, "none.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.edit(&o)
			if _, _, err := o.Config(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Config() error = %v; want %q", err, tc.want)
			}
		})
	}
}
