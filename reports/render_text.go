package reports

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// textRenderer is Text (short false) and Summary (short true): the human summary of a report.
type textRenderer struct{ short bool }

// textComparison is TextComparison: a comparison as a side-by-side table.
type textComparison struct{}

// Render writes r as a human summary: what ran and its verdict, throughput, bytes, delivery, the target,
// verdicts, drops, lost, latency, conformance, thresholds, the accounting balance, what limited the run
// and, last, the class table. The short form (Summary) is the first screen: no target section, no
// tables by alert type, drop reason or class, no mismatch examples.
func (t textRenderer) Render(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	textHeader(ew, r)
	textThroughput(ew, r)
	textBytes(ew, r)
	textDelivery(ew, r)
	if !t.short {
		textTarget(ew, r) // the limit line still names the target's CPU
	}
	if r.Relay() {
		textRelay(ew, r, t.short)
	} else {
		textVerdicts(ew, r, t.short)
	}
	textLatency(ew, r)
	textConformance(ew, r, t.short)
	textThresholds(ew, r)
	ew.print(balanceLine(r), "\n")
	l := r.LimitedBy()
	ew.print(l.Line(), "\n  ", l.Figures(), "\n")
	if !t.short && len(r.Classes) > 0 {
		ew.print("\n")
		textClasses(ew, r)
	}
	if ew.err != nil {
		return fmt.Errorf("render text: %w", ew.err)
	}
	return nil
}

// table returns a tabwriter writing to ew with the renderer's column layout.
func table(ew *errWriter) *tabwriter.Writer {
	return tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
}

// flush flushes tw, keeping the first error in ew.
func flush(ew *errWriter, tw *tabwriter.Writer) {
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
}

func textHeader(ew *errWriter, r *Report) {
	m := &r.Meta
	ew.print("nssbench report: scenario ", strconv.Quote(m.Scenario))
	if m.Description != "" {
		ew.print(" (", m.Description, ")")
	}
	ew.print("\n", r.VerdictLine())
	ew.print("\n  started ", m.Started.Format(time.RFC3339), ", elapsed ", FormatDuration(m.Duration),
		", seed ", strconv.FormatUint(m.Seed, 10), ", pacer ", m.Pacer, "\n")
	ew.print("  target ", m.Target, " over ", m.Transport, ", ", strconv.Itoa(m.Connections), " connection(s)\n")
	ew.print("  nssbench ", m.Version, ", ", m.GoVersion, ", ", m.Machine, "\n")
	if m.Clock != "" {
		ew.print("  clock ", m.Clock, ": records stamped ", clockWords(m.Clock), "\n")
	}
	switch m.Ending {
	case EndDeadline:
		ew.print("  ends by the schedule's end + drain: records unsent then are lost (not_sent)\n")
	case EndDeliverAll:
		ew.print("  delivers the whole schedule, late if need be (-deliver-all)\n")
	}
	if m.Interrupted {
		ew.print("  INTERRUPTED: the run was stopped before its end\n")
	}
	ew.print("\n")
}

func textThroughput(ew *errWriter, r *Report) {
	c, rt := &r.Counts, &r.Rates
	tw := table(ew)
	fmt.Fprintf(tw, "offered\t%d\t%s\t(pacer %s)\n", c.Offered, FormatRate(rt.Offered), FormatRate(r.Meta.OfferedRate))
	fmt.Fprintf(tw, "sent\t%d\t%s\tbehind schedule %d (%s)\n", c.Sent, FormatRate(rt.Sent), c.Behind, FormatRatio(ratio(c.Behind, c.Sent)))
	fmt.Fprintf(tw, "achieved\t%d\t%s\tverdicts per second over %d s: mean %.1f sd %.1f p1 %.1f p50 %.1f p99 %.1f\n",
		c.Verdicts, FormatRate(rt.Achieved), rt.PerSecond.Seconds, rt.PerSecond.Mean, rt.PerSecond.StdDev,
		rt.PerSecond.P1, rt.PerSecond.P50, rt.PerSecond.P99)
	flush(ew, tw)
	ew.print("\n")
}

// textBytes writes the volume section: totals, then one row per feed.
func textBytes(ew *errWriter, r *Report) {
	b := &r.Bytes
	tw := table(ew)
	fmt.Fprintf(tw, "bytes\tsent\trate\tvolume\tdelivered\trate\tvolume\tmean event\n")
	obs := r.DeliveryObserved()
	fmt.Fprintf(tw, "  total\t%s\n", strings.Join(bytesLine(&b.ByteCounts, obs), "\t"))
	if len(b.Feeds) > 1 {
		for i := range b.Feeds {
			fmt.Fprintf(tw, "  %s\t%s\n", b.Feeds[i].Feed, strings.Join(bytesLine(&b.Feeds[i], obs), "\t"))
		}
	}
	flush(ew, tw)
	ew.print("\n")
}

// textTarget writes the target section, if any.
func textTarget(ew *errWriter, r *Report) {
	if r.Target == nil {
		return
	}
	if err := r.Target.WriteText(ew); err != nil && ew.err == nil {
		ew.err = err
	}
}

func textVerdicts(ew *errWriter, r *Report, short bool) {
	c := &r.Counts
	ew.print(fmt.Sprintf("verdicts %d: %d alerts (%d mapped, %d unmapped), %d dropped", c.Verdicts, c.Alerts, c.Mapped, c.Unmapped, c.Dropped))
	if c.Invalid > 0 {
		ew.print(fmt.Sprintf(", %d INVALID (neither alert nor dropped)", c.Invalid))
	}
	ew.print("\n")
	if len(r.Alerts) > 0 && !short {
		ew.print("alerts by type:\n")
		tw := table(ew)
		for _, a := range r.Alerts {
			if a.Mapped {
				fmt.Fprintf(tw, "  mapped\t%s\t%s %s\t%d\n", a.AlertType, a.ThreatID, a.ThreatName, a.Count)
			} else {
				fmt.Fprintf(tw, "  unmapped\t%s\t-\t%d\n", a.AlertType, a.Count)
			}
		}
		flush(ew, tw)
	}
	if !short {
		textDrops(ew, r, "drops by stage and reason:\n")
	}
	ew.print(fmt.Sprintf("lost %d", c.Lost), lostCauses(r), "\n\n")
}

// textRelay is textVerdicts in the words of a relay: what arrived, and what did not, as expected (the
// drops the classes predict) or not (lost).
func textRelay(ew *errWriter, r *Report, short bool) {
	c := &r.Counts
	ew.print(fmt.Sprintf("relay (expect all): arrived %d, did not arrive %d (expected %d, unexpected %d)\n",
		c.Alerts, c.Dropped+c.Lost, c.Dropped, c.Lost))
	if len(r.Alerts) > 0 && !short {
		ew.print("arrived, by alert type:\n")
		tw := table(ew)
		for _, a := range r.Alerts {
			fmt.Fprintf(tw, "  %s\t%s\t%d\n", a.AlertType, cmp.Or(strings.TrimSpace(a.ThreatID+" "+a.ThreatName), "-"), a.Count)
		}
		flush(ew, tw)
	}
	if !short {
		textDrops(ew, r, "did not arrive, expected, by stage and reason:\n")
	}
	ew.print(fmt.Sprintf("did not arrive, unexpected (lost) %d", c.Lost), lostCauses(r), "\n\n")
}

// textDrops writes the drops by stage and reason under title, if any.
func textDrops(ew *errWriter, r *Report, title string) {
	if len(r.Drops) == 0 {
		return
	}
	ew.print(title)
	tw := table(ew)
	for _, d := range r.Drops {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\n", d.Stage, d.Reason, d.Detail, d.Count)
	}
	flush(ew, tw)
	byStage := dropsByStage(r)
	parts := make([]string, len(byStage))
	for i, s := range byStage {
		parts[i] = fmt.Sprintf("%s %d", s.stage, s.n)
	}
	ew.print("  by stage: ", strings.Join(parts, ", "), "\n")
}

// lostCauses is " (cause n, …)" for r's lost records by cause, or "".
func lostCauses(r *Report) string {
	if len(r.Lost) == 0 {
		return ""
	}
	parts := make([]string, len(r.Lost))
	for i, l := range r.Lost {
		parts[i] = fmt.Sprintf("%s %d", l.Cause, l.Count)
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

type stageCount struct {
	stage string
	n     uint64
}

// dropsByStage totals r's drops per stage, in the order stages first appear (pipeline order).
func dropsByStage(r *Report) []stageCount {
	var out []stageCount
	for _, d := range r.Drops {
		if n := len(out); n > 0 && out[n-1].stage == d.Stage {
			out[n-1].n += d.Count
			continue
		}
		out = append(out, stageCount{d.Stage, d.Count})
	}
	return out
}

func textLatency(ew *errWriter, r *Report) {
	tw := table(ew)
	fmt.Fprintf(tw, "latency\tcount\tp50\tp90\tp99\tp99.9\tmax\n")
	for _, l := range r.Latency {
		if l.Count == 0 {
			fmt.Fprintf(tw, "  %s\tnot measured (%s)\n", l.Stage, notMeasured(r, l.Stage))
			continue
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\n", l.Stage, l.Count, FormatDuration(l.P50), FormatDuration(l.P90),
			FormatDuration(l.P99), FormatDuration(l.P999), FormatDuration(l.Max))
	}
	flush(ew, tw)
	ew.print("\n")
}

// notMeasured says why r has no latency for stage.
func notMeasured(r *Report, stage string) string {
	switch d := r.Delivery; {
	case d != nil && !d.Observed && stage != "send":
		return "no sink: nothing past the sender is seen"
	case d != nil && (stage == "wire" || stage == "pipeline"):
		return "inside the collector under test"
	case stage == "send":
		return "nothing was sent"
	}
	return "nothing was decided"
}

func textClasses(ew *errWriter, r *Report) {
	if len(r.Classes) == 0 {
		return
	}
	tw := table(ew)
	if r.Relay() {
		fmt.Fprintf(tw, "class\tarrived\tdid not arrive: expected\tunexpected (lost)\tchecked\tmismatches\n")
		for _, c := range r.Classes {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\n", c.Name, c.Alerts, c.Dropped, c.Lost, c.Checked, c.Mismatches)
		}
		flush(ew, tw)
		ew.print("\n")
		return
	}
	fmt.Fprintf(tw, "class\talerts\tmapped\tunmapped\tdropped\tlost\tchecked\tmismatches\n")
	for _, c := range r.Classes {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", c.Name, c.Alerts, c.Mapped, c.Unmapped, c.Dropped, c.Lost, c.Checked, c.Mismatches)
	}
	flush(ew, tw)
	ew.print("\n")
}

func textConformance(ew *errWriter, r *Report, short bool) {
	cf := &r.Conformance
	ew.print(fmt.Sprintf("conformance: %d checked, %d mismatches\n", cf.Checked, cf.Mismatches))
	if len(cf.Examples) > 0 && !short {
		ew.print(fmt.Sprintf("first %d mismatches:\n", len(cf.Examples)))
		for i, ex := range cf.Examples {
			ew.print(fmt.Sprintf("  %d. class %q %s: %s got %q want %q\n     input: %q\n", i+1, ex.Class, ex.Position(), ex.Field, ex.Got, ex.Want, ex.Input))
		}
	}
	ew.print("\n")
}

func textThresholds(ew *errWriter, r *Report) {
	if len(r.Thresholds) > 0 {
		failed, unobserved := thresholdFailures(r)
		ew.print(fmt.Sprintf("thresholds: %d passed, %d failed", len(r.Thresholds)-failed, failed))
		if unobserved > 0 {
			ew.print(fmt.Sprintf(" (%d not observed)", unobserved))
		}
		ew.print("\n")
		tw := table(ew)
		for _, t := range r.Thresholds {
			mark := "ok"
			if !t.Pass {
				mark = "FAIL"
			}
			fmt.Fprintf(tw, "  %s\t%s\tgot %s\twant %s\n", mark, t.Expr, t.Got, t.Want)
		}
		flush(ew, tw)
		ew.print("\n")
	}
	if len(r.ThresholdsLeftOut) > 0 {
		ew.print(leftOutTitle, ":\n")
		tw := table(ew)
		for _, t := range r.ThresholdsLeftOut {
			fmt.Fprintf(tw, "  %s\t%s\n", t.Expr, t.Why)
		}
		flush(ew, tw)
		ew.print("\n")
	}
}

// leftOutTitle heads the list of default gates a run left out.
const leftOutTitle = "default thresholds left out (not observable by this run)"

// thresholdFailures counts r's failed thresholds and, of those, the ones not observed.
func thresholdFailures(r *Report) (failed, unobserved int) {
	for _, t := range r.Thresholds {
		if !t.Pass {
			failed++
		}
		if t.NotObserved {
			unobserved++
		}
	}
	return failed, unobserved
}

// balanceLine states the accounting balance: offered = alerts + dropped + lost, and the records received
// that no offered event accounts for.
func balanceLine(r *Report) string {
	s := balance(r)
	if n := r.Counts.Unattributed; n > 0 {
		s += fmt.Sprintf("; unattributed %d (received, not offered by this run: a foreign peer or a stray line)", n)
	}
	return s
}

func balance(r *Report) string {
	c := &r.Counts
	if r.Delivery != nil && !r.Delivery.Observed {
		return unobservedBalance(r)
	}
	sum := c.Alerts + c.Dropped + c.Lost
	s := fmt.Sprintf("balance: offered %d", c.Offered)
	if d := r.Delivery; d != nil && d.Unobserved > 0 { // a sink that could not attribute some records sent
		if r.Accounted() {
			return s + fmt.Sprintf(" = alerts %d + dropped %d + lost %d + unobserved %d (sent without a record id the sink can match): balanced",
				c.Alerts, c.Dropped, c.Lost, d.Unobserved)
		}
		sum += d.Unobserved
		s += fmt.Sprintf(" vs alerts %d + dropped %d + lost %d + unobserved %d = %d", c.Alerts, c.Dropped, c.Lost, d.Unobserved, sum)
		return s + fmt.Sprintf(" (%+d unaccounted): NOT BALANCED", int64(c.Offered)-int64(sum))
	}
	if r.Balanced() {
		return s + fmt.Sprintf(" = alerts %d + dropped %d + lost %d: balanced", c.Alerts, c.Dropped, c.Lost)
	}
	s += fmt.Sprintf(" vs alerts %d + dropped %d + lost %d = %d", c.Alerts, c.Dropped, c.Lost, sum)
	if c.Invalid > 0 {
		s += fmt.Sprintf(", %d invalid verdicts", c.Invalid)
	}
	return s + fmt.Sprintf(" (%+d unaccounted): NOT BALANCED", int64(c.Offered)-int64(sum))
}

// Render writes c as a side-by-side table with a closing verdict line.
func (textComparison) Render(w io.Writer, c *Comparison) error {
	ew := &errWriter{w: w}
	ew.print(fmt.Sprintf("comparison: base %q (%s) vs current %q (%s)\n", c.Base.Scenario, c.Base.Started.Format(time.RFC3339),
		c.Current.Scenario, c.Current.Started.Format(time.RFC3339)))
	ew.print(comparisonContext(c, "  ", "  ", ""))
	tw := table(ew)
	fmt.Fprintf(tw, "metric\tbase\tcurrent\tchange\n")
	for _, d := range c.Rows {
		mark := ""
		switch {
		case d.Regressed:
			mark = "REGRESSED"
		case d.Gate:
			mark = "gate"
		}
		last := strings.TrimRight(fmt.Sprintf("%-8s %s", d.changeText(), mark), " ")
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.Metric, formatValue(d.Unit, d.Base, d.NoData), formatValue(d.Unit, d.Current, d.NoData), last)
	}
	flush(ew, tw)
	if len(c.AlertChanges) > 0 {
		ew.print(fmt.Sprintf("alert types whose decision or technique changed: %d\n", len(c.AlertChanges)))
		for i := range c.AlertChanges {
			ew.print("  ", c.AlertChanges[i].String(), "\n")
		}
	}
	ew.print(c.verdictLine(), "\n")
	if ew.err != nil {
		return fmt.Errorf("render comparison: %w", ew.err)
	}
	return nil
}

// clockWords says how a clock stamps records.
func clockWords(clock string) string {
	switch clock {
	case "wall":
		return "with their scheduled send time"
	case "virtual":
		return "with the generator's deterministic virtual time"
	case ClockRecorded:
		return "as recorded (a verbatim replay)"
	}
	return "as " + strconv.Quote(clock)
}
