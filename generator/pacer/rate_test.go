package pacer

import (
	"errors"
	"testing"
)

// TestParseRate covers the one rate grammar: what the command line's -rate and the scenario files'
// rate strings accepted before they shared it, and what either rejected.
func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		// numbers and units
		{"20000", 20000, true}, {"20000/s", 20000, true}, {"5000", 5000, true}, {" 60/m ", 1, true},
		{"1200/m", 20, true}, {"7200/h", 2, true}, {"60 / m", 1, true}, {"1.5e3/s", 1500, true},
		{"18e6/h", 5000, true}, {"0/s", 0, true}, {"0", 0, true},
		// multipliers
		{"5k/s", 5000, true}, {"5k", 5000, true}, {"1.5M/s", 1.5e6, true}, {"200k/s", 200000, true},
		{"60k/m", 1000, true}, {"3.6M/h", 1000, true},
		// rejected
		{"-1/s", 0, false}, {"-5k/s", 0, false}, {"fast", 0, false}, {"5/d", 0, false}, {"5/", 0, false},
		{"", 0, false}, {"/s", 0, false}, {"k/s", 0, false}, {"5K/s", 0, false}, {"5m/s", 0, false},
		{"5kk/s", 0, false}, {"Inf/s", 0, false}, {"inf", 0, false}, {"NaN", 0, false}, {"1e308k", 0, false},
	} {
		got, err := ParseRate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseRateErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		unit     bool
	}{
		{"fast", `rate "fast": want a non-negative number of events, e.g. "5000/s" or "5k/s"`, false},
		{"5/d", `rate "5/d": unit must be /s, /m or /h`, true},
	} {
		_, err := ParseRate(tc.in)
		if err == nil || err.Error() != tc.want || errors.Is(err, ErrRateUnit) != tc.unit {
			t.Errorf("ParseRate(%q) error %v; want %q (ErrRateUnit: %v)", tc.in, err, tc.want, tc.unit)
		}
	}
}
