package main

import (
	"flag"
	"time"

	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sink"
)

// addExternalFlags defines on fs the flags of 'run' about an external collector and its sink, with the
// same names, defaults and meanings, into the run.External it returns (Config once fs is parsed and
// Given set).
func addExternalFlags(fs *flag.FlagSet, targetUsage string) *run.External {
	x := &run.External{}
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
	addSinkOptionFlags(fs, &x.SinkOptions)
	fs.Var(&x.Header, "header", "http(s):// targets: an extra request header 'Name: value'; repeatable")
	return x
}

// addSinkOptionFlags defines on fs, into o, the flags saying how a sink reads what a collector forwards
// and what it expects, shared by 'run' and 'sweep' (with -sink) and 'sink': -sink-format,
// -sink-id-field, -sink-alert-field, -sink-threat-field and -expect-forward.
func addSinkOptionFlags(fs *flag.FlagSet, o *sink.Flags) {
	fs.StringVar(&o.Format, "sink-format", "cef", "stream sinks: the forwarded records' format, cef or json (HTTP sinks always read JSON)")
	fs.StringVar(&o.IDField, "sink-id-field", sink.DefaultIDField, "sink: where the record id is: a CEF extension key or a JSON field path (a.b.c)")
	fs.StringVar(&o.AlertField, "sink-alert-field", sink.DefaultAlertField, "JSON sinks: the field path of the alert type")
	fs.StringVar(&o.ThreatField, "sink-threat-field", "", "sink: check the technique the collector mapped each alert to, in this CEF key or JSON path")
	fs.StringVar(&o.Expect, "expect-forward", "verdicts", "sink: which records must arrive: verdicts (the pipeline's alerts, and no drops) or all (every valid record: a relay)")
}
