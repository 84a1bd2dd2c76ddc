package server

import (
	"github.com/prometheus/client_golang/prometheus"

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
	descUDPGaps = prometheus.NewDesc("nssbench_collector_udp_record_id_gaps", "Record ids missing from the span of those received over UDP: UDP loss estimated without the kernel's counter.", nil, nil)
)

// Describe implements prometheus.Collector.
func (p *promCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRecords, descAlerts, descDrops, descStreams, descErrors, descUDPDrop, descUDPGaps} {
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
		if ln.Transport() != "udp" {
			continue
		}
		if n := ln.Stats().UDPDrops; n >= 0 {
			counter(descUDPDrop, uint64(n), ln.URL())
		}
	}
	if gaps, ok := p.s.udpIDs.gaps(); ok {
		ch <- prometheus.MustNewConstMetric(descUDPGaps, prometheus.GaugeValue, float64(gaps))
	}
}
