package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/transport"
)

// addExternalFlags defines on fs the flags of 'run' about an external collector and its sink, with the
// same names, defaults and meanings, and returns the function that turns them into run.Config fields once
// fs is parsed (run.External), reporting every problem found.
func addExternalFlags(fs *flag.FlagSet, targetUsage string) func(set map[string]bool) (run.Config, error) {
	var x run.External
	fs.StringVar(&x.Target, "target", "", targetUsage+": tcp://, tls://, udp://host:port or http(s)://host:port/path (Cloud NSS JSON batches)")
	fs.StringVar(&x.CAFile, "ca", "", "tls:// and https:// targets: trust the CA certificates in this PEM file")
	fs.BoolVar(&x.Insecure, "insecure", false, "tls:// and https:// targets: do not verify the collector's certificate")
	fs.StringVar(&x.CertFile, "cert", "", "tls:// and https:// targets: present this client certificate (PEM; with -key), for collectors that require one (collect -client-ca)")
	fs.StringVar(&x.KeyFile, "key", "", "tls:// and https:// targets: the private key of -cert (PEM)")
	fs.IntVar(&x.BatchKB, "batch-size", 64, "http(s):// targets: NSS's Max Batch Size, in KB of records per POST")
	fs.BoolVar(&x.Gzip, "gzip", false, "http(s):// targets: gzip request bodies")
	fs.DurationVar(&x.RetryWindow, "retry-window", time.Minute, "http(s):// targets: retry a failing batch this long, then drop it (lost, retry_exhausted)")
	fs.DurationVar(&x.WriteTimeout, "write-timeout", 10*time.Second, "external targets: a write or request blocked this long counts as a broken connection")
	fs.DurationVar(&x.DuplicateWindow, "duplicate-window", 0, "stream targets: after reconnecting, send again the records of this window before the break (NSS's Duplicate Logs)")
	fs.StringVar(&x.Sink, "sink", "", "with -target: receive what the collector forwards on tcp://, udp:// or http://host:port and match it to what was sent")
	fs.DurationVar(&x.SinkWait, "sink-wait", 0, "stream sinks: before sending, wait up to this long for the collector to connect to the sink (syslog-ng retries only every time-reopen)")
	so := addSinkOptionFlags(fs)
	var headers transport.Headers
	fs.Var(&headers, "header", "http(s):// targets: an extra request header 'Name: value'; repeatable")
	return func(set map[string]bool) (run.Config, error) {
		var errs []error
		for _, name := range targetFlags {
			if set[name] && x.Target == "" {
				errs = append(errs, fmt.Errorf("-%s needs -target (an external collector)", name))
			} else if set[name] && x.Sink == "" && slices.Contains(sinkFlags, name) {
				errs = append(errs, fmt.Errorf("-%s needs -sink", name))
			}
		}
		var err error
		x.SinkOptions, err = so.options()
		x.Header = headers.Header
		cfg, cerr := x.Config()
		return cfg, errors.Join(append(errs, err, cerr)...)
	}
}

// sinkFlags only mean something with -sink, targetFlags with -target.
var (
	sinkFlags   = []string{"sink-format", "sink-id-field", "sink-alert-field", "sink-threat-field", "expect-forward", "sink-wait"}
	targetFlags = append([]string{"ca", "cert", "key", "insecure", "batch-size", "gzip", "retry-window", "write-timeout", "duplicate-window",
		"header", "sink"}, sinkFlags...)
)

// sinkOptionFlags are the flags saying how a sink reads what a collector forwards and what it expects,
// shared by 'run' and 'sweep' (with -sink) and 'sink'.
type sinkOptionFlags struct {
	format, id, alert, threat, expect *string
}

// addSinkOptionFlags defines -sink-format, -sink-id-field, -sink-alert-field, -sink-threat-field and
// -expect-forward on fs.
func addSinkOptionFlags(fs *flag.FlagSet) *sinkOptionFlags {
	return &sinkOptionFlags{
		format: fs.String("sink-format", "cef", "stream sinks: the forwarded records' format, cef or json (HTTP sinks always read JSON)"),
		id:     fs.String("sink-id-field", sink.DefaultIDField, "sink: where the record id is: a CEF extension key or a JSON field path (a.b.c)"),
		alert:  fs.String("sink-alert-field", sink.DefaultAlertField, "JSON sinks: the field path of the alert type"),
		threat: fs.String("sink-threat-field", "", "sink: check the technique the collector mapped each alert to, in this CEF key or JSON path"),
		expect: fs.String("expect-forward", "verdicts", "sink: which records must arrive: verdicts (the pipeline's alerts, and no drops) or all (every valid record: a relay)"),
	}
}

// options returns the sink options the flags give, or every problem found.
func (f *sinkOptionFlags) options() (sink.Options, error) {
	format, ferr := sink.ParseFormat(*f.format)
	expect, eerr := sink.ParseExpect(*f.expect)
	return sink.Options{Format: format, IDField: *f.id, AlertField: *f.alert, ThreatField: *f.threat, Expect: expect}, errors.Join(ferr, eerr)
}
