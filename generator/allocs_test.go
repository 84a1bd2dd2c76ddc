package generator_test

import (
	"context"
	"io"
	"runtime"
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
)

// TestWriteLinesAllocs writes generated lines as `nssbench gen` does and checks that a line allocates
// nothing in steady state: the allocations of a long stream less those of a short one, per extra line.
func TestWriteLinesAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation measurement over 300,000 lines")
	}
	g, _ := feedGenerator(t, "firewall", 1, func(_ *feeds.Feed, c *generator.Class) bool { return wellFormed(c) })
	mallocs := func(n uint64) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := g.WriteLines(context.Background(), io.Discard, generator.WriteOptions{Count: n}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs
	}
	mallocs(1000) // warm up
	a, b := mallocs(20_000), mallocs(320_000)
	per := (float64(b) - float64(a)) / 300_000
	t.Logf("gen: %.5f mallocs per line", per)
	if per > 0.01 {
		t.Errorf("gen: %.5f mallocs per line in steady state, want at most 0.01", per)
	}
}
