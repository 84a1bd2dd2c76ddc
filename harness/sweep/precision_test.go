package sweep

import (
	"flag"
	"testing"
)

var _ flag.Value = (*Precision)(nil)

// TestPrecision: a fraction in (0, 1) as a percentage or a decimal.
func TestPrecision(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
		ok   bool
	}{{"5%", 0.05, true}, {"0.05", 0.05, true}, {" 2.5% ", 0.025, true}, {"0", 0, false}, {"100%", 0, false}, {"1", 0, false}, {"x%", 0, false}} {
		var p Precision
		err := p.Set(tt.in)
		if (err == nil) != tt.ok || tt.ok && p.Fraction != tt.want {
			t.Errorf("Set(%q) = %v, fraction %g; want ok %v, %g", tt.in, err, p.Fraction, tt.ok, tt.want)
		}
	}
	if got := (&Precision{Fraction: 0.05}).String(); got != "5%" {
		t.Errorf("String() = %q; want 5%%", got)
	}
}
