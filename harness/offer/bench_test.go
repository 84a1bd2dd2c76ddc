package offer

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// BenchmarkPacing runs the sender's pacing loop (the pacer's schedule and sleepUntil, with a trivial
// event) for one second at each rate and reports how far the achieved rate is from the target, in
// percent: the events sent over the time from the start to the last event. It measures the pacing
// alone; generating and sending cost what BenchmarkGenerateSend says, so a rate above one connection's
// capacity needs more connections or shards.
func BenchmarkPacing(b *testing.B) {
	for _, rate := range []float64{1e3, 1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("rate=%g", rate), func(b *testing.B) {
			p := pacer.Constant{Rate: rate, Limit: pacer.Limit{Duration: time.Second}}
			var worst float64
			for i := 0; i < b.N; i++ {
				start := time.Now()
				now := func() int64 { return int64(time.Since(start)) }
				var n uint64
				var last time.Duration
				for ; ; n++ {
					due, ok := p.Due(n)
					if !ok {
						break
					}
					sleepUntil(context.Background(), now, due)
					last = time.Since(start)
				}
				achieved := float64(n-1) / last.Seconds()
				if dev := 100 * math.Abs(achieved-rate) / rate; dev > worst {
					worst = dev
				}
			}
			b.ReportMetric(worst, "%off-target")
		})
	}
}
