package sweep

import (
	"context"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/run"
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
