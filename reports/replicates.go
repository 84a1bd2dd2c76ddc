package reports

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/reports/abtest"
)

// replicateMetric is one metric CompareReplicates compares: how to read it from a report (ok false when
// the report has no value for it) and how to show it.
type replicateMetric struct {
	spec abtest.Spec
	get  func(*Report) (v float64, ok bool)
	// optional metrics are compared only where some report has them (the target's cost, measured only
	// with -target-pid or on the embedded collector); where none has, they are not mentioned.
	optional bool
}

// replicateMetrics are the metrics of a replicate comparison, gated as Compare gates them.
var replicateMetrics = []replicateMetric{
	{abtest.Spec{Name: "achieved", Unit: UnitRate, Better: abtest.HigherIsBetter, Format: FormatRate},
		func(r *Report) (float64, bool) { return r.Rates.Achieved, true }, false},
	{abtest.Spec{Name: "loss", Unit: UnitRatio, Better: abtest.LowerIsBetter, Format: FormatRatio},
		func(r *Report) (float64, bool) { return ratio(r.Counts.Lost, r.Counts.Offered), true }, false},
	{abtest.Spec{Name: "lost", Unit: UnitCount, Better: abtest.LowerIsBetter, Informational: true, Format: formatCount},
		func(r *Report) (float64, bool) { return float64(r.Counts.Lost), true }, false},
	{abtest.Spec{Name: "mismatch.ratio", Unit: UnitRatio, Better: abtest.LowerIsBetter, Format: FormatRatio},
		func(r *Report) (float64, bool) { return ratio(r.Conformance.Mismatches, r.Conformance.Checked), true }, false},
	e2e("p50", true, func(l *StageLatency) time.Duration { return l.P50 }),
	e2e("p99", false, func(l *StageLatency) time.Duration { return l.P99 }),
	e2e("p99.9", true, func(l *StageLatency) time.Duration { return l.P999 }),
	target("target.cpu", "cores", func(u *TargetUsage) float64 { return u.CPU.Mean },
		func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) + " cores" }),
	target("target.rss", "bytes", func(u *TargetUsage) float64 { return float64(u.RSSMax) }, FormatBytes),
}

// target is a metric of the collector's own cost (Report.Target), lower is better: a change that makes
// the collector spend more CPU or memory for the same experiment is a regression.
func target(name, unit string, get func(*TargetUsage) float64, format func(float64) string) replicateMetric {
	return replicateMetric{
		spec: abtest.Spec{Name: name, Unit: unit, Better: abtest.LowerIsBetter, Format: format},
		get: func(r *Report) (float64, bool) {
			if r.Target == nil || r.Target.Samples < 2 {
				return 0, false
			}
			return get(&r.Target.TargetUsage), true
		},
		optional: true,
	}
}

// e2e is an end-to-end latency quantile metric.
func e2e(q string, informational bool, get func(*StageLatency) time.Duration) replicateMetric {
	return replicateMetric{
		spec: abtest.Spec{Name: EndToEnd.String() + "." + q, Unit: UnitDuration, Better: abtest.LowerIsBetter, Informational: informational,
			Format: func(v float64) string { return FormatDuration(time.Duration(v)) }},
		get: func(r *Report) (float64, bool) {
			l := r.Stage(EndToEnd)
			if l == nil || l.Count == 0 {
				return 0, false
			}
			return float64(get(l)), true
		},
	}
}

func formatCount(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// CompareReplicates compares the replicate reports of a base and a new side metric by metric (package
// abtest: means, a bootstrap confidence interval, a verdict per metric and overall). baseName and
// curName describe the sides, e.g. their directories. Gated, as Compare gates them: achieved, loss,
// mismatch.ratio and e2e.p99, and, where the reports measured the collector under test, target.cpu
// (mean cores) and target.rss (peak bytes); informational: lost, e2e.p50 and e2e.p99.9. A metric with
// no value in some report is not compared and is listed in the signal's NotCompared.
func CompareReplicates(baseName, curName string, base, cur []*Report, opt abtest.Options) (*abtest.Signal, error) {
	if len(base) == 0 || len(cur) == 0 {
		return nil, errors.New("compare replicates: a side has no reports")
	}
	var in []abtest.Input
	var skipped []abtest.NotCompared
	for _, m := range replicateMetrics {
		b, whyB := values(m, base, baseName)
		c, whyC := values(m, cur, curName)
		if m.optional && len(b) == 0 && len(c) == 0 {
			continue // measured by no report: nothing to say
		}
		if whyB != "" || whyC != "" {
			skipped = append(skipped, abtest.NotCompared{Name: m.spec.Name, Why: strings.Join(slices.DeleteFunc([]string{whyB, whyC},
				func(s string) bool { return s == "" }), "; ")})
			continue
		}
		in = append(in, abtest.Input{Spec: m.spec, Base: b, New: c})
	}
	s, err := abtest.Analyze(baseName, curName, in, opt)
	if err != nil {
		return nil, fmt.Errorf("compare replicates: %w", err)
	}
	s.NotCompared = append(s.NotCompared, skipped...)
	return s, nil
}

// values reads m from every report of a side; why says which reports have no value.
func values(m replicateMetric, side []*Report, name string) (vs []float64, why string) {
	missing := 0
	for _, r := range side {
		v, ok := m.get(r)
		if !ok {
			missing++
			continue
		}
		vs = append(vs, v)
	}
	if missing > 0 {
		why = fmt.Sprintf("no samples in %d of %d reports of %s", missing, len(side), name)
	}
	return vs, why
}
