package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// printMu orders the lines of every Printer: a run's progress lines come from the runner's progress
// goroutine (Start), the lines about its drain and its end from the run's own.
var printMu sync.Mutex

// Printer prints progress lines on W, each after Prefix ("nssbench: "): on a terminal one line
// refreshed in place, elsewhere (CI logs, files) plain lines. Its methods may be called concurrently.
type Printer struct {
	W      io.Writer
	Prefix string
}

// Line prints one progress line.
func (p Printer) Line(line string) {
	printMu.Lock()
	defer printMu.Unlock()
	if isTerminal(p.W) {
		fmt.Fprintf(p.W, "\r\033[K%s%s", p.Prefix, line)
		return
	}
	fmt.Fprintf(p.W, "%s%s\n", p.Prefix, line)
}

// End ends a refreshing progress line on a terminal and prints line on a line of its own (none when
// "").
func (p Printer) End(line string) {
	printMu.Lock()
	defer printMu.Unlock()
	if isTerminal(p.W) {
		fmt.Fprintln(p.W)
	}
	if line != "" {
		fmt.Fprintf(p.W, "%s%s\n", p.Prefix, line)
	}
}

// Drain ends the progress lines with the drain's: the records in flight, and the -drain that bounds
// the wait for them.
func (p Printer) Drain(inFlight uint64, drain time.Duration) {
	p.End(fmt.Sprintf("draining: %d in flight (up to -drain %v)", inFlight, drain))
}

// Done ends the progress lines with the last: how long the command took since began.
func (p Printer) Done(began time.Time) {
	p.End("done in " + time.Since(began).Round(100*time.Millisecond).String())
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
