package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/nssbench/nssbench/harness/endpoint"
	"github.com/nssbench/nssbench/harness/server"
)

// outFlushEvery is how often collect's -out file is flushed, so that `tail -f` sees verdicts.
const outFlushEvery = time.Second

// collectFlags are the flags of 'collect'; the server's settings go straight into its server.Options.
type collectFlags struct {
	opts         server.Options
	out, metrics *string
	every        *time.Duration
}

func addCollectFlags(fs *flag.FlagSet) *collectFlags {
	f := &collectFlags{
		out:     fs.String("out", "", "write every verdict as a JSON line to this file ('-' for stdout), flushed every second so it can be followed"),
		metrics: fs.String("metrics", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9102) at /metrics"),
		every:   fs.Duration("stats-every", 5*time.Second, "print a one-line stats update to stderr this often (0: never)"),
	}
	o := &f.opts
	fs.StringVar(&o.Listen, "listen", "tcp://127.0.0.1:5514", "comma-separated listeners: tcp://, udp://, tls://, http://, https:// (port 0 picks a free one)")
	fs.BoolVar(&o.Strict, "strict", false, "parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed); default: lenient, as real parsers read NSS's unescaped values")
	fs.StringVar(&o.Rules, "rules", "", "collector and platform rules file (default: built-in)")
	fs.StringVar(&o.Mappings, "mappings", "", "alert-type → ATT&CK mapping file (default: built-in)")
	fs.StringVar(&o.CertFile, "cert", "", "TLS certificate (PEM) for tls:// and https:// listeners")
	fs.StringVar(&o.KeyFile, "key", "", "TLS private key (PEM) for tls:// and https:// listeners")
	fs.StringVar(&o.ClientCA, "client-ca", "", "require a client certificate issued by a CA in this PEM file on tls:// and https:// listeners (mutual TLS)")
	fs.StringVar(&o.AuthFile, "http-auth-file", "", "http(s):// listeners accept only requests carrying one of this file's 'Header: value' lines (e.g. 'Authorization: Bearer …'); others get 401")
	c := &o.Limits
	fs.IntVar(&c.MaxLine, "max-line", 64<<10, "longest record accepted, in bytes; longer ones are dropped as malformed/oversize")
	fs.IntVar(&c.MaxConnections, "max-connections", 1024, "open TCP, TLS and HTTP(S) connections per listener; more are closed at once and counted (0: no cap)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 5*time.Minute, "close a TCP or TLS stream, or an HTTP keep-alive connection, idle this long (negative: never)")
	fs.Int64Var(&c.HTTPBudget, "http-budget", 64<<20, "bytes of HTTP bodies (as sent, decompressed, indexed) held at once; a request beyond waits -http-queue-wait, then gets 503 with Retry-After")
	fs.DurationVar(&c.HTTPQueueWait, "http-queue-wait", 5*time.Second, "how long an HTTP request waits for room in -http-budget or a slot of -http-max-requests")
	fs.IntVar(&c.MaxRequests, "http-max-requests", 64, "HTTP requests decoded and decided at once")
	fs.IntVar(&c.MaxRecords, "http-max-records", 100_000, "records per HTTP request; a batch of more gets 413")
	fs.DurationVar(&c.HTTPReadTimeout, "http-read-timeout", time.Minute, "an HTTP request must have arrived whole within this; a body still arriving gets 408")
	return f
}

func cmdCollect(e *env, args []string) int {
	fs := newFlagSet("collect")
	f := addCollectFlags(fs)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	cfg, warnings, err := f.opts.Config()
	printWarnings(e, "collect", warnings)
	if err != nil {
		return usageError(e.stderr, "collect", err)
	}
	if *f.out != "" {
		sink, closeOut, err := server.CreateJSONLines(*f.out, e.stdout)
		if err != nil {
			return failure(e.stderr, "collect", err)
		}
		defer closeOut()
		cfg.Sink, cfg.FlushEvery = sink, outFlushEvery
	}
	return serve(e, cfg, *f.metrics, *f.every)
}

// serve runs the server of cfg, with Prometheus metrics on metrics when given, until interrupted or its
// sink fails, printing its stats every interval.
func serve(e *env, cfg server.Config, metrics string, every time.Duration) int {
	srv, err := server.Start(cfg)
	if err != nil {
		return failure(e.stderr, "collect", err)
	}
	fmt.Fprintf(e.stderr, "nssbench collect: listening on %s\n", strings.Join(srv.URLs(), ", "))
	for _, ln := range srv.Listeners() {
		warn(e, "collect", endpoint.Exposed(ln.URL(), endpoint.AddrLoopback(ln.Addr())))
	}
	if metrics != "" {
		stop, addr, err := server.ServeMetrics(metrics, srv)
		if err != nil {
			srv.Close()
			fmt.Fprintf(e.stderr, "nssbench collect: metrics: %v\n", err)
			return exitFailure
		}
		defer stop()
		fmt.Fprintf(e.stderr, "nssbench collect: Prometheus metrics on http://%s/metrics\n", addr)
		warn(e, "collect", endpoint.Exposed("-metrics http://"+addr.String(), endpoint.AddrLoopback(addr)))
	}
	if err := srv.Watch(e.ctx, every, func(st string) { fmt.Fprintf(e.stderr, "nssbench collect: %s\n", st) }); err != nil {
		fmt.Fprintf(e.stderr, "nssbench collect: stopping: %v\n", err)
	}
	err = srv.Close()
	fmt.Fprintf(e.stderr, "nssbench collect: stopped; %s\n", srv)
	if err != nil {
		return failure(e.stderr, "collect", err)
	}
	return exitOK
}
