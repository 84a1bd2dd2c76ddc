package sweep

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// writeText renders r for Text (see there).
func writeText(w io.Writer, r *Result) error {
	// Render into memory, where writes cannot fail, then write once and report that write's error.
	var b strings.Builder
	textHeader(&b, r)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	sampled := r.sampled()
	fmt.Fprint(tw, "step\tphase\trate\tachieved\tp50\tp99\tsend p99\tlost\tbehind\t")
	if sampled {
		fmt.Fprint(tw, "cpu\trss\t")
	}
	fmt.Fprint(tw, "result\n")
	for i := range r.Steps {
		st := &r.Steps[i]
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t", st.N, st.Phase, rateString(st.Rate),
			st.FormatAchieved(), FormatLatency(st.P50), FormatLatency(st.P99), FormatLatency(st.SendP99),
			st.Lost, st.Behind)
		if sampled {
			cpu, rss := st.FormatCost()
			fmt.Fprintf(tw, "%s\t%s\t", cpu, rss)
		}
		fmt.Fprintf(tw, "%s\n", st.Summary())
	}
	tw.Flush() // cannot fail: it writes to a strings.Builder
	b.WriteString("\n")
	explained := false
	for i := range r.Steps {
		if why := r.Steps[i].why(); why != "" {
			fmt.Fprintf(&b, "step %d %s: %s\n", r.Steps[i].N, r.Steps[i].Verdict(), why)
			explained = true
		}
	}
	if explained {
		b.WriteString("\n")
	}
	b.WriteString(r.Conclusion())
	b.WriteString("\n")
	if r.Peak > 0 {
		fmt.Fprintf(&b, "peak achieved rate: %s (the highest of any step)\n", reports.FormatRate(r.Peak))
	}
	if c := r.Cost(); c != "" {
		b.WriteString(c + "\n")
	}
	for _, c := range r.Caveats() {
		b.WriteString("caution: " + c + "\n")
	}
	if p := r.Plan; p != nil {
		b.WriteString("\nplan: " + p.Sentence() + "\n")
		for _, d := range p.Details() {
			b.WriteString("  " + d + "\n")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("render sweep text: %w", err)
	}
	return nil
}

func textHeader(w *strings.Builder, r *Result) {
	m := &r.Meta
	fmt.Fprint(w, "nssbench sweep")
	if m.Scenario != "" {
		fmt.Fprintf(w, ": scenario %s", strconv.Quote(m.Scenario))
	}
	if m.Target != "" {
		fmt.Fprintf(w, " against %s", m.Target)
	}
	if m.Connections > 0 {
		fmt.Fprintf(w, ", %d connection(s)", m.Connections)
	}
	fmt.Fprintf(w, "\n  %s\n", r.Settings)
	fmt.Fprintf(w, "  started %s, took %s", m.Started.UTC().Format(time.RFC3339), reports.FormatDuration(m.Duration))
	if m.Version != "" || m.Machine != "" {
		fmt.Fprintf(w, "; nssbench %s, %s, %s", m.Version, m.GoVersion, m.Machine)
	}
	if m.Clock != "" {
		fmt.Fprintf(w, "; clock %s", m.Clock)
	}
	fmt.Fprint(w, "\n\n")
}

// FormatLatency formats a step's latency as reports do, or "-" when it was not measured (no samples).
func FormatLatency(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return reports.FormatDuration(d)
}

// FormatAchieved formats the step's achieved rate as reports do, or "-" when it saw no verdicts at all
// (an external run without a sink observes none).
func (s *Step) FormatAchieved() string {
	if s.Achieved == 0 && s.P99 == 0 {
		return "-"
	}
	return reports.FormatRate(s.Achieved)
}

// Summary is the step's verdict and, for a failure, the thresholds that failed, with the tries when more
// than one: "pass", "FAIL p99<50ms, lost==0", "pass (2 tries)".
func (s *Step) Summary() string {
	v := s.Verdict()
	switch {
	case s.Inconclusive && s.SenderBound:
		v += " (sender-bound)"
	case s.Inconclusive:
		v += " (overrun)"
	case !s.Pass && !s.Interrupted:
		for i, t := range s.Failed() {
			if i == 0 {
				v += " " + t.Expr
			} else {
				v += ", " + t.Expr
			}
		}
	}
	return v + s.triesNote()
}

// triesNote is " (2 tries)" for a step that ran more than once, else "".
func (s *Step) triesNote() string {
	if s.Tries > 1 {
		return " (" + strconv.Itoa(s.Tries) + " tries)"
	}
	return ""
}

// why explains a step that did not pass: the failed thresholds with what they got, or why it was not judged.
func (s *Step) why() string {
	var parts []string
	switch {
	case s.Interrupted:
		return "stopped by an interrupt, not judged"
	case s.Inconclusive && s.SenderBound:
		return fmt.Sprintf("the load generator fell behind (%d events late, %d never sent, send p99 %s) "+
			"while the collector kept up (wire p99 %s): not a failure of the collector",
			s.Behind, s.Backlog, FormatLatency(s.SendP99), FormatLatency(s.WireP99))
	case s.Inconclusive:
		return "cut short at the step timeout (the schedule could not be sent in time) without the collector " +
			"seen pushing back: not a failure of the collector"
	case s.Overrun:
		parts = append(parts, "cut short at the step timeout: the schedule could not be sent in time, the collector pushing back")
	case s.Pass:
		return ""
	}
	for _, t := range s.Failed() {
		parts = append(parts, fmt.Sprintf("%s (got %s, want %s)", t.Expr, t.Got, t.Want))
	}
	return strings.Join(parts, "; ")
}

// Conclusion states in one sentence what the sweep found, for the last line of a report.
func (r *Result) Conclusion() string {
	n := len(r.Steps)
	bracket := ""
	if r.Knee > 0 {
		bracket = fmt.Sprintf(" (the knee lies between %s and %s)", rateString(r.Best), rateString(r.Knee))
	}
	switch r.Stop {
	case StopConverged:
		return fmt.Sprintf("highest sustainable rate: %s — the knee lies between %s and %s, within %s, after %d steps",
			rateString(r.Best), rateString(r.Best), rateString(r.Knee), reports.FormatRatio(r.Settings.Precision), n)
	case StopMaxRate:
		return fmt.Sprintf("highest sustainable rate: at least %s — the max rate passed, so the capacity is higher (raise the max rate to look further)",
			rateString(r.Best))
	case StopMinRate:
		if r.Knee == 0 {
			return fmt.Sprintf("no sustainable rate found: every step down to %s was inconclusive (the load generator could not keep to the schedule)", rateString(r.Ceiling))
		}
		return fmt.Sprintf("no sustainable rate found: every step down to %s failed the SLO", rateString(min(r.Knee, r.upper())))
	case StopInconclusive:
		return fmt.Sprintf("highest sustainable rate: at least %s — inconclusive above: the load generator could not offer %s, so the collector's knee was not measured (after %d steps)",
			rateString(r.Best), rateString(r.Ceiling), n)
	case StopMaxSteps:
		if r.Best == 0 {
			return fmt.Sprintf("no sustainable rate found in %d steps%s", n, bracket)
		}
		return fmt.Sprintf("highest sustainable rate: %s, not converged after %d steps%s", rateString(r.Best), n, bracket)
	}
	how := "interrupted"
	if r.Stop == StopError {
		how = "stopped by an error"
	}
	if r.Best == 0 {
		return fmt.Sprintf("%s after %d steps: no step passed yet%s", how, n, bracket)
	}
	return fmt.Sprintf("%s after %d steps: highest passing rate so far %s%s", how, n, rateString(r.Best), bracket)
}

// upper is the lowest rate that did not pass: the knee or the ceiling.
func (r *Result) upper() float64 {
	if r.Ceiling > 0 && (r.Knee == 0 || r.Ceiling < r.Knee) {
		return r.Ceiling
	}
	return r.Knee
}

// sampled reports whether any step sampled the collector's process.
func (r *Result) sampled() bool {
	for i := range r.Steps {
		if r.Steps[i].Target != nil {
			return true
		}
	}
	return false
}

// FormatCost formats the step's target CPU (mean cores) and RSS (max), or "-" for what was not sampled.
func (s *Step) FormatCost() (cpu, rss string) {
	if s.Target == nil || s.Target.Samples < 2 {
		return "-", "-"
	}
	return cores(s.Target.CPU.Mean), FormatMiB(s.Target.RSSMax)
}

// Caveats say what the answer rests on when it is not a clean measurement: the steps that decide it
// (the sustainable rate's, the knee's, the ceiling's) that were noisy, with the spread of their tries,
// and the steps that were inconclusive. None for a clean sweep.
func (r *Result) Caveats() []string {
	var out []string
	deciding := map[float64]bool{}
	for i := len(r.Steps) - 1; i >= 0; i-- {
		st := &r.Steps[i]
		if st.Rate == r.Best || st.Rate == r.Knee || st.Rate == r.Ceiling {
			if !deciding[st.Rate] && st.Noisy() {
				out = append(out, fmt.Sprintf("the answer rests on a noisy step: step %d at %s, %s; rerun with longer -step-duration, more -retries or on a quieter machine",
					st.N, rateString(st.Rate), st.Spread()))
			}
			deciding[st.Rate] = true
		}
	}
	var inc []string
	for i := range r.Steps {
		if r.Steps[i].Inconclusive {
			inc = append(inc, strconv.Itoa(r.Steps[i].N))
		}
	}
	if len(inc) > 0 {
		word := "step " + inc[0] + " was"
		if len(inc) > 1 {
			word = "steps " + strings.Join(inc, ", ") + " were"
		}
		out = append(out, fmt.Sprintf("%s inconclusive: the load generator, not the collector, was measured there; "+
			"for the collector's limit run the load from more machines (-shard) or give the generator more CPU", word))
	}
	return out
}
