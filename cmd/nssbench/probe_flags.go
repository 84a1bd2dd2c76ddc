package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/harness/probe"
)

// probeFlags are the flags that measure the collector under test: run, sweep and sink take them.
type probeFlags struct {
	pid     *int
	metrics *string
	series  seriesList
}

// addProbeFlags defines -target-pid, -target-metrics and -target-series on fs.
func addProbeFlags(fs *flag.FlagSet) *probeFlags {
	f := &probeFlags{
		pid:     fs.Int("target-pid", 0, "sample this process and its children from /proc during the run (CPU in cores, RSS), e.g. $(pidof syslog-ng)"),
		metrics: fs.String("target-metrics", "", "scrape this Prometheus endpoint during the run, e.g. http://127.0.0.1:9577/metrics (series: -target-series)"),
	}
	fs.Var(&f.series, "target-series", "with -target-metrics: a series to summarise, e.g. 'syslogng_output_events_total{result=\"delivered\"}'; repeatable (default: "+
		strings.Join(probe.DefaultSeries, ", ")+")")
	return f
}

// target returns what to measure; self samples nssbench's own process when no pid is given (the
// embedded collector). A pid that does not exist is a usage error, found before anything runs.
func (f *probeFlags) target(self bool) (probe.Target, error) {
	t := probe.Target{PID: *f.pid, Metrics: *f.metrics, Series: f.series}
	switch {
	case *f.pid < 0:
		return t, fmt.Errorf("-target-pid %d: want a process id", *f.pid)
	case *f.pid > 0:
		if err := probe.Check(*f.pid); err != nil {
			return t, fmt.Errorf("-target-pid: %w", err)
		}
	default:
		t.Self = self
	}
	if len(f.series) > 0 && *f.metrics == "" {
		return t, fmt.Errorf("-target-series needs -target-metrics")
	}
	return t, nil
}

// seriesList is a repeatable flag of series names.
type seriesList []string

func (l *seriesList) String() string { return strings.Join(*l, ", ") }

func (l *seriesList) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty series name")
	}
	*l = append(*l, s)
	return nil
}
