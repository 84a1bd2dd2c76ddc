package pacer_test

import (
	"math"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// TestScheduleOffered: the events a shard has due by a time, found by binary search, agree with counting
// them one by one, for several shapes, shards, and times before, during and after the schedule.
func TestScheduleOffered(t *testing.T) {
	limit := pacer.Limit{Duration: 2 * time.Second}
	pacers := map[string]pacer.Pacer{
		"constant":  pacer.Constant{Rate: 1000, Limit: limit},
		"linear":    pacer.Linear{From: 100, To: 3000, Over: 2 * time.Second, Limit: limit},
		"burst":     pacer.Burst{Rate: 5000, On: 100 * time.Millisecond, Off: 400 * time.Millisecond, Limit: limit},
		"by count":  pacer.Constant{Rate: 1000, Limit: pacer.Limit{Count: 777}},
		"unbounded": pacer.Constant{Rate: 1000},
	}
	for name, p := range pacers {
		for _, sh := range []struct{ Index, Count int }{{}, {Index: 0, Count: 3}, {Index: 2, Count: 3}} {
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
				if got := (pacer.Schedule{Pacer: p, Shard: sh.Index, Shards: sh.Count}).Offered(at); got != want {
					t.Errorf("%s, shard %d/%d, at %v: Offered = %d; counting gives %d", name, sh.Index, sh.Count, at, got, want)
				}
			}
		}
	}
}

// TestScheduleRate: the nominal rate is the events over the span of a bounded schedule, the start rate
// of an unbounded one, and a shard's share of either.
func TestScheduleRate(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    pacer.Schedule
		want float64
	}{
		{"constant", pacer.Schedule{Pacer: pacer.Constant{Rate: 4000, Limit: pacer.Limit{Duration: time.Second}}}, 4000},
		{"shard of four", pacer.Schedule{Pacer: pacer.Constant{Rate: 4000, Limit: pacer.Limit{Duration: time.Second}}, Shard: 1, Shards: 4}, 1000},
		{"unbounded", pacer.Schedule{Pacer: pacer.Constant{Rate: 250}, Shards: 2}, 125},
		{"ramp 0 to 2000 over 2s: 2000 events over about 2s", pacer.Schedule{Pacer: pacer.Linear{From: 0, To: 2000, Over: 2 * time.Second, Limit: pacer.Limit{Duration: 2 * time.Second}}}, 1000},
	} {
		if got := tc.s.Rate(); math.Abs(got-tc.want) > 0.01*tc.want {
			t.Errorf("%s: Rate() = %g; want about %g", tc.name, got, tc.want)
		}
	}
}
