package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// TargetUsage is what sampling the collector's process tree from /proc measured over a run (package
// harness/probe fills it). CPU figures are in cores: 1 is one CPU busy for the whole time. RSS is summed
// over the processes of the tree, as ps shows it, so pages shared between them count once per process.
// A zero Samples means the process was not sampled (only its metrics were scraped, or neither).
type TargetUsage struct {
	PID        int           `json:"pid"`
	Command    string        `json:"command"`    // the process's name (/proc/PID/comm)
	Self       bool          `json:"self"`       // nssbench's own process: the embedded collector together with the generator, sender and recorder
	Interval   time.Duration `json:"interval"`   // between samples; nanoseconds in JSON
	Window     time.Duration `json:"window"`     // CPU p99 and max are over trailing windows this long
	Elapsed    time.Duration `json:"elapsed"`    // first sample to last
	Samples    int           `json:"samples"`    // samples taken, the first (the baseline) included
	Processes  int           `json:"processes"`  // most processes in the tree at one sample
	Cores      int           `json:"cores"`      // CPUs available to the sampling process (0: not known); the limit line's saturation mark
	CPU        CPUCores      `json:"cpu"`        // cores
	CPUSeconds float64       `json:"cpuSeconds"` // CPU time the tree used while sampled
	RSSMax     uint64        `json:"rssMaxBytes"`
	RSSMean    uint64        `json:"rssMeanBytes"`
	Note       string        `json:"note"` // what the figures cannot tell, e.g. "target exited at 12.3s"
	// Partial says that sampling ended before the run did (the process exited, or its /proc files could
	// not be read): the figures cover only part of the run, and the target.* gates do not judge them.
	Partial  bool          `json:"partial,omitempty"`
	Timeline []TargetPoint `json:"timeline"` // for charts: at most a few hundred points, evenly decimated
}

// CPUCores summarises CPU use in cores. Mean is CPU time over elapsed time; P99 and Max are over the
// rates of trailing windows (TargetUsage.Window), one per sample.
type CPUCores struct {
	Mean float64 `json:"mean"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// TargetPoint is one point of the target's timeline: the CPU rate since the previous point and the
// largest RSS sampled since then.
type TargetPoint struct {
	At  time.Duration `json:"at"`       // since the first sample; nanoseconds in JSON
	CPU float64       `json:"cpu"`      // cores
	RSS uint64        `json:"rssBytes"` // bytes
}

// Target is the report's target section: what the collector under test cost, and what it delivered for
// that cost. NewTarget derives the per-CPU-second figures.
type Target struct {
	TargetUsage
	Events uint64 `json:"events"` // events the collector delivered (verdicts, or records at the sink)
	Bytes  uint64 `json:"bytes"`  // bytes of those events
	// Sent says that Events and Bytes are what was sent to the target, not what it delivered: an
	// external run without a sink sees nothing the collector delivers.
	Sent               bool    `json:"sent,omitempty"`
	EventsPerCPUSecond float64 `json:"eventsPerCPUSecond"` // 0 when no CPU time was measured
	BytesPerCPUSecond  float64 `json:"bytesPerCPUSecond"`  // 0 when no CPU time was measured

	// Metrics is what scraping the target's Prometheus endpoint saw; nil when it was not scraped.
	Metrics *TargetMetrics `json:"metrics,omitempty"`
}

// TargetMetrics summarises the named series of a Prometheus endpoint scraped through a run.
type TargetMetrics struct {
	URL     string         `json:"url"`
	Scrapes int            `json:"scrapes"` // scrapes that succeeded
	Failed  int            `json:"failed"`  // scrapes that failed (unreachable, bad status, unparsable)
	Note    string         `json:"note"`    // the last failure, in words
	Series  []TargetSeries `json:"series"`  // in the order asked for
}

// TargetSeries summarises one series over the scrapes that had it. A selector matching several label
// sets sums them. Counters carry First, Last, Increase (counter resets are added back) and Rate (Increase
// per second between the first and last scrape that had the series); gauges carry Last, Mean and Max.
type TargetSeries struct {
	Name     string  `json:"name"` // the selector as asked for, e.g. `nssbench_collector_records_total{verdict="alert"}`
	Kind     string  `json:"kind"` // "counter" or "gauge" (untyped series count as gauges); "" if never seen
	Seen     int     `json:"seen"` // scrapes that had the series; 0 means it never appeared
	First    float64 `json:"first"`
	Last     float64 `json:"last"`
	Increase float64 `json:"increase"`
	Rate     float64 `json:"rate"` // per second
	Mean     float64 `json:"mean"`
	Max      float64 `json:"max"`
}

// NewTarget returns the target section for usage, with events and bytes delivered while it was
// sampled. The timeline is never nil, so the section survives a JSON round trip unchanged.
func NewTarget(usage TargetUsage, events, bytes uint64) *Target {
	t := &Target{TargetUsage: usage, Events: events, Bytes: bytes}
	if t.Timeline == nil {
		t.Timeline = []TargetPoint{}
	}
	if t.CPUSeconds > 0 {
		t.EventsPerCPUSecond = float64(events) / t.CPUSeconds
		t.BytesPerCPUSecond = float64(bytes) / t.CPUSeconds
	}
	return t
}

// WriteText writes the target section as the text report shows it.
func (t *Target) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	if t.Samples > 0 {
		targetTextUsage(ew, t)
	}
	if t.Metrics != nil {
		targetTextMetrics(ew, t.Metrics)
	}
	if ew.err != nil {
		return fmt.Errorf("render target section: %w", ew.err)
	}
	return nil
}

func targetTextUsage(ew *errWriter, t *Target) {
	if t.Self {
		ew.print("target nssbench itself (pid ", strconv.Itoa(t.PID), "): the embedded collector, with the generator and sender in the same process\n")
	} else {
		ew.print("target ", strconv.Quote(t.Command), " (pid ", strconv.Itoa(t.PID))
		if t.Processes > 1 {
			ew.print(", ", strconv.Itoa(t.Processes), " processes")
		}
		ew.print(")\n")
	}
	ew.print("  sampled ", strconv.Itoa(t.Samples), " times over ", FormatDuration(t.Elapsed))
	if t.Interval > 0 {
		ew.print(", every ", FormatDuration(t.Interval))
	}
	ew.print("\n")
	ew.print(fmt.Sprintf("  cpu   mean %.3f  p99 %.3f  max %.3f cores (p99 and max over %s windows), %.2f CPU-seconds\n",
		t.CPU.Mean, t.CPU.P99, t.CPU.Max, FormatDuration(t.Window), t.CPUSeconds))
	ew.print("  rss   max ", iecBytes(float64(t.RSSMax)), "  mean ", iecBytes(float64(t.RSSMean)), " (summed over the process tree)\n")
	delivered := fmt.Sprintf("%d events, %s %s", t.Events, iecBytes(float64(t.Bytes)), t.Basis())
	if t.CPUSeconds > 0 {
		ew.print(fmt.Sprintf("  cost  %.0f events and %s per CPU-second (%s)\n", t.EventsPerCPUSecond, iecBytes(t.BytesPerCPUSecond), delivered))
	} else {
		ew.print("  cost  n/a: no CPU time measured (", delivered, ")\n")
	}
	if t.Note != "" {
		ew.print("  note: ", t.Note, "\n")
	}
	ew.print("\n")
}

func targetTextMetrics(ew *errWriter, m *TargetMetrics) {
	ew.print("target metrics ", m.URL, ": ", strconv.Itoa(m.Scrapes), " scrapes, ", strconv.Itoa(m.Failed), " failed\n")
	tw := table(ew)
	for i := range m.Series {
		s := &m.Series[i]
		switch {
		case s.Seen == 0:
			fmt.Fprintf(tw, "  %s\tnever seen\n", s.Name)
		case s.Kind == "counter":
			fmt.Fprintf(tw, "  %s\t%s\tfirst %s\tlast %s\tincrease %s\trate %s/s\n", s.Name, s.Kind,
				metricValue(s.First), metricValue(s.Last), metricValue(s.Increase), metricValue(s.Rate))
		default:
			fmt.Fprintf(tw, "  %s\t%s\tlast %s\tmean %s\tmax %s\n", s.Name, s.Kind,
				metricValue(s.Last), metricValue(s.Mean), metricValue(s.Max))
		}
	}
	flush(ew, tw)
	if m.Note != "" {
		ew.print("  note: ", m.Note, "\n")
	}
	ew.print("\n")
}

// metricValue formats a sample value compactly: integers as integers, others from 1000 up with one
// decimal, smaller ones with four significant digits.
func metricValue(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 1000:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// Basis names what Events and Bytes count: "delivered", or "sent" when no sink saw what was delivered.
func (t *Target) Basis() string {
	if t.Sent {
		return "sent"
	}
	return "delivered"
}

// iecBytes formats a byte count in binary units with three significant digits: "512 B", "45.2 MiB".
func iecBytes(n float64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return strconv.FormatFloat(n, 'f', 0, 64) + " B"
	}
	i := -1
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	return sig3(n) + " " + units[i:i+1] + "iB"
}

// mergeTargets combines the target sections of shards' reports; nil when none has one.
//
// Shards sample their own targets (each shard's collector, or each shard's own process), so the
// merged section is the fleet's cost: CPU (mean, CPU-seconds), RSS (max, mean), events, bytes,
// samples and processes add, and the per-CPU-second figures are recomputed. The p99 and max CPU
// add too, which bounds the fleet's peak from above (the shards' peaks need not coincide). Timelines
// do not align across hosts and are dropped; the scraped metrics are dropped too (their series need
// not be the same). The note says how many shards the figures sum. Two shards that sampled one
// process would count it twice: sample the shared collector from one shard only.
func mergeTargets(rs []*Report) *Target {
	var ts []*Target
	for _, r := range rs {
		if r.Target != nil {
			ts = append(ts, r.Target)
		}
	}
	switch len(ts) {
	case 0:
		return nil
	case 1:
		if len(rs) == 1 {
			cp := *ts[0]
			return &cp
		}
	}
	var u TargetUsage
	var events, bytes uint64
	var sent bool
	for i, t := range ts {
		if i == 0 {
			u.PID, u.Command, u.Self, u.Interval, u.Window, u.Cores = t.PID, t.Command, t.Self, t.Interval, t.Window, t.Cores
		} else {
			if t.PID != u.PID {
				u.PID = 0
			}
			u.Command = joinDistinct(u.Command, t.Command)
			u.Self = u.Self && t.Self
			u.Cores += t.Cores
		}
		u.Elapsed = max(u.Elapsed, t.Elapsed)
		u.Samples += t.Samples
		u.Processes += t.Processes
		u.CPU.Mean += t.CPU.Mean
		u.CPU.P99 += t.CPU.P99
		u.CPU.Max += t.CPU.Max
		u.CPUSeconds += t.CPUSeconds
		u.RSSMax += t.RSSMax
		u.RSSMean += t.RSSMean
		u.Note = joinDistinct(u.Note, t.Note)
		u.Partial = u.Partial || t.Partial
		sent = sent || t.Sent
		events += t.Events
		bytes += t.Bytes
	}
	u.Note = joinDistinct(fmt.Sprintf("the sum of %d of %d shards' targets (p99 and max: the sum of the shards' peaks, an upper bound; no timeline)",
		len(ts), len(rs)), u.Note)
	t := NewTarget(u, events, bytes)
	t.Sent = sent
	return t
}
