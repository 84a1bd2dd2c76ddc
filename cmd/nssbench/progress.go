package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// progressMu orders the progress lines, written from the runner's progress goroutine, with the lines
// about the drain and the end, written from the run's own.
var progressMu sync.Mutex

// progressLine prints one progress line on stderr: refreshing in place on a terminal, plain lines
// otherwise (CI logs, files).
func progressLine(e *env, line string) {
	progressMu.Lock()
	defer progressMu.Unlock()
	if isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "\r\033[Knssbench: %s", line)
		return
	}
	fmt.Fprintf(e.stderr, "nssbench: %s\n", line)
}

// endProgress ends a refreshing progress line on a terminal and prints line on a line of its own (none
// when "").
func endProgress(e *env, line string) {
	progressMu.Lock()
	defer progressMu.Unlock()
	if isTerminal(e.stderr) {
		fmt.Fprintln(e.stderr)
	}
	if line != "" {
		fmt.Fprintf(e.stderr, "nssbench: %s\n", line)
	}
}

// drainLine ends the progress lines with the drain's: the records in flight, and the -drain that bounds
// the wait for them.
func drainLine(e *env, inFlight uint64, drain time.Duration) {
	endProgress(e, fmt.Sprintf("draining: %d in flight (up to -drain %v)", inFlight, drain))
}

// doneLine is the last progress line: how long the command took since began.
func doneLine(e *env, began time.Time) {
	endProgress(e, "done in "+time.Since(began).Round(100*time.Millisecond).String())
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
