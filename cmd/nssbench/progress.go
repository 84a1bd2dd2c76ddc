package main

import (
	"fmt"
	"os"
	"sync"
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

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
