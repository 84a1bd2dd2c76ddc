package main

import (
	"crypto/tls"
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
	)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	pl, code := loadPipeline(e, "collect", *rulesFile, *mapsFile, *strict)
	if pl == nil {
		return code
	}
	cfg := server.Config{Listen: strings.Split(*listen, ","), Pipeline: pl, Collector: collector.Config{MaxLine: *maxLine}}
	if *certFile != "" || *keyFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return usageError(e.stderr, "collect", fmt.Errorf("load TLS certificate: %w", err))
		}
		cfg.Collector.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
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
	if *metrics != "" {
		stop, addr, err := serveMetrics(*metrics, srv)
		if err != nil {
			srv.Close()
			fmt.Fprintf(e.stderr, "nssbench collect: metrics: %v\n", err)
			return exitFailure
		}
		defer stop()
		fmt.Fprintf(e.stderr, "nssbench collect: Prometheus metrics on http://%s/metrics\n", addr)
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

// printStats prints the server's stats on stderr every interval (never when 0) until e is interrupted.
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
		case <-tick:
			fmt.Fprintf(e.stderr, "nssbench collect: %s\n", srv)
		}
	}
}

// serveMetrics serves the server's counters for Prometheus at http://addr/metrics.
func serveMetrics(addr string, srv *server.Server) (stop func(), bound string, err error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(server.NewPrometheusCollector(srv))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	return func() { hs.Close() }, ln.Addr().String(), nil
}
