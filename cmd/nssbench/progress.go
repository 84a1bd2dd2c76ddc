package main

import (
	"fmt"
	"os"
)

// progressLine prints one progress line on stderr: refreshing in place on a terminal, plain lines
// otherwise (CI logs, files).
func progressLine(e *env, line string) {
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
