package run

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/tlsconfig"
	"github.com/nssbench/nssbench/harness/transport"
)

// External is an external target and its sink as a command line gives them, with the embedded
// collector's settings that mean nothing with a target; each field is named by the flag of 'nssbench
// run' that sets it, and errors name those flags.
type External struct {
	Given           map[string]bool   // the flags given: one about the target without -target, or about the sink without -sink, is an error
	Target          string            // -target
	CAFile          string            // -ca: trust these CA certificates (PEM)
	CertFile        string            // -cert: present this client certificate (PEM), with KeyFile
	KeyFile         string            // -key: the private key of CertFile (PEM)
	Insecure        bool              // -insecure: do not verify the collector's certificate
	BatchKB         int               // -batch-size, in KB (> 0)
	Gzip            bool              // -gzip
	RetryWindow     time.Duration     // -retry-window (> 0)
	WriteTimeout    time.Duration     // -write-timeout (<= 0: never)
	DuplicateWindow time.Duration     // -duplicate-window (>= 0)
	Header          transport.Headers // -header
	Sink            string            // -sink
	SinkOptions     sink.Flags        // -sink-format, -sink-id-field, …
	SinkWait        time.Duration     // -sink-wait
	Cost            time.Duration     // -cost: the embedded collector's extra work per record (>= 0; not with Target)
	Listen          string            // -listen: the embedded collector's address (not with Target)
}

// sinkFlags only mean something with -sink, targetFlags with -target.
var (
	sinkFlags   = []string{"sink-format", "sink-id-field", "sink-alert-field", "sink-threat-field", "expect-forward", "sink-wait"}
	targetFlags = append([]string{"ca", "cert", "key", "insecure", "batch-size", "gzip", "retry-window", "write-timeout", "duplicate-window",
		"header", "sink"}, sinkFlags...)
)

// Config returns the Config fields x sets, reporting every problem found. A zero Target leaves Config
// without an external target, with the embedded collector's Cost and Listen.
func (x External) Config() (Config, error) {
	var cfg Config
	var errs []error
	for _, name := range targetFlags {
		if x.Given[name] && x.Target == "" {
			errs = append(errs, fmt.Errorf("-%s needs -target (an external collector)", name))
		} else if x.Given[name] && x.Sink == "" && slices.Contains(sinkFlags, name) {
			errs = append(errs, fmt.Errorf("-%s needs -sink", name))
		}
	}
	so, err := x.SinkOptions.Options()
	errs = append(errs, err)
	if x.Cost < 0 {
		errs = append(errs, fmt.Errorf("-cost %v: want 0 or more", x.Cost))
	}
	if x.Target == "" {
		cfg.Cost, cfg.Listen = x.Cost, x.Listen
		return cfg, errors.Join(errs...)
	}
	if _, err := transport.ParseTarget(x.Target); err != nil {
		errs = append(errs, err)
	}
	cfg.Target = x.Target
	if x.Cost > 0 {
		errs = append(errs, errors.New("-cost slows the embedded collector only; it means nothing with -target"))
	}
	if x.Listen != "" {
		errs = append(errs, errors.New("-listen sets the embedded collector's address; it means nothing with -target"))
	}
	tc, err := tlsconfig.Client(x.CAFile, x.Insecure)
	if err != nil {
		errs = append(errs, fmt.Errorf("-ca: %w", err))
	}
	if x.CertFile == "" && x.KeyFile != "" || x.CertFile != "" && x.KeyFile == "" {
		errs = append(errs, errors.New("-cert and -key go together: a client certificate and its private key"))
	} else if tc, err = tlsconfig.WithClientCert(tc, x.CertFile, x.KeyFile); err != nil {
		errs = append(errs, fmt.Errorf("-cert/-key: %w", err))
	}
	cfg.TLS = tc
	if x.BatchKB <= 0 {
		errs = append(errs, fmt.Errorf("-batch-size %d: want a positive number of KB", x.BatchKB))
	}
	if x.RetryWindow <= 0 {
		errs = append(errs, fmt.Errorf("-retry-window %v: want a positive duration", x.RetryWindow))
	}
	if x.DuplicateWindow < 0 {
		errs = append(errs, fmt.Errorf("-duplicate-window %v: want 0 or more", x.DuplicateWindow))
	}
	cfg.HTTP = transport.HTTPOptions{BatchSize: x.BatchKB << 10, Gzip: x.Gzip, RetryWindow: x.RetryWindow, Header: x.Header.Header}
	cfg.WriteTimeout = x.WriteTimeout
	if x.WriteTimeout <= 0 {
		cfg.WriteTimeout = -1 // never
	}
	cfg.DuplicateWindow = x.DuplicateWindow
	cfg.Sink, cfg.SinkOptions, cfg.SinkWait = x.Sink, so, x.SinkWait
	return cfg, errors.Join(errs...)
}
