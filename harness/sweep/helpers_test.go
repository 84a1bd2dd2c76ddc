package sweep

import (
	"context"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// fakeReport is the report of a collector that keeps up with any rate up to capacity: above it, the
// achieved rate stays at capacity and the end-to-end latency explodes.
func fakeReport(rate, capacity float64, d time.Duration) *reports.Report {
	achieved, p50, p99, send := rate, time.Millisecond, 3*time.Millisecond, 100*time.Microsecond
	if rate > capacity {
		achieved, p50, p99, send = capacity, 200*time.Millisecond, 900*time.Millisecond, 600*time.Millisecond
	}
	offered := uint64(rate * d.Seconds())
	verdicts := uint64(achieved * d.Seconds())
	return &reports.Report{
		Schema: reports.Schema,
		Meta:   reports.Meta{Duration: d, OfferedRate: rate},
		Counts: reports.Counts{Offered: offered, Sent: offered, Verdicts: verdicts, Alerts: verdicts},
		Rates:  reports.Rates{Offered: rate, Sent: rate, Achieved: achieved},
		Latency: []reports.StageLatency{{
			Stage: reports.SendLag.String(), Count: offered, Min: send / 4, Mean: send / 2, P50: send / 2, P90: send,
			P99: send, P999: send, Max: send,
		}, {
			Stage: reports.EndToEnd.String(), Count: max(verdicts, 1), Min: p50 / 2, Mean: p50, P50: p50, P90: p99,
			P99: p99, P999: p99, Max: p99,
		}},
	}
}

// capacityRun is a RunFunc for a collector of the given capacity; it records the rates it was asked for.
func capacityRun(capacity float64, asked *[]float64) RunFunc {
	return func(_ context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		*asked = append(*asked, rate)
		return fakeReport(rate, capacity, d), nil
	}
}

// scriptedRun passes or fails its steps in the order given, whatever the rate; past the script it fails.
func scriptedRun(outcomes string, asked *[]float64) RunFunc {
	return func(_ context.Context, rate float64, d time.Duration) (*reports.Report, error) {
		n := len(*asked)
		*asked = append(*asked, rate)
		capacity := 0.0 // fail
		if n < len(outcomes) && outcomes[n] == 'P' {
			capacity = rate
		}
		return fakeReport(rate, capacity, d), nil
	}
}
