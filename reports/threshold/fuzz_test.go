package threshold

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input either parses into a threshold that prints back as written and evaluates without
// panicking, or fails with a *ParseError whose column lies within the expression (or just past it).
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"p99<5ms",                // duration
		"achieved>=0.99*offered", // scaled metric
		"loss<0.1%",              // ratio
		"achieved>5k/s",          // rate
		"e2e.p99.9 < 20 µs",      // spaces, multi-byte unit
		"p99<<5ms",               // error
		"lost.x_1!=2M",           // free cause
		"delivery.at_risk==0",    // no value: the report has no delivery figures
		"",
	} {
		f.Add(seed)
	}
	rep := evalReport()
	f.Fuzz(func(t *testing.T, expr string) {
		th, err := Parse(expr)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", expr, err)
			}
			if pe.Col < 1 || pe.Col > len(expr)+1 {
				t.Fatalf("Parse(%q) col %d outside [1, %d]", expr, pe.Col, len(expr)+1)
			}
			return
		}
		if th.String() != expr {
			t.Fatalf("String() = %q; want %q", th.String(), expr)
		}
		res := th.Eval(rep)
		if res.Expr != expr || (res.Got == "" && utf8.ValidString(expr)) {
			t.Fatalf("Eval(%q) = %+v", expr, res)
		}
		again, err := Parse(th.String())
		if err != nil || again.Eval(rep) != res {
			t.Fatalf("re-parse of %q: %v", expr, err)
		}
	})
}
