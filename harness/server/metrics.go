package server

import (
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nssbench/nssbench/generator/verdict"
)

// NewPrometheusCollector exports the server's counters as Prometheus metrics:
//
//	nssbench_collector_records_total{verdict="alert|dropped"}
//	nssbench_collector_alerts_total{mapped="true|false"}
//	nssbench_collector_drops_total{stage, reason, detail}
//	nssbench_collector_streams_total, nssbench_collector_stream_errors_total
//	nssbench_collector_udp_drops_total{listener="udp://host:port"}
//	nssbench_collector_udp_record_id_gaps
//	nssbench_collector_connections_refused_total{listener}  (over -max-connections)
//	nssbench_collector_idle_closed_total{listener}          (TCP/TLS streams, HTTP keep-alives idle past -idle-timeout)
//	nssbench_collector_tls_handshake_errors_total{listener} (tls://, https://: failed handshakes, a refused client certificate included)
//	nssbench_collector_http_unauthorized_total{listener}    (401: no accepted credential)
//	nssbench_collector_http_busy_total{listener}            (503: no HTTP budget or slot in time)
//	nssbench_collector_http_timeouts_total{listener}        (408: body still arriving)
//	nssbench_collector_http_rejected_total{listener}        (405, 413, 415, 503 while closing)
//
// The listener counters have one series per listener that can count them (the HTTP ones on http(s)
// listeners, the connection ones on TCP, TLS and HTTP(S) listeners, the handshake one on tls:// and
// https:// listeners).
//
// Values are read from the live counters at scrape time, so scraping costs the decide path nothing.
// The UDP drop counter is the kernel's (one /proc read per UDP listener and scrape); a UDP listener
// without one (not Linux, /proc unreadable) has no series rather than a false 0. The record-id gaps (ids
// missing from the span of those UDP records received with one) estimate UDP loss without the kernel;
// the series exists once a UDP record carried an id.
func NewPrometheusCollector(s *Server) prometheus.Collector { return &promCollector{s: s} }

type promCollector struct{ s *Server }

var (
	descRecords = prometheus.NewDesc("nssbench_collector_records_total", "Records decided, by verdict.", []string{"verdict"}, nil)
	descAlerts  = prometheus.NewDesc("nssbench_collector_alerts_total", "Alerts, by whether their alert type is mapped to an ATT&CK technique.", []string{"mapped"}, nil)
	descDrops   = prometheus.NewDesc("nssbench_collector_drops_total", "Dropped records, by stage, reason and malformed detail.", []string{"stage", "reason", "detail"}, nil)
	descStreams = prometheus.NewDesc("nssbench_collector_streams_total", "Streams opened: connections, HTTP requests, UDP sockets.", nil, nil)
	descErrors  = prometheus.NewDesc("nssbench_collector_stream_errors_total", "Streams that ended with an error.", nil, nil)
	descUDPDrop = prometheus.NewDesc("nssbench_collector_udp_drops_total", "Datagrams the kernel dropped on a UDP listener's socket, mostly for a full receive buffer.", []string{"listener"}, nil)
	descUDPGaps = prometheus.NewDesc("nssbench_collector_udp_record_id_gaps", "Record ids missing from the spans of the id sequences received over UDP: UDP loss estimated without the kernel's counter.", nil, nil)
	descRefused = prometheus.NewDesc("nssbench_collector_connections_refused_total", "Connections closed as soon as accepted because the listener had its maximum open.", []string{"listener"}, nil)
	descIdle    = prometheus.NewDesc("nssbench_collector_idle_closed_total", "TCP and TLS streams closed after the idle timeout without data, and HTTP keep-alive connections closed after it without a next request.", []string{"listener"}, nil)
	descTLSErr  = prometheus.NewDesc("nssbench_collector_tls_handshake_errors_total", "TLS connections closed because the handshake failed or timed out, a missing or refused client certificate included.", []string{"listener"}, nil)
	descUnauth  = prometheus.NewDesc("nssbench_collector_http_unauthorized_total", "HTTP requests answered 401: no accepted credential header; their bodies were not read.", []string{"listener"}, nil)
	descBusy    = prometheus.NewDesc("nssbench_collector_http_busy_total", "HTTP requests answered 503 with Retry-After: no room in the memory budget or no request slot in time.", []string{"listener"}, nil)
	descTimeout = prometheus.NewDesc("nssbench_collector_http_timeouts_total", "HTTP requests answered 408: the body was still arriving at the read timeout.", []string{"listener"}, nil)
	descReject  = prometheus.NewDesc("nssbench_collector_http_rejected_total", "HTTP requests answered 405, 413, 415 or 503 while closing.", []string{"listener"}, nil)
)

// Describe implements prometheus.Collector.
func (p *promCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRecords, descAlerts, descDrops, descStreams, descErrors, descUDPDrop, descUDPGaps,
		descRefused, descIdle, descTLSErr, descUnauth, descBusy, descTimeout, descReject} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (p *promCollector) Collect(ch chan<- prometheus.Metric) {
	c := p.s.Counters()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	counter(descRecords, c.Alerts.Load(), "alert")
	counter(descRecords, c.Dropped.Load(), "dropped")
	counter(descAlerts, c.Mapped.Load(), "true")
	counter(descAlerts, c.Alerts.Load()-c.Mapped.Load(), "false")
	for _, r := range verdict.Reasons() {
		if r == verdict.ReasonMalformed {
			for _, d := range verdict.Details() {
				counter(descDrops, c.Detail(d), r.Stage().String(), r.String(), d.String())
			}
			continue
		}
		counter(descDrops, c.Reason(r), r.Stage().String(), r.String(), "")
	}
	counter(descStreams, c.Streams.Load())
	counter(descErrors, c.StreamErrors.Load())
	for _, ln := range p.s.Listeners() {
		st := ln.Stats()
		switch ln.Transport() {
		case "udp":
			if st.UDPDrops >= 0 {
				counter(descUDPDrop, uint64(st.UDPDrops), ln.URL())
			}
		case "tcp", "tls":
			counter(descRefused, uint64(st.Refused), ln.URL())
			counter(descIdle, uint64(st.IdleClosed), ln.URL())
		default:
			counter(descRefused, uint64(st.Refused), ln.URL())
			counter(descIdle, uint64(st.IdleClosed), ln.URL())
			counter(descUnauth, uint64(st.HTTPUnauthorized), ln.URL())
			counter(descBusy, uint64(st.HTTPBusy), ln.URL())
			counter(descTimeout, uint64(st.HTTPTimeouts), ln.URL())
			counter(descReject, uint64(st.HTTPRejected), ln.URL())
		}
		if t := ln.Transport(); t == "tls" || t == "https" {
			counter(descTLSErr, uint64(st.TLSHandshakeErrors), ln.URL())
		}
	}
	if gaps, ok := p.s.udpIDs.gaps(); ok {
		ch <- prometheus.MustNewConstMetric(descUDPGaps, prometheus.GaugeValue, float64(gaps))
	}
}

// ServeMetrics serves s's counters for Prometheus at http://addr/metrics (NewPrometheusCollector), with
// the process's own CPU and memory (process_cpu_seconds_total, process_resident_memory_bytes: what
// -target-metrics reads by default), until stop is called; bound is the address it listens on (port 0
// picks one).
func ServeMetrics(addr string, s *Server) (stop func(), bound net.Addr, err error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewPrometheusCollector(s), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
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
