package run

import (
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// TestDescribe: the meta names the pacer and the shard's share of its rate, the pipeline's hashes,
// and a cost.
func TestDescribe(t *testing.T) {
	pl := defaultPipeline()
	rules, maps := pl.Hashes()
	for _, tc := range []struct {
		shard Shard
		cost  time.Duration
		rate  float64
		note  bool
	}{{Shard{}, 0, 4000, false}, {Shard{1, 4}, 0, 1000, false}, {Shard{}, time.Millisecond, 4000, true}} {
		c := Config{Pacer: pacer.Constant{Rate: 4000}, Pipeline: pl, Shard: tc.shard, Cost: tc.cost}
		c.Meta.Description = "d"
		c.Describe()
		m := c.Meta
		if m.Pacer != c.Pacer.String() || m.OfferedRate != tc.rate || m.RulesHash != rules || m.MappingsHash != maps || rules == "" ||
			strings.Contains(m.Description, "[embedded collector slowed by 1ms per record: -cost]") != tc.note || !strings.HasPrefix(m.Description, "d") {
			t.Errorf("shard %v, cost %v: meta %+v; want rate %g, cost noted %t", tc.shard, tc.cost, m, tc.rate, tc.note)
		}
	}
}
