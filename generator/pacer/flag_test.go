package pacer

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

var (
	_ flag.Value = (*RateFlag)(nil)
	_ flag.Value = (*RateOrVolume)(nil)
	_ flag.Value = (*StartFlag)(nil)
)

// TestRateFlag: a positive rate in the one grammar; zero, negative and junk are refused with an
// example, a bad unit with ErrRateUnit.
func TestRateFlag(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want: the String after Set, or the error's text
		unit     bool
	}{
		{"5k/s", "5000/s", false}, {"1200/m", "20/s", false}, {"20000", "20000/s", false},
		{"0", `rate "0": want a positive number of events, e.g. 20000/s`, false},
		{"fast", `rate "fast": want a positive number of events, e.g. 20000/s`, false},
		{"5/d", `rate "5/d": unit must be /s, /m or /h`, true},
	} {
		var r RateFlag
		err := r.Set(tc.in)
		got := r.String()
		if err != nil {
			got = err.Error()
		}
		if got != tc.want || errors.Is(err, ErrRateUnit) != tc.unit {
			t.Errorf("Set(%q): %q (%v); want %q, unit error %t", tc.in, got, err, tc.want, tc.unit)
		}
	}
}

// TestRateOrVolume: a volume waits for a mean event size; a rate in events is one at once.
func TestRateOrVolume(t *testing.T) {
	for _, tc := range []struct {
		in        string
		mean      float64
		perSecond float64
		err       string
	}{
		{"2MB/s", 500, 4000, ""},
		{"86.4GB/day", 1000, 1000, ""},
		{"5k/s", 500, 5000, ""},
		{"2MB/s", 0, 0, "the scenario's events have no size"},
		{"-1GB/day", 0, 0, "want a positive amount"},
		{"50GB/week", 0, 0, "want a unit of time"},
		{"lots", 0, 0, `rate "lots"`},
	} {
		var r RateOrVolume
		err := r.Set(tc.in)
		if err == nil {
			if r.String() != tc.in || r.IsVolume() != strings.Contains(tc.in, "B/") {
				t.Errorf("Set(%q): String %q, volume %t", tc.in, r.String(), r.IsVolume())
			}
			err = r.Convert(tc.mean)
		}
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q through %g: %v; want an error with %q", tc.in, tc.mean, err, tc.err)
		case tc.err == "" && (err != nil || r.PerSecond != tc.perSecond):
			t.Errorf("%q through %g: %g/s, %v; want %g/s", tc.in, tc.mean, r.PerSecond, err, tc.perSecond)
		}
	}
}

// TestStartFlag: an RFC 3339 time, nanoseconds kept; empty unsets it; anything else is refused with an
// example.
func TestStartFlag(t *testing.T) {
	var v StartFlag
	if err := v.Set("2026-11-25T23:30:00.5Z"); err != nil || v.String() != "2026-11-25T23:30:00.5Z" {
		t.Errorf("Set(2026-11-25T23:30:00.5Z) = %v, String %q", err, v.String())
	}
	if err := v.Set(""); err != nil || !v.Time.IsZero() || v.String() != "" {
		t.Errorf("Set(\"\") = %v, %v; want unset", err, v.Time)
	}
	if err := v.Set("tomorrow"); err == nil || err.Error() != `time "tomorrow": want RFC 3339, e.g. 2026-11-25T23:30:00Z` {
		t.Errorf("Set(tomorrow) = %v", err)
	}
}
