package generator

// ClockFlag is a command line's -clock flag (flag.Value): a Clock by name, remembering whether it was
// given so that the command's default applies otherwise (Resolve).
type ClockFlag struct {
	Clock Clock // the clock given
	Given bool  // whether Set was called
}

// String returns the clock given, or "" when none was.
func (c *ClockFlag) String() string {
	if !c.Given {
		return ""
	}
	return c.Clock.String()
}

// Set parses "wall" or "virtual" (ParseClock).
func (c *ClockFlag) Set(s string) error {
	v, err := ParseClock(s)
	if err != nil {
		return err
	}
	c.Clock, c.Given = v, true
	return nil
}

// Resolve returns the clock given, else the default: ClockWall for records sent to an external target
// (a SIEM must not see two-year-old events), ClockVirtual otherwise.
func (c *ClockFlag) Resolve(external bool) Clock {
	switch {
	case c.Given:
		return c.Clock
	case external:
		return ClockWall
	}
	return ClockVirtual
}
