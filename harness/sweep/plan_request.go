package sweep

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/scenarios"
)

// PlanFor is NewPlanRequest for scn's traffic: rate as the command line gave it, a volume converted
// through the mean size of gen's events (gen being scn's generator) framed as scn's
// (Scenario.ConvertVolume), keeping headroom free.
func PlanFor(scn *scenarios.Scenario, gen *generator.Generator, rate *pacer.RateOrVolume, headroom float64) (PlanRequest, error) {
	conversion, err := scn.ConvertVolume(rate, gen, scn.Framing)
	if err != nil {
		return PlanRequest{}, err
	}
	return NewPlanRequest(rate.Given, rate.PerSecond, headroom, conversion, scn.Pacer, scn.Name)
}

// NewPlanRequest returns the request to plan for asked, the rate as the command line gave it (-plan),
// at perSecond events per second on average, keeping headroom free. conversion says how a volume
// became perSecond ("" when asked was a rate in events). A scenario (named scenario) whose pacer spec
// is a day profile is planned for its peak hour: perSecond × the profile's peak-to-mean ratio.
func NewPlanRequest(asked string, perSecond, headroom float64, conversion string, spec pacer.Spec, scenario string) (PlanRequest, error) {
	req := PlanRequest{Asked: asked, Rate: perSecond, Headroom: headroom}
	var words []string
	if conversion != "" {
		words = append(words, conversion)
	}
	if spec.Shape == "day" {
		spec.Period, spec.RealTime = 0, true // the profile's shape, whatever the day's length
		p, err := spec.New(pacer.Limit{})
		if err != nil {
			return req, fmt.Errorf("scenario %s: %w", scenario, err)
		}
		ratio := p.(*pacer.Day).PeakToMean()
		req.Rate *= ratio
		words = append(words, fmt.Sprintf("%s mean × %s peak/mean (scenario %s's day profile) = %s at peak",
			strconv.FormatFloat(perSecond, 'f', 1, 64)+"/s", strconv.FormatFloat(ratio, 'f', 3, 64), scenario,
			strconv.FormatFloat(req.Rate, 'f', 1, 64)+"/s"))
	}
	req.Conversion = strings.Join(words, "; ")
	return req, nil
}

// Headroom is a command line's -headroom flag (flag.Value): a share written "30%" or "0.3"
// (ParseHeadroom).
type Headroom struct{ Fraction float64 }

// String returns the share as a percentage, e.g. "30%".
func (h *Headroom) String() string { return strconv.FormatFloat(h.Fraction*100, 'g', -1, 64) + "%" }

// Set parses "30%" or "0.3".
func (h *Headroom) Set(s string) error {
	v, err := ParseHeadroom(s)
	if err != nil {
		return err
	}
	h.Fraction = v
	return nil
}

// Progress returns the one-line account of a finished step that a sweep prints as it goes, e.g.
// "step 3 (grow) 4000/s: achieved 3998/s, p99 1.2ms, send p99 80µs, lost 0, behind 0: ok".
func (s *Step) Progress() string {
	return fmt.Sprintf("step %d (%s) %s: achieved %s, p99 %s, send p99 %s, lost %d, behind %d: %s",
		s.N, s.Phase, strconv.FormatFloat(s.Rate, 'f', -1, 64)+"/s", s.FormatAchieved(),
		FormatLatency(s.P99), FormatLatency(s.SendP99), s.Lost, s.Behind, s.Summary())
}
