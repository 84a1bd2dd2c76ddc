package pacer

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// RateFlag is a command-line flag (flag.Value) holding a positive event rate in ParseRate's grammar:
// "20000", "20000/s", "1200/m", "5k/s".
type RateFlag struct{ PerSecond float64 }

// String returns the rate in events per second, e.g. "20000/s"; "" when unset.
func (r *RateFlag) String() string {
	if r.PerSecond == 0 {
		return ""
	}
	return strconv.FormatFloat(r.PerSecond, 'g', -1, 64) + "/s"
}

// Set parses a positive rate; a bad unit is ParseRate's ErrRateUnit error.
func (r *RateFlag) Set(s string) error {
	v, err := ParseRate(s)
	if errors.Is(err, ErrRateUnit) {
		return err
	}
	if err != nil || v <= 0 {
		return fmt.Errorf("rate %q: want a positive number of events, e.g. 20000/s", s)
	}
	r.PerSecond = v
	return nil
}

// RateOrVolume is a rate flag (flag.Value) that may be given as a volume (50GB/day, 2MB/s, see
// ParseVolume): events per second, or bytes per second that Convert turns into events per second
// through a mean event size once the events are known.
type RateOrVolume struct {
	Given          string  // the flag's text
	PerSecond      float64 // events per second (a volume: once converted)
	BytesPerSecond float64 // > 0: given as a volume
}

// String returns the flag's text.
func (r *RateOrVolume) String() string { return r.Given }

// Set parses a volume (ParseVolume) or else a positive event rate (RateFlag).
func (r *RateOrVolume) Set(s string) error {
	bps, isVolume, err := ParseVolume(s)
	switch {
	case err != nil:
		return err
	case isVolume:
		*r = RateOrVolume{Given: s, BytesPerSecond: bps}
		return nil
	}
	var rv RateFlag
	if err := rv.Set(s); err != nil {
		return err
	}
	*r = RateOrVolume{Given: s, PerSecond: rv.PerSecond}
	return nil
}

// IsVolume reports whether the rate was given as a volume.
func (r *RateOrVolume) IsVolume() bool { return r.BytesPerSecond > 0 }

// Convert sets PerSecond of a volume from meanEventSize, the mean size in bytes of an event as the wire
// carries it. A rate given in events is left as it is.
func (r *RateOrVolume) Convert(meanEventSize float64) error {
	if !r.IsVolume() {
		return nil
	}
	if !(meanEventSize > 0) {
		return errors.New("cannot convert a volume: the scenario's events have no size")
	}
	r.PerSecond = r.BytesPerSecond / meanEventSize
	return nil
}

// StartFlag is a command-line flag (flag.Value) holding the wall-clock time of a schedule's t=0
// (-start-at), in RFC 3339, so that the shards of a run share it; empty: none, the zero Time.
type StartFlag struct{ Time time.Time }

// String returns the time in RFC 3339 with nanoseconds; "" when unset.
func (v *StartFlag) String() string {
	if v.Time.IsZero() {
		return ""
	}
	return v.Time.Format(time.RFC3339Nano)
}

// Set parses an RFC 3339 time; "" unsets it.
func (v *StartFlag) Set(s string) error {
	if s == "" {
		v.Time = time.Time{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time %q: want RFC 3339, e.g. 2026-11-25T23:30:00Z", s)
	}
	v.Time = t
	return nil
}
