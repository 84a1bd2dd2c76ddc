package probe

import (
	"fmt"
	"strings"
)

// Series is a command line's repeatable -target-series flag (flag.Value): the series names given, in
// order.
type Series []string

// String lists the names, comma-separated.
func (l *Series) String() string { return strings.Join(*l, ", ") }

// Set adds a name; a blank one is refused.
func (l *Series) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty series name")
	}
	*l = append(*l, s)
	return nil
}

// Resolve checks t as a command line gives it (-target-pid, -target-metrics, -target-series; errors
// name those flags) before anything runs, and returns it with Self set when no pid is given and self
// (the embedded collector samples nssbench's own process). A pid that does not exist is an error
// wrapping ErrNoProcess.
func (t Target) Resolve(self bool) (Target, error) {
	switch {
	case t.PID < 0:
		return t, fmt.Errorf("-target-pid %d: want a process id", t.PID)
	case t.PID > 0:
		if err := Check(t.PID); err != nil {
			return t, fmt.Errorf("-target-pid: %w", err)
		}
	default:
		t.Self = self
	}
	if len(t.Series) > 0 && t.Metrics == "" {
		return t, fmt.Errorf("-target-series needs -target-metrics")
	}
	return t, nil
}
