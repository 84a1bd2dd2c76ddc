package main

import (
	"fmt"
	"os"
	"time"

	"github.com/nssbench/nssbench/harness/progress"
)

// progressLine prints one progress update on stderr: a line that refreshes in place on a terminal, plain
// lines otherwise (CI logs, files).
func progressLine(e *env, total time.Duration, p progress.Snapshot) {
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Verdicts) / s
	}
	of := ""
	if total > 0 {
		of = "/" + total.Round(time.Second).String()
	}
	// due − sent is the sender's backlog: records the schedule wanted out that are not written yet, as
	// when the collector stops reading.
	line := fmt.Sprintf("%s%s  due %d  sent %d  backlog %d  achieved %.0f/s  verdicts %d  behind %d  e2e p99 (so far) %v",
		p.Elapsed.Round(time.Second), of, p.Due, p.Sent, p.Due-min(p.Sent, p.Due), rate, p.Verdicts, p.Behind, p.P99.Round(time.Microsecond))
	if isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "\r\033[Knssbench: %s", line)
		return
	}
	fmt.Fprintf(e.stderr, "nssbench: %s\n", line)
}

// endProgress ends a refreshing progress line on a terminal and prints line on a line of its own (none
// when "").
func endProgress(e *env, line string) {
	if isTerminal(e.stderr) {
		fmt.Fprintln(e.stderr)
	}
	if line != "" {
		fmt.Fprintf(e.stderr, "nssbench: %s\n", line)
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
