package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Precision is a command line's -precision flag (flag.Value): Config.Precision, a fraction in (0, 1)
// written "5%" or "0.05".
type Precision struct{ Fraction float64 }

// String writes the fraction as a percentage, e.g. "5%".
func (p *Precision) String() string { return strconv.FormatFloat(p.Fraction*100, 'g', -1, 64) + "%" }

// Set parses "5%" or "0.05".
func (p *Precision) Set(s string) error {
	v, err := parseShare(s)
	if err != nil || !(v > 0 && v < 1) {
		return fmt.Errorf("precision %q: want a fraction between 0 and 1, as 5%% or 0.05", s)
	}
	p.Fraction = v
	return nil
}

// parseShare parses a share written as a percentage ("30%") or a fraction ("0.3"), spaces around
// either part ignored; the caller checks its range.
func parseShare(s string) (float64, error) {
	num, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if pct {
		v /= 100
	}
	return v, err
}
