package main

import (
	"flag"
	"strings"

	"github.com/nssbench/nssbench/harness/probe"
)

// addProbeFlags defines -target-pid, -target-metrics and -target-series on fs: what run, sweep and sink
// measure of the collector under test (checked by probe.Target.Resolve).
func addProbeFlags(fs *flag.FlagSet) *probe.Target {
	t := &probe.Target{}
	fs.IntVar(&t.PID, "target-pid", 0, "sample this process and its children from /proc during the run (CPU in cores, RSS), e.g. $(pidof syslog-ng)")
	fs.StringVar(&t.Metrics, "target-metrics", "", "scrape this Prometheus endpoint during the run, e.g. http://127.0.0.1:9577/metrics (series: -target-series)")
	fs.Var((*probe.Series)(&t.Series), "target-series", "with -target-metrics: a series to summarise, e.g. 'syslogng_output_events_total{result=\"delivered\"}'; repeatable (default: "+
		strings.Join(probe.DefaultSeries, ", ")+")")
	return t
}
