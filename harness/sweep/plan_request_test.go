package sweep

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/scenarios"
)

var _ flag.Value = (*Headroom)(nil)

// TestNewPlanRequest: a flat pacer plans for the rate as given, a day profile for its peak hour, and
// the conversions are put in words.
func TestNewPlanRequest(t *testing.T) {
	day := pacer.Spec{Shape: "day", Rate: 1000, Hourly: []float64{1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1}, Weekend: 1}
	for _, tc := range []struct {
		name       string
		conversion string
		spec       pacer.Spec
		rate       float64
		words      []string
	}{
		{"constant", "", pacer.Spec{Shape: "constant", Rate: 5}, 5000, nil},
		{"volume", "50GB/day = …", pacer.Spec{Shape: "constant", Rate: 5}, 5000, []string{"50GB/day = …"}},
		{"day", "50GB/day = …", day, 5000.0 * 2 * 24 / 33, []string{"50GB/day = …; 5000.0/s mean × 1.455 peak/mean (scenario s's day profile) = 7272.7/s at peak"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := NewPlanRequest("asked", 5000, 0.3, tc.conversion, tc.spec, "s")
			if err != nil {
				t.Fatal(err)
			}
			if d := req.Rate - tc.rate; d > 1e-6 || d < -1e-6 || req.Asked != "asked" || req.Headroom != 0.3 || req.Conversion != strings.Join(tc.words, "; ") {
				t.Errorf("request %+v; want rate %g, conversion %q", req, tc.rate, strings.Join(tc.words, "; "))
			}
		})
	}
	if _, err := NewPlanRequest("x", 1, 0, "", pacer.Spec{Shape: "day", Rate: 1, Hourly: []float64{1}}, "bad"); err == nil || !strings.HasPrefix(err.Error(), "scenario bad: ") {
		t.Errorf("a bad day profile: %v", err)
	}
}

// TestHeadroomAndProgress: -headroom reads a share; a step's progress line has its figures.
func TestHeadroomAndProgress(t *testing.T) {
	var h Headroom
	if err := h.Set("30%"); err != nil || h.Fraction != 0.3 || h.String() != "30%" {
		t.Errorf("Set(30%%): %v, %+v, %q", err, h, h.String())
	}
	if err := h.Set("100%"); err == nil || !strings.Contains(err.Error(), `headroom "100%"`) || h.Fraction != 0.3 {
		t.Errorf("Set(100%%): %v, %+v", err, h)
	}
	st := Step{N: 3, Phase: PhaseGrow, Rate: 4000, Achieved: 3998, P99: 1200 * time.Microsecond, Lost: 2, Behind: 1, Pass: true, Tries: 1}
	want := "step 3 (" + PhaseGrow.String() + ") 4000/s: achieved " + st.FormatAchieved() + ", p99 " + FormatLatency(st.P99) + ", send p99 -, lost 2, behind 1: " + st.Summary()
	if got := st.Progress(); got != want {
		t.Errorf("Progress() = %q; want %q", got, want)
	}
}

// TestPlanFor: a rate in events is planned as given; a volume is converted through the scenario's
// mean event size, the conversion in words.
func TestPlanFor(t *testing.T) {
	scn, err := scenarios.Builtin("default")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		asked  string
		volume bool
	}{{"5000/s", false}, {"2MB/s", true}} {
		var rate pacer.RateOrVolume
		if err := rate.Set(tc.asked); err != nil {
			t.Fatal(err)
		}
		req, err := PlanFor(scn, gen, &rate, 0.3)
		if err != nil {
			t.Fatalf("%s: %v", tc.asked, err)
		}
		if req.Asked != tc.asked || req.Rate != rate.PerSecond || req.Rate <= 0 || req.Headroom != 0.3 ||
			strings.HasPrefix(req.Conversion, tc.asked+" = ") != tc.volume {
			t.Errorf("%s: request %+v; want the rate %g, a conversion %t", tc.asked, req, rate.PerSecond, tc.volume)
		}
	}
}
