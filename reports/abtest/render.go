package abtest

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText writes the signal for a terminal: the overall verdict first, a table of the metrics, then
// why each metric that is not "no change" got its verdict, with its replicate values.
func (s *Signal) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "A/B comparison: %s%s\n", strings.ToUpper(string(s.Verdict)), s.exitText())
	fmt.Fprintf(&b, "base %s vs new %s\n", s.Base, s.New)
	b.WriteString(s.methodLine() + "\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "metric\tbetter\tbase mean (n)\tnew mean (n)\tchange\t95%% CI\tp\tverdict\n")
	for i := range s.Metrics {
		m := &s.Metrics[i]
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Name, m.Direction, m.meanText(&m.Base), m.meanText(&m.New),
			m.changeText(), m.ciText(), m.pText(), m.verdictText())
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write A/B comparison: %w", err)
	}
	first := true
	for i := range s.Metrics {
		if m := &s.Metrics[i]; m.Verdict != NoChange {
			if first {
				b.WriteString("\n")
				first = false
			}
			fmt.Fprintf(&b, "%s: %s: %s (%s)\n", m.Name, m.Verdict, m.Reason, m.valuesText())
		}
	}
	for _, n := range s.NotCompared {
		fmt.Fprintf(&b, "not compared: %s: %s\n", n.Name, n.Why)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write A/B comparison: %w", err)
	}
	return nil
}

// WriteMarkdown writes the signal sized for a pull-request comment: a heading with the overall verdict,
// one line naming the metrics that decided it, the metrics table, and the reasons of every metric that
// is not "no change".
func (s *Signal) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### nssbench A/B comparison — %s%s\n\n", mark(s.Verdict), s.exitText())
	if line := s.headline(); line != "" {
		b.WriteString(line + "\n\n")
	}
	fmt.Fprintf(&b, "base `%s` vs new `%s` · %s\n\n", s.Base, s.New, s.methodLine())
	b.WriteString("| metric | base mean (n) | new mean (n) | change | 95% CI | p | verdict |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|---|\n")
	for i := range s.Metrics {
		m := &s.Metrics[i]
		fmt.Fprintf(&b, "| %s %s | %s | %s | %s | %s | %s | %s |\n", m.Name, arrow(m.Direction), m.meanText(&m.Base),
			m.meanText(&m.New), m.changeText(), m.ciText(), m.pText(), mark(m.Verdict)+info(m))
	}
	first := true
	for i := range s.Metrics {
		m := &s.Metrics[i]
		if m.Verdict == NoChange {
			continue
		}
		if first {
			b.WriteString("\n")
			first = false
		}
		fmt.Fprintf(&b, "- **%s** %s: %s (%s)\n", m.Name, m.Verdict, m.Reason, m.valuesText())
	}
	for i, n := range s.NotCompared {
		if i == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Not compared: **%s**: %s\n", n.Name, n.Why)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write A/B comparison: %w", err)
	}
	return nil
}

// exitText names the exit code a regression hints.
func (s *Signal) exitText() string {
	if s.ExitCode != 0 {
		return " (exit " + strconv.Itoa(s.ExitCode) + ")"
	}
	return ""
}

// methodLine says how the intervals and p-values were computed.
func (s *Signal) methodLine() string {
	return fmt.Sprintf("margin %s; %.0f%% CI: percentile bootstrap of the difference of means (%d resamples, seed %d); p: Mann-Whitney U (cross-check)",
		pct(s.Margin), s.Confidence*100, s.Resamples, s.Seed)
}

// headline names the gated metrics behind the overall verdict, in one line.
func (s *Signal) headline() string {
	var names []string
	for i := range s.Metrics {
		if m := &s.Metrics[i]; m.Gate && m.Verdict == s.Verdict {
			names = append(names, "`"+m.Name+"` "+m.changeText()+" "+m.ciText())
		}
	}
	switch s.Verdict {
	case Regressed:
		return "Regressed beyond the margin: " + strings.Join(names, ", ") + "."
	case Improved:
		return "Improved beyond the margin: " + strings.Join(names, ", ") + "."
	case Erratic:
		return "Too noisy to decide: " + strings.Join(names, ", ") + ". Add replicates or quiet the machine."
	case Insufficient:
		return "A single replicate on a side cannot decide: give each side 3 or more."
	}
	return ""
}

// mark writes a verdict with its sign for Markdown.
func mark(v Verdict) string {
	switch v {
	case Regressed:
		return "❌ regressed"
	case Improved:
		return "✅ improved"
	case Erratic:
		return "⚠️ erratic"
	case Insufficient:
		return "❔ insufficient replicates"
	}
	return string(v)
}

// arrow shows the direction that is better.
func arrow(d Direction) string {
	if d == HigherIsBetter {
		return "↑"
	}
	return "↓"
}

// info marks an informational metric's verdict.
func info(m *Metric) string {
	if m.Gate {
		return ""
	}
	return " (info)"
}

// verdictText writes a metric's verdict for the text table.
func (m *Metric) verdictText() string {
	v := string(m.Verdict)
	if m.Verdict == Regressed {
		v = "REGRESSED"
	}
	return v + info(m)
}

// meanText writes a side's mean and n: "1.01ms (3)".
func (m *Metric) meanText(s *Side) string {
	return m.value(s.Mean) + " (" + strconv.Itoa(s.N) + ")"
}

// changeText writes the difference of the means, relative when the base mean is not 0.
func (m *Metric) changeText() string {
	if m.DiffRel != nil {
		return signedPct(*m.DiffRel)
	}
	return m.signedValue(m.Diff)
}

// pText writes the Mann-Whitney p-value, or "-".
func (m *Metric) pText() string {
	if m.PValue == nil {
		return "-"
	}
	return strconv.FormatFloat(*m.PValue, 'f', 3, 64)
}

// valuesText lists both sides' replicate values: "base 10, 30, 11; new 12, 29, 10".
func (m *Metric) valuesText() string {
	list := func(vs []float64) string {
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = m.value(v)
		}
		return strings.Join(parts, ", ")
	}
	return "base " + list(m.Base.Values) + "; new " + list(m.New.Values)
}
