package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Direction says which way a compared metric improves.
type Direction string

// Directions.
const (
	Neutral        Direction = ""       // informational: neither way is better
	HigherIsBetter Direction = "higher" // e.g. achieved throughput
	LowerIsBetter  Direction = "lower"  // e.g. latency, loss
)

// Units of compared values.
const (
	UnitCount    = "count"    // events
	UnitRate     = "rate"     // events per second
	UnitRatio    = "ratio"    // a fraction of 1
	UnitDuration = "duration" // nanoseconds
)

// Delta is one metric of a comparison, side by side.
type Delta struct {
	Metric    string    `json:"metric"` // named as thresholds name it, e.g. "achieved", "e2e.p99"
	Unit      string    `json:"unit"`   // UnitCount, UnitRate, UnitRatio or UnitDuration
	Base      float64   `json:"base"`
	Current   float64   `json:"current"`
	Better    Direction `json:"better"`
	Gate      bool      `json:"gate"`      // a regression of this metric fails the comparison
	NoData    bool      `json:"noData"`    // a latency with no samples on either side: not compared
	Regressed bool      `json:"regressed"` // gated and worse than the margin allows
}

// Change returns the relative change (Current-Base)/Base; ok is false when Base is zero.
func (d *Delta) Change() (change float64, ok bool) {
	if d.Base == 0 {
		return 0, false
	}
	return (d.Current - d.Base) / d.Base, true
}

// changeText formats Change: "+4.2%", "0%", or "new" when the base was zero.
func (d *Delta) changeText() string {
	if d.NoData {
		return "-"
	}
	ch, ok := d.Change()
	switch {
	case !ok && d.Current == 0:
		return "0%"
	case !ok:
		return "new"
	}
	return fmt.Sprintf("%+.1f%%", ch*100)
}

// Comparison sets a current report beside a base one. A gated metric regresses only beyond the noise
// margin: throughput when Current < Base·(1−Margin); end-to-end p99, loss (lost/offered) and mismatch
// ratio (mismatches/checked) when Current > Base·(1+Margin) and Current > Base (so any rise from zero
// counts). Other rows are informational.
type Comparison struct {
	Base    Meta    `json:"base"`
	Current Meta    `json:"current"`
	Margin  float64 `json:"margin"` // relative, e.g. 0.05 for 5%
	Rows    []Delta `json:"rows"`
	// Differences are the ways the two runs were different experiments (see Differences): a caller
	// refuses such a comparison unless told to go on, and the renderers then say so.
	Differences []Difference `json:"differences,omitempty"`
	// AlertChanges are the alert types whose decisions or techniques differ between the runs.
	AlertChanges []AlertChange `json:"alertChanges,omitempty"`
}

// Compare compares cur with base. A negative margin is taken as zero.
func Compare(base, cur *Report, margin float64) *Comparison {
	margin = max(margin, 0)
	c := &Comparison{Base: base.Meta, Current: cur.Meta, Margin: margin, Differences: Differences(&base.Meta, &cur.Meta),
		AlertChanges: AlertChanges(base.Alerts, cur.Alerts)}
	add := func(metric, unit string, better Direction, gate bool, get func(*Report) float64) {
		c.Rows = append(c.Rows, Delta{Metric: metric, Unit: unit, Base: get(base), Current: get(cur), Better: better, Gate: gate})
	}
	add("offered", UnitRate, Neutral, false, func(r *Report) float64 { return r.Rates.Offered })
	add("achieved", UnitRate, HigherIsBetter, true, func(r *Report) float64 { return r.Rates.Achieved })
	add("achieved.p1", UnitRate, HigherIsBetter, false, func(r *Report) float64 { return r.Rates.PerSecond.P1 })
	add("sent", UnitCount, Neutral, false, func(r *Report) float64 { return float64(r.Counts.Sent) })
	add("behind.ratio", UnitRatio, LowerIsBetter, false, func(r *Report) float64 { return ratio(r.Counts.Behind, r.Counts.Sent) })
	add("verdicts", UnitCount, Neutral, false, func(r *Report) float64 { return float64(r.Counts.Verdicts) })
	add("alerts", UnitCount, Neutral, false, func(r *Report) float64 { return float64(r.Counts.Alerts) })
	add("dropped", UnitCount, Neutral, false, func(r *Report) float64 { return float64(r.Counts.Dropped) })
	add("lost", UnitCount, LowerIsBetter, false, func(r *Report) float64 { return float64(r.Counts.Lost) })
	add("loss", UnitRatio, LowerIsBetter, true, func(r *Report) float64 { return ratio(r.Counts.Lost, r.Counts.Offered) })
	add("mismatches", UnitCount, LowerIsBetter, false, func(r *Report) float64 { return float64(r.Conformance.Mismatches) })
	add("mismatch.ratio", UnitRatio, LowerIsBetter, true, func(r *Report) float64 {
		return ratio(r.Conformance.Mismatches, r.Conformance.Checked)
	})
	lat := func(st LatencyStage, q string, gate bool, get func(*StageLatency) time.Duration) {
		b, k := base.Stage(st), cur.Stage(st)
		d := Delta{Metric: st.String() + "." + q, Unit: UnitDuration, Better: LowerIsBetter, Gate: gate}
		if b == nil || k == nil || b.Count == 0 || k.Count == 0 {
			d.NoData = true
		} else {
			d.Base, d.Current = float64(get(b)), float64(get(k))
		}
		c.Rows = append(c.Rows, d)
	}
	lat(EndToEnd, "p50", false, func(l *StageLatency) time.Duration { return l.P50 })
	lat(EndToEnd, "p90", false, func(l *StageLatency) time.Duration { return l.P90 })
	lat(EndToEnd, "p99", true, func(l *StageLatency) time.Duration { return l.P99 })
	lat(EndToEnd, "p99.9", false, func(l *StageLatency) time.Duration { return l.P999 })
	lat(EndToEnd, "max", false, func(l *StageLatency) time.Duration { return l.Max })
	for _, st := range []LatencyStage{SendLag, Wire, Pipeline} {
		lat(st, "p99", false, func(l *StageLatency) time.Duration { return l.P99 })
	}
	for i := range c.Rows {
		d := &c.Rows[i]
		d.Regressed = d.Gate && !d.NoData && worse(d, margin)
	}
	return c
}

// worse reports whether d moved the wrong way by more than the margin.
func worse(d *Delta, margin float64) bool {
	switch d.Better {
	case HigherIsBetter:
		return d.Current < d.Base*(1-margin)
	case LowerIsBetter:
		return d.Current > d.Base*(1+margin) && d.Current > d.Base
	}
	return false
}

// Regressed reports whether any gated metric regressed beyond the margin.
func (c *Comparison) Regressed() bool {
	for i := range c.Rows {
		if c.Rows[i].Regressed {
			return true
		}
	}
	return false
}

// Regressions returns the metrics that regressed.
func (c *Comparison) Regressions() []string {
	var out []string
	for _, d := range c.Rows {
		if d.Regressed {
			out = append(out, d.Metric)
		}
	}
	return out
}

// formatValue formats a compared value in its unit.
func formatValue(unit string, v float64, noData bool) string {
	if noData {
		return "-"
	}
	switch unit {
	case UnitRate:
		return FormatRate(v)
	case UnitRatio:
		return FormatRatio(v)
	case UnitDuration:
		return FormatDuration(time.Duration(v))
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// verdictLine summarises a comparison in one line.
func (c *Comparison) verdictLine() string {
	if regs := c.Regressions(); len(regs) > 0 {
		return fmt.Sprintf("REGRESSED beyond the %s noise margin: %s", FormatRatio(c.Margin), strings.Join(regs, ", "))
	}
	return fmt.Sprintf("no regression beyond the %s noise margin", FormatRatio(c.Margin))
}
