package sweep

import (
	"context"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
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
