package reports

import "github.com/montanaflynn/stats"

// rates derives a report's rates from its counts, duration and timeline.
func rates(r *Report) Rates {
	var out Rates
	if d := r.Meta.Duration.Seconds(); d > 0 {
		out.Offered = float64(r.Counts.Offered) / d
		out.Sent = float64(r.Counts.Sent) / d
		out.Achieved = float64(r.Counts.Verdicts) / d
	}
	out.PerSecond = summarizeRates(r.Timeline)
	return out
}

// summarizeRates summarises the verdicts per second of a timeline, as RateSummary documents.
func summarizeRates(tl []Second) RateSummary {
	if len(tl) == 0 {
		return RateSummary{}
	}
	first := tl[0].Unix
	data := make(stats.Float64Data, tl[len(tl)-1].Unix-first+1)
	for i := range tl {
		data[tl[i].Unix-first] = float64(tl[i].Verdicts)
	}
	if len(data) >= 3 {
		data = data[1 : len(data)-1]
	}
	// The inputs are non-empty and finite, so none of these can fail.
	mean, _ := stats.Mean(data)
	sd, _ := stats.StandardDeviationPopulation(data)
	p1, _ := stats.Percentile(data, 1)
	p50, _ := stats.Percentile(data, 50)
	p99, _ := stats.Percentile(data, 99)
	return RateSummary{Seconds: len(data), Mean: mean, StdDev: sd, P1: p1, P50: p50, P99: p99}
}
