package generator_test

import (
	"flag"
	"testing"

	"github.com/nssbench/nssbench/generator"
)

var _ flag.Value = (*generator.ClockFlag)(nil)

// TestClockFlag: the clock given wins; unset, an external target gets wall, anything else virtual.
func TestClockFlag(t *testing.T) {
	for _, tc := range []struct {
		set      string // "": not given
		external bool
		want     generator.Clock
		str      string
	}{
		{"", false, generator.ClockVirtual, ""},
		{"", true, generator.ClockWall, ""},
		{"virtual", true, generator.ClockVirtual, "virtual"},
		{"wall", false, generator.ClockWall, "wall"},
	} {
		var c generator.ClockFlag
		if tc.set != "" {
			if err := c.Set(tc.set); err != nil {
				t.Fatalf("Set(%q): %v", tc.set, err)
			}
		}
		if got := c.Resolve(tc.external); got != tc.want || c.String() != tc.str {
			t.Errorf("-clock %q, external %t: Resolve %v, String %q; want %v, %q", tc.set, tc.external, got, c.String(), tc.want, tc.str)
		}
	}
	var c generator.ClockFlag
	if err := c.Set("utc"); err == nil || err.Error() != `clock "utc": want wall or virtual` || c.Given {
		t.Errorf("Set(utc) = %v, given %t; want the clock error, not given", err, c.Given)
	}
}
