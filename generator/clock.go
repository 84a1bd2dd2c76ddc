package generator

import "fmt"

// Clock says where a record's time comes from.
type Clock uint8

// The clocks. ClockVirtual is the zero value.
const (
	// ClockVirtual stamps event seq at Config.Start + seq/EventsPerSecond: deterministic, the same bytes
	// on every run (Append).
	ClockVirtual Clock = iota
	// ClockWall stamps each record with the wall-clock time it is scheduled to be sent at (AppendAt), so
	// that a collector or SIEM sees current events.
	ClockWall
)

// String returns "virtual" or "wall".
func (c Clock) String() string {
	switch c {
	case ClockVirtual:
		return "virtual"
	case ClockWall:
		return "wall"
	}
	return fmt.Sprintf("clock(%d)", uint8(c))
}

// ParseClock parses "virtual" or "wall".
func ParseClock(s string) (Clock, error) {
	switch s {
	case "virtual":
		return ClockVirtual, nil
	case "wall":
		return ClockWall, nil
	}
	return 0, fmt.Errorf("clock %q: want wall or virtual", s)
}
