package server

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/tlsconfig"
)

// Options are a server's settings as 'nssbench collect' gives them; each field is named by the flag that
// sets it, and errors name those flags.
type Options struct {
	Listen   string // -listen: comma-separated listener URLs
	Rules    string // -rules ("": the built-in rules)
	Mappings string // -mappings ("": the built-in mapping)
	Strict   bool   // -strict: parse CEF extensions to the letter of the specification
	CertFile string // -cert: the TLS listeners' certificate (PEM)
	KeyFile  string // -key: its private key (PEM)
	ClientCA string // -client-ca: require client certificates issued by these CAs (PEM), with CertFile and KeyFile
	AuthFile string // -http-auth-file: the credentials HTTP(S) listeners accept (collector.ReadHTTPAuth)
	// Limits are the collector's limits (-max-line, -max-connections, -idle-timeout, -http-*):
	// MaxConnections 0 or more, IdleTimeout not 0, the HTTP ones positive.
	Limits collector.Config
}

// Config returns the server's configuration without a sink: the pipeline of o's rules and mappings, its
// mapping file's warnings, the listeners, limits, TLS and HTTP credentials. It returns the first problem
// found; every one is the command line's.
func (o Options) Config() (Config, []pipeline.Warning, error) {
	pl, warnings, err := pipeline.Load(o.Rules, o.Mappings, pipeline.Options{Strict: o.Strict})
	if err != nil {
		return Config{}, warnings, err
	}
	if c := o.Limits; c.MaxConnections < 0 || c.HTTPBudget <= 0 || c.HTTPQueueWait <= 0 || c.MaxRequests <= 0 || c.MaxRecords <= 0 || c.HTTPReadTimeout <= 0 || c.IdleTimeout == 0 {
		return Config{}, warnings, errors.New("-max-connections must be 0 or more; -http-budget, -http-queue-wait, -http-max-requests, -http-max-records, -http-read-timeout positive; -idle-timeout not 0")
	}
	cfg := Config{Listen: strings.Split(o.Listen, ","), Pipeline: pl, Collector: o.Limits}
	switch cfg.Collector.TLS, err = tlsconfig.Server(o.CertFile, o.KeyFile, o.ClientCA); {
	case errors.Is(err, tlsconfig.ErrClientCAAlone):
		return cfg, warnings, errors.New("-client-ca needs -cert and -key (it applies to tls:// and https:// listeners)")
	case err != nil:
		return cfg, warnings, err
	}
	if o.AuthFile != "" {
		if cfg.Collector.HTTPAuth, err = collector.ReadHTTPAuth(o.AuthFile); err != nil {
			return cfg, warnings, fmt.Errorf("-http-auth-file: %w", err)
		}
	}
	return cfg, warnings, nil
}
