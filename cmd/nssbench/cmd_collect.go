package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/server"
	"github.com/nssbench/nssbench/harness/tlsconfig"
)

// outFlushEvery is how often collect's -out file is flushed, so that `tail -f` sees verdicts.
const outFlushEvery = time.Second

// collectFlags are the flags of 'collect'.
type collectFlags struct {
	listen, out, rulesFile, mapsFile, certFile, keyFile, metrics, clientCA, authFile *string
	strict                                                                           *bool
	every, idle, queueWait, readTO                                                   *time.Duration
	maxLine, maxConns, maxReqs, maxRecs                                              *int
	budget                                                                           *int64
}

func addCollectFlags(fs *flag.FlagSet) *collectFlags {
	return &collectFlags{
		listen:    fs.String("listen", "tcp://127.0.0.1:5514", "comma-separated listeners: tcp://, udp://, tls://, http://, https:// (port 0 picks a free one)"),
		out:       fs.String("out", "", "write every verdict as a JSON line to this file ('-' for stdout), flushed every second so it can be followed"),
		strict:    fs.Bool("strict", false, "parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed); default: lenient, as real parsers read NSS's unescaped values"),
		rulesFile: fs.String("rules", "", "collector and platform rules file (default: built-in)"),
		mapsFile:  fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: built-in)"),
		certFile:  fs.String("cert", "", "TLS certificate (PEM) for tls:// and https:// listeners"),
		keyFile:   fs.String("key", "", "TLS private key (PEM) for tls:// and https:// listeners"),
		metrics:   fs.String("metrics", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9102) at /metrics"),
		every:     fs.Duration("stats-every", 5*time.Second, "print a one-line stats update to stderr this often (0: never)"),
		maxLine:   fs.Int("max-line", 64<<10, "longest record accepted, in bytes; longer ones are dropped as malformed/oversize"),
		clientCA:  fs.String("client-ca", "", "require a client certificate issued by a CA in this PEM file on tls:// and https:// listeners (mutual TLS)"),
		authFile:  fs.String("http-auth-file", "", "http(s):// listeners accept only requests carrying one of this file's 'Header: value' lines (e.g. 'Authorization: Bearer …'); others get 401"),
		maxConns:  fs.Int("max-connections", 1024, "open TCP, TLS and HTTP(S) connections per listener; more are closed at once and counted (0: no cap)"),
		idle:      fs.Duration("idle-timeout", 5*time.Minute, "close a TCP or TLS stream, or an HTTP keep-alive connection, idle this long (negative: never)"),
		budget:    fs.Int64("http-budget", 64<<20, "bytes of HTTP bodies (as sent, decompressed, indexed) held at once; a request beyond waits -http-queue-wait, then gets 503 with Retry-After"),
		queueWait: fs.Duration("http-queue-wait", 5*time.Second, "how long an HTTP request waits for room in -http-budget or a slot of -http-max-requests"),
		maxReqs:   fs.Int("http-max-requests", 64, "HTTP requests decoded and decided at once"),
		maxRecs:   fs.Int("http-max-records", 100_000, "records per HTTP request; a batch of more gets 413"),
		readTO:    fs.Duration("http-read-timeout", time.Minute, "an HTTP request must have arrived whole within this; a body still arriving gets 408"),
	}
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
		w := e.stdout
		if *f.out != "-" {
			out, err := os.Create(*f.out)
			if err != nil {
				return failure(e.stderr, "collect", err)
			}
			defer out.Close()
			w = out
		}
		cfg.Sink = server.NewJSONLines(w)
		cfg.FlushEvery = outFlushEvery
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
	if *f.maxConns < 0 || *f.budget <= 0 || *f.queueWait <= 0 || *f.maxReqs <= 0 || *f.maxRecs <= 0 || *f.readTO <= 0 || *f.idle == 0 {
		return server.Config{}, usageError(e.stderr, "collect", errors.New("-max-connections must be 0 or more; -http-budget, -http-queue-wait, -http-max-requests, -http-max-records, -http-read-timeout positive; -idle-timeout not 0"))
	}
	cfg := server.Config{Listen: strings.Split(*f.listen, ","), Pipeline: pl, Collector: collector.Config{
		MaxLine: *f.maxLine, MaxConnections: *f.maxConns, IdleTimeout: *f.idle, HTTPBudget: *f.budget, HTTPQueueWait: *f.queueWait,
		MaxRequests: *f.maxReqs, MaxRecords: *f.maxRecs, HTTPReadTimeout: *f.readTO,
	}}
	if *f.clientCA != "" && *f.certFile == "" && *f.keyFile == "" {
		return cfg, usageError(e.stderr, "collect", errors.New("-client-ca needs -cert and -key (it applies to tls:// and https:// listeners)"))
	}
	var err error
	if cfg.Collector.TLS, err = tlsconfig.Server(*f.certFile, *f.keyFile, *f.clientCA); err != nil {
		return cfg, usageError(e.stderr, "collect", err)
	}
	if *f.authFile != "" {
		data, err := os.ReadFile(*f.authFile)
		if err == nil {
			cfg.Collector.HTTPAuth, err = collector.ParseHTTPAuth(*f.authFile, data)
		}
		if err != nil {
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
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsLoopback() {
		return
	}
	if ua, ok := addr.(*net.UDPAddr); ok && ua.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(e.stderr, "nssbench collect: warning: %s is reachable beyond this host (not a loopback address)\n", what)
}
