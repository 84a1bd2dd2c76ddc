package probe

import (
	"context"
	"fmt"
	"runtime"

	"github.com/nssbench/nssbench/reports"
)

// DefaultSeries are the series a target's Prometheus endpoint is scraped for when none are named: the
// standard process collector's CPU and memory, and the records nssbench collect has decided.
var DefaultSeries = []string{"process_cpu_seconds_total", "process_resident_memory_bytes", "nssbench_collector_records_total"}

// Target says what to measure of the collector under test during a run. The zero value measures
// nothing.
type Target struct {
	PID     int      // sample this process and its children; 0: none
	Self    bool     // with PID 0: sample nssbench's own process (the embedded collector, generator included)
	Metrics string   // scrape this Prometheus endpoint; empty: none
	Series  []string // the series to summarise; empty: DefaultSeries
	Options Options
}

// Enabled reports whether t measures anything.
func (t Target) Enabled() bool { return t.PID > 0 || t.Self || t.Metrics != "" }

// Check reports, before a run, whether pid can be sampled: an error wrapping ErrNoProcess when it does
// not exist.
func Check(pid int) error {
	if pid <= 0 {
		return fmt.Errorf("target pid %d: %w", pid, ErrNoProcess)
	}
	if _, _, err := newSource(pid); err != nil {
		return fmt.Errorf("target %w", err)
	}
	return nil
}

// TargetProbe measures one Target from StartTarget to Stop: the runner that owns a run starts it
// before the first record and stops it after the drain, so the collector's cost covers everything it
// did for the run.
type TargetProbe struct {
	sampler *Sampler
	scraper *Scraper
}

// StartTarget starts measuring t: nil, nil when t measures nothing. A process that does not exist or
// an endpoint whose first scrape fails is an error, and nothing is left running.
func StartTarget(ctx context.Context, t Target) (*TargetProbe, error) {
	if !t.Enabled() {
		return nil, nil
	}
	p := &TargetProbe{}
	var err error
	switch {
	case t.PID > 0:
		p.sampler, err = Start(ctx, t.PID, t.Options)
	case t.Self:
		p.sampler, err = StartSelf(ctx, t.Options)
	}
	if err != nil {
		return nil, err
	}
	if t.Metrics != "" {
		series := t.Series
		if len(series) == 0 {
			series = DefaultSeries
		}
		if p.scraper, err = StartScrape(ctx, t.Metrics, series, t.Options); err != nil {
			if p.sampler != nil {
				p.sampler.Stop()
			}
			return nil, err
		}
	}
	return p, nil
}

// Stop ends measuring and returns the target section, with the events and bytes the collector
// delivered meanwhile. Cores is the CPUs available to nssbench (runtime.NumCPU), the saturation mark
// when the target runs on this host. A nil probe returns nil.
func (p *TargetProbe) Stop(events, bytes uint64) *reports.Target {
	if p == nil {
		return nil
	}
	var u reports.TargetUsage
	if p.sampler != nil {
		u = p.sampler.Stop()
		u.Cores = runtime.NumCPU()
	}
	t := reports.NewTarget(u, events, bytes)
	if p.scraper != nil {
		t.Metrics = p.scraper.Stop()
	}
	return t
}
