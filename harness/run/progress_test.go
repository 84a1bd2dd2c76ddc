package run

import (
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// TestDueBy: the events a shard has due by a time, found by binary search, agree with counting them one
// by one, for several shapes, shards, and times before, during and after the schedule.
func TestDueBy(t *testing.T) {
	limit := pacer.Limit{Duration: 2 * time.Second}
	pacers := map[string]pacer.Pacer{
		"constant":  pacer.Constant{Rate: 1000, Limit: limit},
		"linear":    pacer.Linear{From: 100, To: 3000, Over: 2 * time.Second, Limit: limit},
		"burst":     pacer.Burst{Rate: 5000, On: 100 * time.Millisecond, Off: 400 * time.Millisecond, Limit: limit},
		"by count":  pacer.Constant{Rate: 1000, Limit: pacer.Limit{Count: 777}},
		"unbounded": pacer.Constant{Rate: 1000},
	}
	for name, p := range pacers {
		for _, sh := range []Shard{{}, {Index: 0, Count: 3}, {Index: 2, Count: 3}} {
			for _, at := range []time.Duration{-time.Millisecond, 0, 1234567 * time.Microsecond / 1000, 700 * time.Millisecond, 1999 * time.Millisecond, 5 * time.Second} {
				var want uint64
				n := uint64(max(sh.Count, 1))
				for j := uint64(0); j < 100_000; j++ {
					d, ok := p.Due(j*n + uint64(sh.Index))
					if !ok || d > at {
						break
					}
					want++
				}
				if got := dueBy(p, sh, at); got != want {
					t.Errorf("%s, shard %d/%d, at %v: dueBy = %d; counting gives %d", name, sh.Index, sh.Count, at, got, want)
				}
			}
		}
	}
}
