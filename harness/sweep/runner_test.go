package sweep

import (
	"context"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports/threshold"
	"github.com/nssbench/nssbench/scenarios"
)

// TestFromRunShard checks a sharded sweep step offers its share of the step's rate and events.
func TestFromRunShard(t *testing.T) {
	scn, err := scenarios.Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		t.Fatal(err)
	}
	step := FromRun(run.Config{
		Generator: gen, Shard: run.Shard{Index: 1, Count: 4},
		Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
	})
	rep, err := step(context.Background(), 4000, 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Meta.OfferedRate != 1000 {
		t.Errorf("shard 1/4 of a 4000/s step: offered rate %v; want 1000", rep.Meta.OfferedRate)
	}
	if rep.Counts.Offered != 500 || !rep.Balanced() {
		t.Errorf("shard 1/4 of 2000 events offered %d (balanced %v); want 500", rep.Counts.Offered, rep.Balanced())
	}
}

// TestSweeping: the sweep's meta describes the run its steps repeat, with the clock; an external target
// without a sink is judged by the sender's SLO unless one is given.
func TestSweeping(t *testing.T) {
	for _, tc := range []struct {
		name   string
		base   run.Config
		slo    []*threshold.Threshold
		target string
		sender bool
	}{
		{name: "embedded", base: run.Config{Connections: 2}, target: "embedded"},
		{name: "no sink", base: run.Config{Target: "tcp://127.0.0.1:1", Clock: generator.ClockWall}, target: "tcp://127.0.0.1:1 (no sink: delivery not observed)", sender: true},
		{name: "no sink, SLO given", base: run.Config{Target: "tcp://127.0.0.1:1"}, slo: []*threshold.Threshold{threshold.MustParse("lost==0")}, target: "tcp://127.0.0.1:1 (no sink: delivery not observed)"},
		{name: "sink", base: run.Config{Target: "tcp://127.0.0.1:1", Sink: "tcp://127.0.0.1:2"}, target: "tcp://127.0.0.1:1, sink tcp://127.0.0.1:2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Config{SLO: tc.slo}
			c.Sweeping(tc.base)
			if c.Run == nil || c.Meta.Target != tc.target || c.Meta.Clock != tc.base.Clock.String() {
				t.Errorf("meta target %q, clock %q, run set %v; want %q, %q", c.Meta.Target, c.Meta.Clock, c.Run != nil, tc.target, tc.base.Clock)
			}
			if got := len(c.SLO) == 3 && c.SLO[0].String() == SenderSLO()[0].String(); got != tc.sender {
				t.Errorf("SLO %v: the sender's %v; want %v", c.SLO, got, tc.sender)
			}
		})
	}
}
