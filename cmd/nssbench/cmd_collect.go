package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/server"
)

// outFlushEvery is how often collect's -out file is flushed, so that `tail -f` sees verdicts.
const outFlushEvery = time.Second

func cmdCollect(e *env, args []string) int {
	fs := newFlagSet(e, "collect", "collect [flags]", `  nssbench collect -listen tcp://127.0.0.1:5514 -out verdicts.jsonl
  nssbench collect -listen tcp://127.0.0.1:5514,udp://127.0.0.1:5514,http://127.0.0.1:8088 -metrics 127.0.0.1:9102
  nssbench collect -listen tls://127.0.0.1:6514 -cert server.pem -key server.key -mappings my-mappings.json
`)
	var (
		listen    = fs.String("listen", "tcp://127.0.0.1:5514", "comma-separated listeners: tcp://, udp://, tls://, http://, https:// (port 0 picks a free one)")
		out       = fs.String("out", "", "write every verdict as a JSON line to this file ('-' for stdout), flushed every second so it can be followed")
		strict    = fs.Bool("strict", false, "parse CEF extensions to the letter of the specification (a raw '=' in a value is malformed); default: lenient, as real parsers read NSS's unescaped values")
		rulesFile = fs.String("rules", "", "collector and platform rules file (default: built-in)")
		mapsFile  = fs.String("mappings", "", "alert-type → ATT&CK mapping file (default: built-in)")
		certFile  = fs.String("cert", "", "TLS certificate (PEM) for tls:// and https:// listeners")
		keyFile   = fs.String("key", "", "TLS private key (PEM) for tls:// and https:// listeners")
		metrics   = fs.String("metrics", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9102) at /metrics")
		every     = fs.Duration("stats-every", 5*time.Second, "print a one-line stats update to stderr this often (0: never)")
		maxLine   = fs.Int("max-line", 64<<10, "longest record accepted, in bytes; longer ones are dropped as malformed/oversize")
		clientCA  = fs.String("client-ca", "", "require a client certificate issued by a CA in this PEM file on tls:// and https:// listeners (mutual TLS)")
		authFile  = fs.String("http-auth-file", "", "http(s):// listeners accept only requests carrying one of this file's 'Header: value' lines (e.g. 'Authorization: Bearer …'); others get 401")
		maxConns  = fs.Int("max-connections", 1024, "open TCP, TLS and HTTP(S) connections per listener; more are closed at once and counted (0: no cap)")
		idle      = fs.Duration("idle-timeout", 5*time.Minute, "close a TCP or TLS stream, or an HTTP keep-alive connection, idle this long (negative: never)")
		budget    = fs.Int64("http-budget", 64<<20, "bytes of HTTP bodies (as sent, decompressed, indexed) held at once; a request beyond waits -http-queue-wait, then gets 503 with Retry-After")
		queueWait = fs.Duration("http-queue-wait", 5*time.Second, "how long an HTTP request waits for room in -http-budget or a slot of -http-max-requests")
		maxReqs   = fs.Int("http-max-requests", 64, "HTTP requests decoded and decided at once")
		maxRecs   = fs.Int("http-max-records", 100_000, "records per HTTP request; a batch of more gets 413")
		readTO    = fs.Duration("http-read-timeout", time.Minute, "an HTTP request must have arrived whole within this; a body still arriving gets 408")
	)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	pl, code := loadPipeline(e, "collect", *rulesFile, *mapsFile, *strict)
	if pl == nil {
		return code
	}
	if *maxConns < 0 || *budget <= 0 || *queueWait <= 0 || *maxReqs <= 0 || *maxRecs <= 0 || *readTO <= 0 || *idle == 0 {
		return usageError(e.stderr, "collect", errors.New("-max-connections must be 0 or more; -http-budget, -http-queue-wait, -http-max-requests, -http-max-records, -http-read-timeout positive; -idle-timeout not 0"))
	}
	cfg := server.Config{Listen: strings.Split(*listen, ","), Pipeline: pl, Collector: collector.Config{
		MaxLine: *maxLine, MaxConnections: *maxConns, IdleTimeout: *idle, HTTPBudget: *budget, HTTPQueueWait: *queueWait,
		MaxRequests: *maxReqs, MaxRecords: *maxRecs, HTTPReadTimeout: *readTO,
	}}
	if *certFile != "" || *keyFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return usageError(e.stderr, "collect", fmt.Errorf("load TLS certificate: %w", err))
		}
		cfg.Collector.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if *clientCA != "" {
		if cfg.Collector.TLS == nil {
			return usageError(e.stderr, "collect", errors.New("-client-ca needs -cert and -key (it applies to tls:// and https:// listeners)"))
		}
		pem, err := os.ReadFile(*clientCA)
		if err != nil {
			return usageError(e.stderr, "collect", fmt.Errorf("-client-ca: %w", err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return usageError(e.stderr, "collect", fmt.Errorf("-client-ca %s: no PEM certificate", *clientCA))
		}
		cfg.Collector.TLS.ClientCAs, cfg.Collector.TLS.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	if *authFile != "" {
		data, err := os.ReadFile(*authFile)
		if err != nil {
			return usageError(e.stderr, "collect", fmt.Errorf("-http-auth-file: %w", err))
		}
		if cfg.Collector.HTTPAuth, err = collector.ParseHTTPAuth(*authFile, data); err != nil {
			return usageError(e.stderr, "collect", fmt.Errorf("-http-auth-file: %w", err))
		}
	}
	if *out != "" {
		w := e.stdout
		if *out != "-" {
			f, err := os.Create(*out)
			if err != nil {
				fmt.Fprintf(e.stderr, "nssbench collect: %v\n", err)
				return exitFailure
			}
			defer f.Close()
			w = f
		}
		cfg.Sink = server.NewJSONLines(w)
		cfg.FlushEvery = outFlushEvery
	}
	srv, err := server.Start(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench collect: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stderr, "nssbench collect: listening on %s\n", strings.Join(srv.URLs(), ", "))
	for _, ln := range srv.Listeners() {
		warnExposed(e, ln.URL(), ln.Addr())
	}
	if *metrics != "" {
		stop, addr, err := serveMetrics(*metrics, srv)
		if err != nil {
			srv.Close()
			fmt.Fprintf(e.stderr, "nssbench collect: metrics: %v\n", err)
			return exitFailure
		}
		defer stop()
		fmt.Fprintf(e.stderr, "nssbench collect: Prometheus metrics on http://%s/metrics\n", addr)
		warnExposed(e, "-metrics http://"+addr.String(), addr)
	}
	printStats(e, srv, *every)
	err = srv.Close()
	fmt.Fprintf(e.stderr, "nssbench collect: stopped; %s\n", srv)
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench collect: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// printStats prints the server's stats on stderr every interval (never when 0) until e is interrupted or
// the server's sink fails, which it reports.
func printStats(e *env, srv *server.Server, every time.Duration) {
	var tick <-chan time.Time
	if every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-e.ctx.Done():
			return
		case <-srv.SinkFailed():
			fmt.Fprintf(e.stderr, "nssbench collect: stopping: %v\n", srv.SinkErr())
			return
		case <-tick:
			fmt.Fprintf(e.stderr, "nssbench collect: %s\n", srv)
		}
	}
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

// serveMetrics serves the server's counters for Prometheus at http://addr/metrics.
func serveMetrics(addr string, srv *server.Server) (stop func(), bound net.Addr, err error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(server.NewPrometheusCollector(srv))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	return func() { hs.Close() }, ln.Addr(), nil
}
