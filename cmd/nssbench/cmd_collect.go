package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/endpoint"
	"github.com/nssbench/nssbench/harness/server"
	"github.com/nssbench/nssbench/harness/tlsconfig"
)

// outFlushEvery is how often collect's -out file is flushed, so that `tail -f` sees verdicts.
const outFlushEvery = time.Second

// collectFlags are the flags of 'collect'; the collector's limits go straight into its Config.
type collectFlags struct {
	listen, out, rulesFile, mapsFile, certFile, keyFile, metrics, clientCA, authFile *string
	strict                                                                           *bool
	every                                                                            *time.Duration
	limits                                                                           collector.Config
}

func addCollectFlags(fs *flag.FlagSet) *collectFlags {
	f := &collectFlags{
		listen:    fs.String("listen", "tcp://127.0.0.1:5514", "comma-separated listeners: tcp://, udp://, tls://, http://, https:// (port 0 picks a free one)"),
		out:       fs.String("out", "", "write every verdict as a JSON line to this file ('-' for stdout), flushed every second so it can be followed"),
		strict:    fs.Bool("strict", false, "parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed); default: lenient, as real parsers read NSS's unescaped values"),
		rulesFile: fs.String("rules", "", "collector and platform rules file (default: built-in)"),
		mapsFile:  fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: built-in)"),
		certFile:  fs.String("cert", "", "TLS certificate (PEM) for tls:// and https:// listeners"),
		keyFile:   fs.String("key", "", "TLS private key (PEM) for tls:// and https:// listeners"),
		metrics:   fs.String("metrics", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9102) at /metrics"),
		every:     fs.Duration("stats-every", 5*time.Second, "print a one-line stats update to stderr this often (0: never)"),
		clientCA:  fs.String("client-ca", "", "require a client certificate issued by a CA in this PEM file on tls:// and https:// listeners (mutual TLS)"),
		authFile:  fs.String("http-auth-file", "", "http(s):// listeners accept only requests carrying one of this file's 'Header: value' lines (e.g. 'Authorization: Bearer …'); others get 401"),
	}
	c := &f.limits
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
	cfg, code := f.config(e)
	if code != exitOK {
		return code
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

// config turns the parsed flags into the server's configuration; it reports a bad flag or file and
// returns its exit code.
func (f *collectFlags) config(e *env) (server.Config, int) {
	pl, code := loadPipeline(e, "collect", *f.rulesFile, *f.mapsFile, *f.strict)
	if pl == nil {
		return server.Config{}, code
	}
	if c := f.limits; c.MaxConnections < 0 || c.HTTPBudget <= 0 || c.HTTPQueueWait <= 0 || c.MaxRequests <= 0 || c.MaxRecords <= 0 || c.HTTPReadTimeout <= 0 || c.IdleTimeout == 0 {
		return server.Config{}, usageError(e.stderr, "collect", errors.New("-max-connections must be 0 or more; -http-budget, -http-queue-wait, -http-max-requests, -http-max-records, -http-read-timeout positive; -idle-timeout not 0"))
	}
	cfg := server.Config{Listen: strings.Split(*f.listen, ","), Pipeline: pl, Collector: f.limits}
	if *f.clientCA != "" && *f.certFile == "" && *f.keyFile == "" {
		return cfg, usageError(e.stderr, "collect", errors.New("-client-ca needs -cert and -key (it applies to tls:// and https:// listeners)"))
	}
	var err error
	if cfg.Collector.TLS, err = tlsconfig.Server(*f.certFile, *f.keyFile, *f.clientCA); err != nil {
		return cfg, usageError(e.stderr, "collect", err)
	}
	if *f.authFile != "" {
		if cfg.Collector.HTTPAuth, err = collector.ReadHTTPAuth(*f.authFile); err != nil {
			return cfg, usageError(e.stderr, "collect", fmt.Errorf("-http-auth-file: %w", err))
		}
	}
	return cfg, exitOK
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
		warnExposed(e, ln.URL(), ln.Addr())
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
		warnExposed(e, "-metrics http://"+addr.String(), addr)
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

// warnExposed warns when what is bound to addr is reachable beyond loopback.
func warnExposed(e *env, what string, addr net.Addr) {
	if !endpoint.AddrLoopback(addr) {
		fmt.Fprintf(e.stderr, "nssbench collect: warning: %s is reachable beyond this host (not a loopback address)\n", what)
	}
}
