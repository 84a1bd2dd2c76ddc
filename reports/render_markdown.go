package reports

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// markdownRenderer is Markdown: a report for a pull-request comment.
type markdownRenderer struct{}

// markdownComparison is MarkdownComparison: a comparison as a Markdown table.
type markdownComparison struct{}

// markdownTimelineRows caps the timeline table of a Markdown report; report.json keeps every second.
const markdownTimelineRows = 120

// Render writes r as GitHub-flavoured Markdown for a pull-request comment: a status heading, tables for
// throughput, delivery (runs against an external collector), latency, alerts, drops, lost, classes,
// conformance and thresholds, the balance, and the timeline folded in a <details> block. A relay's
// report (Relay) words alerts, drops and lost as arrived and did not arrive (expected, unexpected).
func (markdownRenderer) Render(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	m := &r.Meta
	status := "✅ pass"
	if !r.Accounted() || r.Conformance.Mismatches > 0 || !r.ThresholdsPassed() {
		status = "❌ fail"
	}
	ew.print("### nssbench: ", mdCode(m.Scenario), " — ", status, "\n\n")
	ew.print("**", mdCell(r.VerdictLine()), "**\n\n")
	if m.Description != "" {
		ew.print("> ", mdCell(m.Description), "\n\n")
	}
	run := fmt.Sprintf("started %s · elapsed %s · seed %d · pacer %s · %s over %s, %d connection(s) · nssbench %s, %s, %s",
		m.Started.Format(time.RFC3339), FormatDuration(m.Duration), m.Seed, mdCode(m.Pacer), mdCode(m.Target), m.Transport,
		m.Connections, m.Version, m.GoVersion, m.Machine)
	ew.print(run, "\n")
	if m.Interrupted {
		ew.print("\n**Interrupted**: the run was stopped before its end.\n")
	}

	c, rt := &r.Counts, &r.Rates
	ew.print("\n| | events | rate |\n|---|--:|--:|\n")
	ew.print("| offered | ", u(c.Offered), " | ", FormatRate(rt.Offered), " (pacer ", FormatRate(m.OfferedRate), ") |\n")
	ew.print("| sent | ", u(c.Sent), " | ", FormatRate(rt.Sent), " |\n")
	ew.print("| behind schedule | ", u(c.Behind), " | ", FormatRatio(ratio(c.Behind, c.Sent)), " of sent |\n")
	ew.print("| achieved (verdicts) | ", u(c.Verdicts), " | ", FormatRate(rt.Achieved), " |\n")
	ps := &rt.PerSecond
	ew.print(fmt.Sprintf("| per second (%d s) | | mean %.1f · sd %.1f · p1 %.1f · p50 %.1f · p99 %.1f |\n",
		ps.Seconds, ps.Mean, ps.StdDev, ps.P1, ps.P50, ps.P99))
	relay := r.Relay()
	if relay {
		ew.print("| arrived | ", u(c.Alerts), " | relay (expect all) |\n")
		ew.print("| did not arrive, expected | ", u(c.Dropped), " | |\n")
		ew.print("| did not arrive, unexpected (lost) | ", u(c.Lost), " | ", FormatRatio(ratio(c.Lost, c.Offered)), " of offered |\n")
	} else {
		ew.print("| alerts | ", u(c.Alerts), " | ", u(c.Mapped), " mapped, ", u(c.Unmapped), " unmapped |\n")
		ew.print("| dropped | ", u(c.Dropped), " | |\n")
		ew.print("| lost | ", u(c.Lost), " | ", FormatRatio(ratio(c.Lost, c.Offered)), " of offered |\n")
	}
	if c.Invalid > 0 {
		ew.print("| **invalid verdicts** | ", u(c.Invalid), " | |\n")
	}
	markdownBytes(ew, r)
	markdownDelivery(ew, r)
	markdownTarget(ew, r)

	ew.print("\n**Latency**\n\n| stage | count | p50 | p90 | p99 | p99.9 | max |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, l := range r.Latency {
		if l.Count == 0 {
			ew.print("| ", l.Stage, " | not measured (", notMeasured(r, l.Stage), ") | | | | | |\n")
			continue
		}
		ew.print("| ", l.Stage, " | ", u(l.Count), " | ", FormatDuration(l.P50), " | ", FormatDuration(l.P90), " | ",
			FormatDuration(l.P99), " | ", FormatDuration(l.P999), " | ", FormatDuration(l.Max), " |\n")
	}

	switch {
	case len(r.Alerts) > 0 && relay:
		ew.print("\n**Arrived, by alert type**\n\n| alert type | threat | count |\n|---|---|--:|\n")
		for _, a := range r.Alerts {
			ew.print("| ", mdCell(a.AlertType), " | ", mdCell(cmp.Or(strings.TrimSpace(a.ThreatID+" "+a.ThreatName), "-")), " | ", u(a.Count), " |\n")
		}
	case len(r.Alerts) > 0:
		ew.print("\n**Alerts by type**\n\n| alert type | mapped | threat | count |\n|---|---|---|--:|\n")
		for _, a := range r.Alerts {
			mapped, threat := "no", ""
			if a.Mapped {
				mapped, threat = "yes", a.ThreatID+" "+a.ThreatName
			}
			ew.print("| ", mdCell(a.AlertType), " | ", mapped, " | ", mdCell(threat), " | ", u(a.Count), " |\n")
		}
	}
	if len(r.Drops) > 0 {
		ew.print("\n**", cond(relay, "Did not arrive, expected, by stage and reason", "Drops"), "**\n\n| stage | reason | detail | count |\n|---|---|---|--:|\n")
		for _, d := range r.Drops {
			ew.print("| ", d.Stage, " | ", d.Reason, " | ", d.Detail, " | ", u(d.Count), " |\n")
		}
	}
	if len(r.Lost) > 0 {
		ew.print("\n**", cond(relay, "Did not arrive, unexpected (lost), by cause", "Lost"), "**\n\n| cause | count |\n|---|--:|\n")
		for _, l := range r.Lost {
			ew.print("| ", mdCode(l.Cause), " | ", u(l.Count), " |\n")
		}
	}
	switch {
	case len(r.Classes) > 0 && relay:
		ew.print("\n**Classes**\n\n| class | arrived | did not arrive: expected | unexpected (lost) | checked | mismatches |\n|---|--:|--:|--:|--:|--:|\n")
		for _, k := range r.Classes {
			ew.print("| ", mdCell(k.Name), " | ", u(k.Alerts), " | ", u(k.Dropped), " | ", u(k.Lost), " | ", u(k.Checked), " | ", u(k.Mismatches), " |\n")
		}
	case len(r.Classes) > 0:
		ew.print("\n**Classes**\n\n| class | alerts | mapped | unmapped | dropped | lost | checked | mismatches |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, k := range r.Classes {
			ew.print("| ", mdCell(k.Name), " | ", u(k.Alerts), " | ", u(k.Mapped), " | ", u(k.Unmapped), " | ", u(k.Dropped), " | ",
				u(k.Lost), " | ", u(k.Checked), " | ", u(k.Mismatches), " |\n")
		}
	}

	cf := &r.Conformance
	ew.print(fmt.Sprintf("\n**Conformance**: %d checked, %d mismatches\n", cf.Checked, cf.Mismatches))
	if len(cf.Examples) > 0 {
		ew.print("\n| # | class | record | field | got | want | input |\n|--:|---|---|---|---|---|---|\n")
		for i, ex := range cf.Examples {
			ew.print("| ", strconv.Itoa(i+1), " | ", mdCell(ex.Class), " | ", ex.Position(), " | ", ex.Field, " | ", mdCode(ex.Got), " | ",
				mdCode(ex.Want), " | ", mdCode(ex.Input), " |\n")
		}
	}
	if len(r.Thresholds) > 0 {
		ew.print("\n**Thresholds**\n\n| | threshold | got | want |\n|---|---|---|---|\n")
		for _, t := range r.Thresholds {
			mark := "✅"
			if !t.Pass {
				mark = "❌"
			}
			ew.print("| ", mark, " | ", mdCode(t.Expr), " | ", mdCell(t.Got), " | ", mdCell(t.Want), " |\n")
		}
	}
	if len(r.ThresholdsLeftOut) > 0 {
		ew.print("\n**", strings.ToUpper(leftOutTitle[:1]), leftOutTitle[1:], "**\n\n| threshold | why |\n|---|---|\n")
		for _, t := range r.ThresholdsLeftOut {
			ew.print("| ", mdCode(t.Expr), " | ", mdCell(t.Why), " |\n")
		}
	}
	ew.print("\n", balanceLine(r), "\n")
	l := r.LimitedBy()
	ew.print("\n**", mdCell(l.Line()), "**: ", mdCell(l.Figures()), "\n")

	if len(r.Timeline) > 0 {
		ew.print(fmt.Sprintf("\n<details><summary>Timeline (%d active seconds)</summary>\n\n", len(r.Timeline)))
		ew.print("| second | offered | sent | behind | verdicts | dropped | lost | e2e p50 | e2e p99 |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		first := r.Timeline[0].Unix
		for i, s := range r.Timeline {
			if i == markdownTimelineRows {
				ew.print(fmt.Sprintf("\n… %d more seconds in report.json\n", len(r.Timeline)-i))
				break
			}
			ew.print("| +", strconv.FormatInt(s.Unix-first, 10), " | ", u(s.Offered), " | ", u(s.Sent), " | ", u(s.Behind), " | ",
				u(s.Verdicts), " | ", u(s.Dropped), " | ", u(s.Lost), " | ", FormatDuration(s.P50), " | ", FormatDuration(s.P99), " |\n")
		}
		ew.print("\n</details>\n")
	}
	if ew.err != nil {
		return fmt.Errorf("render markdown: %w", ew.err)
	}
	return nil
}

// markdownBytes writes the volume section as a table: totals, then one row per feed.
func markdownBytes(ew *errWriter, r *Report) {
	b := &r.Bytes
	ew.print("\n**Bytes**\n\n| | sent | sent/s | sent/day | delivered | delivered/s | delivered/day | mean event |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
	obs := r.DeliveryObserved()
	ew.print("| total | ", strings.Join(bytesLine(&b.ByteCounts, obs), " | "), " |\n")
	if len(b.Feeds) > 1 {
		for i := range b.Feeds {
			ew.print("| ", mdCell(b.Feeds[i].Feed), " | ", strings.Join(bytesLine(&b.Feeds[i], obs), " | "), " |\n")
		}
	}
}

// markdownTarget writes the target section, if any.
func markdownTarget(ew *errWriter, r *Report) {
	t := r.Target
	if t == nil {
		return
	}
	if t.Samples > 0 {
		who := "pid " + strconv.Itoa(t.PID) + " " + mdCode(t.Command)
		if t.Self {
			who = "nssbench itself (pid " + strconv.Itoa(t.PID) + "): the embedded collector, with the generator and sender in the same process"
		}
		ew.print("\n**Target**: ", who, fmt.Sprintf(", %d samples over %s\n\n", t.Samples, FormatDuration(t.Elapsed)))
		ew.print("| | mean | p99 | max | |\n|---|--:|--:|--:|---|\n")
		ew.print(fmt.Sprintf("| cpu (cores) | %.3f | %.3f | %.3f | %.2f CPU-seconds |\n", t.CPU.Mean, t.CPU.P99, t.CPU.Max, t.CPUSeconds))
		ew.print("| rss | ", iecBytes(float64(t.RSSMean)), " | | ", iecBytes(float64(t.RSSMax)), " | summed over the process tree |\n")
		if t.CPUSeconds > 0 {
			ew.print(fmt.Sprintf("| per CPU-second | %.0f events | | | %s (%s) |\n", t.EventsPerCPUSecond, iecBytes(t.BytesPerCPUSecond), t.Basis()))
		}
		if t.Note != "" {
			ew.print("\nNote: ", mdCell(t.Note), "\n")
		}
	}
	if m := t.Metrics; m != nil {
		ew.print("\n**Target metrics** ", mdCode(m.URL), fmt.Sprintf(": %d scrapes, %d failed\n\n", m.Scrapes, m.Failed))
		ew.print("| series | kind | last | increase | rate/s | mean | max |\n|---|---|--:|--:|--:|--:|--:|\n")
		for i := range m.Series {
			se := &m.Series[i]
			if se.Seen == 0 {
				ew.print("| ", mdCode(se.Name), " | never seen | | | | | |\n")
				continue
			}
			ew.print("| ", mdCode(se.Name), " | ", se.Kind, " | ", metricValue(se.Last), " | ", metricValue(se.Increase), " | ",
				metricValue(se.Rate), " | ", metricValue(se.Mean), " | ", metricValue(se.Max), " |\n")
		}
		if m.Note != "" {
			ew.print("\nNote: ", mdCell(m.Note), "\n")
		}
	}
}

// Render writes c as a Markdown table with a closing verdict line.
func (markdownComparison) Render(w io.Writer, c *Comparison) error {
	ew := &errWriter{w: w}
	status := "✅ no regression"
	if c.Regressed() {
		status = "❌ regressed"
	}
	ew.print("### nssbench comparison — ", status, "\n\n")
	ew.print("base ", mdCode(c.Base.Scenario), " (", c.Base.Started.Format(time.RFC3339), ") vs current ", mdCode(c.Current.Scenario),
		" (", c.Current.Started.Format(time.RFC3339), ")\n\n")
	ew.print(comparisonContext(c, "", "- ", "\n"))
	ew.print("| metric | base | current | change | |\n|---|--:|--:|--:|---|\n")
	for _, d := range c.Rows {
		mark := ""
		switch {
		case d.Regressed:
			mark = "❌ regressed"
		case d.Gate:
			mark = "gate"
		}
		ew.print("| ", d.Metric, " | ", formatValue(d.Unit, d.Base, d.NoData), " | ", formatValue(d.Unit, d.Current, d.NoData), " | ",
			d.changeText(), " | ", mark, " |\n")
	}
	if len(c.AlertChanges) > 0 {
		ew.print("\n**Alert types whose decision or technique changed**\n\n")
		for i := range c.AlertChanges {
			ew.print("- ", mdCell(c.AlertChanges[i].String()), "\n")
		}
	}
	ew.print("\n", c.verdictLine(), "\n")
	if ew.err != nil {
		return fmt.Errorf("render comparison: %w", ew.err)
	}
	return nil
}

// cond is yes when c, else no.
func cond(c bool, yes, no string) string {
	if c {
		return yes
	}
	return no
}

// mdCell escapes s for a Markdown table cell: pipes, backslashes and line breaks.
func mdCell(s string) string {
	if !strings.ContainsAny(s, "|\\\n\r<>*_`[]") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\n', '\r':
			b.WriteByte(' ')
		case '|', '\\', '<', '>', '*', '_', '`', '[', ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode writes s as inline code, safe inside a table cell. Backticks in s lengthen the fence.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}
