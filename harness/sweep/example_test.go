package sweep_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sweep"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

// A fake collector that keeps up with 7300 events/s and falls behind above: the sweep doubles the rate
// from 1000/s until a step fails its SLO, then bisects down to 5%. Real sweeps pass sweep.FromRun(cfg).
func ExampleRun() {
	collector := func(_ context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		achieved, lost := rate, uint64(0)
		if rate > 7300 {
			achieved, lost = 7300, uint64((rate-7300)*d.Seconds())
		}
		return &reports.Report{
			Counts: reports.Counts{Offered: uint64(rate * d.Seconds()), Lost: lost},
			Rates:  reports.Rates{Offered: rate, Achieved: achieved},
		}, nil
	}
	res, err := sweep.Run(context.Background(), sweep.Config{
		Start: 1000, Run: collector,
		SLO: []*threshold.Threshold{threshold.MustParse("lost==0")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range res.Steps {
		fmt.Printf("%-6s %6.0f/s %s\n", st.Phase, st.Rate, st.Verdict())
	}
	fmt.Println(res.Conclusion())
	// Output:
	// grow     1000/s pass
	// grow     2000/s pass
	// grow     4000/s pass
	// grow     8000/s FAIL
	// bisect   6000/s pass
	// bisect   7000/s pass
	// bisect   7500/s FAIL
	// bisect   7250/s pass
	// highest sustainable rate: 7250/s — the knee lies between 7250/s and 7500/s, within 5%, after 8 steps
}

// Sweeping the embedded collector, slowed to about 10000 records/s: each step is a run.Run at a constant
// rate. (Not run as a test: its output depends on the machine.)
func ExampleFromRun() {
	scn, err := scenarios.Builtin("default")
	if err != nil {
		panic(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		panic(err)
	}
	base := run.Config{
		Generator: gen,
		Pipeline:  pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
		Cost:      100 * time.Microsecond,
	}
	res, err := sweep.Run(context.Background(), sweep.Config{Start: 1000, Retries: 1, Run: sweep.FromRun(base)})
	if err != nil {
		panic(err)
	}
	if err := sweep.Text.Render(os.Stdout, res); err != nil {
		panic(err)
	}
}
