package sweep

import (
	"context"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// FromRun returns a RunFunc that runs each step with run.Run on a copy of base: a constant pacer at the
// step's rate for the step's duration replaces base.Pacer, and Meta.Pacer and Meta.OfferedRate describe
// it. When base.DrainTimeout is zero, a step waits for its in-flight records at most as long as it
// offered load (but at least a second): a collector that needs longer to catch up is overloaded, and its
// step fails with the records left counted as lost. base is not modified; its Generator and Pipeline are
// shared by the steps, which run one at a time.
func FromRun(base run.Config) RunFunc {
	return func(ctx context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		cfg := base
		pc := pacer.Constant{Rate: rate, Limit: pacer.Limit{Duration: d}}
		cfg.Pacer = pc
		if cfg.DrainTimeout <= 0 {
			cfg.DrainTimeout = max(d, time.Second)
		}
		cfg.Meta.Pacer = pc.String()
		cfg.Meta.OfferedRate = pacer.Schedule{Pacer: pc, Shard: cfg.Shard.Index, Shards: cfg.Shard.Count}.Rate() // a shard offers its share
		return run.Run(ctx, cfg)
	}
}

// SenderSLO is the default SLO of a sweep of an external target without a sink: there are then no
// verdicts, no loss past the sender and no end-to-end latency, so it judges by what the sender sees,
// the collector's backpressure.
func SenderSLO() []*threshold.Threshold {
	return []*threshold.Threshold{threshold.MustParse("send.p99<50ms"), threshold.MustParse("lost.sender==0"),
		threshold.MustParse("sent.rate>=0.99*offered")}
}

// Describe fills the Target, Transport and Connections of the sweep's meta from base, the run each
// step repeats: its external target and sink, or the embedded collector (slowed by its Cost).
func Describe(meta *reports.Meta, base run.Config) {
	meta.Target, meta.Transport, meta.Connections = "embedded", "tcp", max(base.Connections, 1)
	switch {
	case base.Target != "":
		meta.Target, meta.Transport = base.Target, ""
		if base.Sink == "" {
			meta.Target += " (no sink: delivery not observed)"
		} else {
			meta.Target += ", sink " + base.Sink
		}
	case base.Cost > 0:
		meta.Target = "embedded, slowed by " + base.Cost.String() + " per record"
	}
}

// Sweeping sets c up to sweep base, the run every step repeats: base's meta described for the sweep
// (Describe) becomes the meta of the steps and, with base's clock, of the sweep; c.Run runs the steps
// (FromRun); and a sweep of an external target without a sink, whose delivery is not observed, judges
// the sender (SenderSLO) unless c.SLO is given.
func (c *Config) Sweeping(base run.Config) {
	Describe(&base.Meta, base)
	c.Meta = base.Meta
	c.Meta.Clock = base.Clock.String()
	if base.Target != "" && base.Sink == "" && len(c.SLO) == 0 {
		c.SLO = SenderSLO()
	}
	c.Run = FromRun(base)
}
