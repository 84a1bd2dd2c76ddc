package html

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// page is what the template shows of one report beyond its plain fields (read from R): verdicts,
// formatted figures and bar widths. Strings in it are untrusted text; the template escapes them.
type page struct {
	R        *reports.Report
	Status   status
	Started  string // RFC 3339, UTC; empty when unset
	Balance  balance
	Outcomes []segment
	Cards    []card

	ThresholdsFailed int

	Alerts    []alertRow
	Drops     []dropRow
	DropTotal []stageTotal // drops per stage, in pipeline order
	Lost      []lostRow

	HasInvalid bool // some verdict was neither alert nor dropped: the class table shows the column

	MismatchRatio string
	Data          chartData

	Verdict string         // the verdict line (reports.Report.VerdictLine)
	Limit   reports.Limit  // what limited the run
	Bytes   []bytesRow     // the volume section: the totals, then one row per feed when there are several
	Target  *targetSection // nil when the report has no target section
}

// bytesRow is one row of the volume section, formatted.
type bytesRow struct {
	Name                               string
	Sent, SentRate, SentDay            string
	Delivered, DeliveredRate, DelivDay string
	Mean                               string
}

// newBytesRow formats b; its delivered figures are "not observed" and "-" unless observed.
func newBytesRow(name string, b *reports.ByteCounts, observed bool) bytesRow {
	row := bytesRow{
		Name: name, Sent: reports.FormatBytes(float64(b.Sent)), SentRate: reports.FormatBytes(b.SentPerSecond) + "/s",
		SentDay: reports.FormatGB(b.SentGBPerDay) + "/day", Delivered: reports.NotObserved, DeliveredRate: "-", DelivDay: "-",
		Mean: strconv.FormatFloat(b.MeanEventSize, 'f', 1, 64) + " B",
	}
	if observed {
		row.Delivered = reports.FormatBytes(float64(b.Delivered))
		row.DeliveredRate, row.DelivDay = reports.FormatBytes(b.DeliveredPerSecond)+"/s", reports.FormatGB(b.GBPerDay)+"/day"
	}
	return row
}

// targetSection is the target's cost, formatted.
type targetSection struct {
	*reports.Target
	CPU                    [3]string // mean, p99, max in cores
	RSSMax, RSSMean        string
	PerCPU, BytesPerCPU    string // events and bytes per CPU-second; empty when no CPU time was measured
	CPUSeconds, WindowText string
}

func newTargetSection(t *reports.Target) *targetSection {
	if t == nil {
		return nil
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	s := &targetSection{Target: t, CPU: [3]string{f(t.CPU.Mean), f(t.CPU.P99), f(t.CPU.Max)},
		RSSMax: reports.FormatBytes(float64(t.RSSMax)), RSSMean: reports.FormatBytes(float64(t.RSSMean)),
		CPUSeconds: strconv.FormatFloat(t.CPUSeconds, 'f', 2, 64), WindowText: reports.FormatDuration(t.Window)}
	if t.CPUSeconds > 0 {
		s.PerCPU = strconv.FormatFloat(t.EventsPerCPUSecond, 'f', 0, 64)
		s.BytesPerCPU = reports.FormatBytes(t.BytesPerCPUSecond)
	}
	return s
}

// status is the run's overall outcome, as the Markdown renderer decides it: it fails when the accounting
// does not hold (reports.Report.Accounted), a verdict mismatched its expectation or a threshold failed.
type status struct {
	Pass bool
	Why  []string // the failed checks
}

// balance is the accounting line: offered = alerts + dropped + lost; or, when nobody observed the delivery
// (Unobserved), offered = unobserved + lost, with no verdicts.
type balance struct {
	OK         bool
	Unobserved bool   // the run's delivery was not observed: Sum is unobserved + lost + verdicts
	Sum        uint64 // what the offered events are accounted as
	Invalid    uint64
	Diff       string // offered − sum, signed
}

// segment is one part of the stacked outcomes bar: a share of all accounted events.
type segment struct {
	Name  string
	Class string // CSS class naming its colour
	Count uint64
	Share string // of the segments' total, e.g. "12.5%"
	Width string // CSS width, e.g. "12.5%"
}

// card is one headline figure.
type card struct {
	Label string
	Value string
	Note  string
	Bad   bool // the figure signals trouble: shown in the alarm colour
}

// alertRow is one alert type with its proportional bar.
type alertRow struct {
	reports.AlertCount
	Share string // of all alerts
	Width string // of the largest row
}

// dropRow is one stage/reason/detail with its proportional bar.
type dropRow struct {
	reports.DropCount
	Share string // of all drops
	Width string // of the largest row
}

// stageTotal is the drops of one stage.
type stageTotal struct {
	Stage string
	Count uint64
}

// lostRow is one cause of loss with its proportional bar.
type lostRow struct {
	reports.LostCount
	Share string // of all lost events
	Width string // of the largest row
}

// newPage derives the page of r.
func newPage(r *reports.Report) (*page, error) {
	data, err := newChartData(r)
	if err != nil {
		return nil, err
	}
	c := &r.Counts
	failed := 0
	for _, t := range r.Thresholds {
		if !t.Pass {
			failed++
		}
	}
	p := &page{
		R:                r,
		Status:           newStatus(r, failed),
		ThresholdsFailed: failed,
		Balance:          newBalance(r),
		Outcomes:         outcomes(c, r.Delivery),
		Cards:            cards(r),
		HasInvalid:       c.Invalid > 0,
		MismatchRatio:    share(r.Conformance.Mismatches, r.Conformance.Checked),
		Data:             data,
		Verdict:          r.VerdictLine(),
		Limit:            r.LimitedBy(),
		Bytes:            []bytesRow{newBytesRow("total", &r.Bytes.ByteCounts, r.DeliveryObserved())},
		Target:           newTargetSection(r.Target),
	}
	if len(r.Bytes.Feeds) > 1 {
		for i := range r.Bytes.Feeds {
			p.Bytes = append(p.Bytes, newBytesRow(r.Bytes.Feeds[i].Feed, &r.Bytes.Feeds[i], r.DeliveryObserved()))
		}
	}
	if !r.Meta.Started.IsZero() {
		p.Started = r.Meta.Started.UTC().Format(time.RFC3339)
	}

	var top uint64
	for _, a := range r.Alerts {
		top = max(top, a.Count)
	}
	for _, a := range r.Alerts {
		p.Alerts = append(p.Alerts, alertRow{a, share(a.Count, c.Alerts), width(a.Count, top)})
	}
	top = 0
	var dropped uint64
	for _, d := range r.Drops {
		top = max(top, d.Count)
		dropped += d.Count
	}
	for _, d := range r.Drops {
		p.Drops = append(p.Drops, dropRow{d, share(d.Count, dropped), width(d.Count, top)})
		if n := len(p.DropTotal); n > 0 && p.DropTotal[n-1].Stage == d.Stage {
			p.DropTotal[n-1].Count += d.Count
			continue
		}
		p.DropTotal = append(p.DropTotal, stageTotal{d.Stage, d.Count})
	}
	top = 0
	var lost uint64
	for _, l := range r.Lost {
		top = max(top, l.Count)
		lost += l.Count
	}
	for _, l := range r.Lost {
		p.Lost = append(p.Lost, lostRow{l, share(l.Count, lost), width(l.Count, top)})
	}
	return p, nil
}

// newStatus decides the run's status; failed is the number of failed thresholds.
func newStatus(r *reports.Report, failed int) status {
	var s status
	if !r.Accounted() {
		s.Why = append(s.Why, "accounting not balanced")
	}
	if m := r.Conformance.Mismatches; m > 0 {
		s.Why = append(s.Why, plural(m, "conformance mismatch", "conformance mismatches"))
	}
	if failed > 0 {
		s.Why = append(s.Why, plural(uint64(failed), "threshold failed", "thresholds failed"))
	}
	s.Pass = len(s.Why) == 0
	return s
}

func newBalance(r *reports.Report) balance {
	c := &r.Counts
	b := balance{OK: r.Accounted(), Sum: c.Alerts + c.Dropped + c.Lost, Invalid: c.Invalid}
	if d := r.Delivery; d != nil && !d.Observed {
		b.Unobserved, b.Sum, b.Invalid = true, d.Unobserved+c.Lost+c.Verdicts, 0
	}
	b.Diff = fmt.Sprintf("%+d", int64(c.Offered)-int64(b.Sum))
	return b
}

// outcomes splits the accounted events into mapped and unmapped alerts, drops, lost and invalid
// verdicts, and, for a run whose delivery nobody observed (d), records sent whose fate is unknown;
// empty segments are left out.
func outcomes(c *reports.Counts, d *reports.Delivery) []segment {
	all := []segment{
		{Name: "alerts, mapped", Class: "mapped", Count: c.Mapped},
		{Name: "alerts, unmapped", Class: "unmapped", Count: c.Unmapped},
		{Name: "dropped", Class: "dropped", Count: c.Dropped},
		{Name: "lost", Class: "lost", Count: c.Lost},
		{Name: "invalid verdicts", Class: "invalid", Count: c.Invalid},
	}
	if d != nil && !d.Observed {
		all = append(all, segment{Name: "sent, fate unknown (no sink)", Class: "unobserved", Count: d.Unobserved})
	}
	var total uint64
	for _, s := range all {
		total += s.Count
	}
	out := all[:0]
	for _, s := range all {
		if s.Count == 0 {
			continue
		}
		s.Share = share(s.Count, total)
		s.Width = width(s.Count, total)
		out = append(out, s)
	}
	return out
}

// cards are the headline figures: volume, rates, outcomes and end-to-end tail latency.
func cards(r *reports.Report) []card {
	c, rt := &r.Counts, &r.Rates
	out := []card{
		{Label: "offered", Value: count(c.Offered), Note: reports.FormatRate(rt.Offered) + " · pacer " + reports.FormatRate(r.Meta.OfferedRate)},
		{Label: "sent", Value: count(c.Sent), Note: count(c.Behind) + " behind schedule (" + share(c.Behind, c.Sent) + ")", Bad: c.Behind > 0},
		achievedCard(r),
		{Label: "alerts", Value: count(c.Alerts), Note: count(c.Mapped) + " mapped · " + count(c.Unmapped) + " unmapped"},
		{Label: "dropped", Value: count(c.Dropped), Note: share(c.Dropped, c.Offered) + " of offered"},
		{Label: "lost", Value: count(c.Lost), Note: share(c.Lost, c.Offered) + " of offered", Bad: c.Lost > 0},
	}
	if e2e := r.Stage(reports.EndToEnd); e2e != nil && e2e.Count > 0 {
		out = append(out, card{Label: "e2e p99", Value: reports.FormatDuration(e2e.P99),
			Note: "p50 " + reports.FormatDuration(e2e.P50) + " · max " + reports.FormatDuration(e2e.Max)})
	}
	return out
}

// achievedCard is the verdict rate, or, when no sink watched an external collector, what is unknown.
func achievedCard(r *reports.Report) card {
	c := &r.Counts
	if d := r.Delivery; d != nil && !d.Observed {
		return card{Label: "achieved", Value: "not observed", Note: count(d.Unobserved) + " sent, fate unknown (no sink)"}
	}
	return card{Label: "achieved", Value: reports.FormatRate(r.Rates.Achieved), Note: count(c.Verdicts) + " verdicts · " +
		share(c.Verdicts, c.Offered) + " of offered", Bad: c.Verdicts < c.Offered}
}

func ratio(n, of uint64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// share formats n as a percentage of of, to a precision that reads at a glance and lines up in a
// column: one decimal from 10%, two from 1%, two significant digits below ("48.8%", "2.02%", "0.0046%");
// exactly 0 and 100 are "0%" and "100%".
func share(n, of uint64) string {
	p := 100 * ratio(n, of)
	switch {
	case p == 0:
		return "0%"
	case p == 100:
		return "100%"
	case p >= 10:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	case p >= 1:
		return strconv.FormatFloat(p, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 1-int(math.Floor(math.Log10(p))), 64) + "%"
}

// width formats n as a CSS percentage of of, with one decimal; nonzero counts get at least 0.5%, so
// they stay visible.
func width(n, of uint64) string {
	w := 100 * ratio(n, of)
	if n > 0 && w < 0.5 {
		w = 0.5
	}
	return strconv.FormatFloat(w, 'f', 1, 64) + "%"
}

// count formats n with thin spaces between groups of three digits: 1 234 567.
func count(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 4 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3*3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, "\u2009"...)
		}
		b = append(b, s[i])
	}
	return string(b)
}

func plural(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatUint(n, 10) + " " + many
}
