package sweep

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/reports"
)

// DefaultHeadroom is the share of a collector's sustainable rate a plan keeps free (sweep -headroom).
const DefaultHeadroom = 0.3

// PlanRequest asks a sweep for a sizing plan: how many collectors like the one swept carry Rate.
type PlanRequest struct {
	Rate       float64 `json:"rate"`       // events per second to carry at peak; 0: no plan
	Asked      string  `json:"asked"`      // the rate as the user gave it, e.g. "50GB/day"; "" when it was Rate itself
	Conversion string  `json:"conversion"` // how Asked became Rate, in words; "" for none
	// Headroom is the share of each collector's sustainable rate the plan leaves free, in [0, 1).
	Headroom float64 `json:"headroom"`
}

func (p PlanRequest) validate() error {
	switch {
	case p.Rate < 0 || math.IsNaN(p.Rate) || math.IsInf(p.Rate, 0):
		return fmt.Errorf("plan rate %g must be a positive number of events per second", p.Rate)
	case !(p.Headroom >= 0 && p.Headroom < 1):
		return fmt.Errorf("headroom %g must be in [0, 1), e.g. 0.3 for 30%%", p.Headroom)
	}
	return nil
}

// Plan answers "how many collectors like this one, of what size" for a rate at peak, from the sweep's
// highest sustainable rate and what the collector cost at it. Each collector is planned for at most
// PerCollector = Sustainable·(1 − Headroom), so Collectors = ⌈Rate / PerCollector⌉ and each carries
// Load = Rate / Collectors. Its CPU is the sustainable step's, scaled by Load/Sustainable (CPU grows with
// the event rate; the p99 of the step's one-second windows, the conservative figure); its memory is the
// most the step's process tree held (memory does not shrink with the rate as CPU does).
type Plan struct {
	PlanRequest
	Sustainable float64 `json:"sustainable"` // the sweep's Best
	// LowerBound is set when Sustainable is only a lower bound of the capacity (the max rate passed,
	// the steps ran out, or the load generator could not offer more): the plan then over-provisions.
	LowerBound   bool    `json:"lowerBound"`
	PerCollector float64 `json:"perCollector"` // the most each collector is planned for: Sustainable·(1−Headroom)
	Collectors   int     `json:"collectors"`   // 0 when no rate was sustained
	Load         float64 `json:"load"`         // each collector's share: Rate / Collectors
	// Measured is set when the sustainable step sampled the collector's process (the run measured its target: run.Config.Probe, -target-pid); the
	// CPU and RSS figures are 0 otherwise.
	Measured bool    `json:"measured"`
	CPU      float64 `json:"cpu"`      // cores each collector uses at Load (the step's p99 scaled)
	RSS      uint64  `json:"rssBytes"` // the most the collector held at the sustainable step
	// At is the sustainable step's measured cost; nil when not measured.
	At   *reports.TargetUsage `json:"at,omitempty"`
	Note string               `json:"note"` // why there is no plan, or what it rests on
}

// NewPlan computes the plan req asks for from the sweep's result (see Plan).
func NewPlan(r *Result, req PlanRequest) *Plan {
	p := &Plan{PlanRequest: req, Sustainable: r.Best}
	if r.Best <= 0 || req.Rate <= 0 {
		p.Note = "no sustainable rate was found, so there is no plan"
		return p
	}
	p.LowerBound = r.Stop != StopConverged
	p.PerCollector = r.Best * (1 - req.Headroom)
	p.Collectors = max(1, int(math.Ceil(req.Rate/p.PerCollector-1e-9)))
	p.Load = req.Rate / float64(p.Collectors)
	if st := r.bestStep(); st != nil && st.Target != nil && st.Target.Samples > 1 {
		p.Measured, p.At = true, st.Target
		p.CPU = st.Target.CPU.P99 * p.Load / r.Best
		p.RSS = st.Target.RSSMax
	}
	switch {
	case !p.Measured:
		p.Note = "the collector's CPU and memory were not sampled: give -target-pid"
	case p.LowerBound:
		p.Note = "the sustainable rate is a lower bound (" + r.Stop.String() + "), so the plan may over-provision"
	}
	return p
}

// bestStep returns the last passing step at the sweep's Best rate; nil when none passed.
func (r *Result) bestStep() *Step {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if st := &r.Steps[i]; st.Pass && st.Rate == r.Best {
			return st
		}
	}
	return nil
}

// Sentence is the plan in one line: "3 collectors like this one, each at ≤ 42% CPU and ≤ 120.0 MiB,
// for 1607/s at peak, with 30% headroom".
func (p *Plan) Sentence() string {
	if p.Collectors == 0 {
		return p.Note
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d collector", p.Collectors)
	if p.Collectors > 1 {
		b.WriteString("s")
	}
	b.WriteString(" like this one")
	if p.Measured {
		fmt.Fprintf(&b, ", each at ≤ %s CPU and ≤ %s", FormatPercent(p.CPU), FormatMiB(p.RSS))
	}
	fmt.Fprintf(&b, ", for %s at peak, with %s headroom", rateString(roundRate(p.Rate)), FormatPercent(p.Headroom))
	return b.String()
}

// Details are the figures behind the sentence, one per line.
func (p *Plan) Details() []string {
	if p.Collectors == 0 {
		return nil
	}
	var out []string
	if p.Conversion != "" {
		out = append(out, "rate: "+p.Conversion)
	}
	out = append(out, fmt.Sprintf("each collector carries %s, within its budget of %s (%s sustained less %s headroom)",
		rateString(roundRate(p.Load)), rateString(roundRate(p.PerCollector)), rateString(p.Sustainable), FormatPercent(p.Headroom)))
	if p.Measured {
		out = append(out, fmt.Sprintf("CPU: %s cores p99 at %s, scaled to %s; memory: the most RSS seen at %s",
			strconv.FormatFloat(p.At.CPU.P99, 'f', 2, 64), rateString(p.Sustainable), rateString(roundRate(p.Load)), rateString(p.Sustainable)))
	}
	if p.Note != "" {
		out = append(out, "note: "+p.Note)
	}
	return out
}

// FormatPercent formats a fraction (or a number of cores) as a percentage: 0.42 → "42%", 1.5 → "150%".
func FormatPercent(f float64) string {
	if f < 0.1 {
		return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(f*100, 'f', 0, 64) + "%"
}

// FormatMiB formats a byte count in MiB, e.g. "120.0 MiB".
func FormatMiB(b uint64) string {
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB"
}

// roundRate rounds a rate to a tenth, for sentences.
func roundRate(r float64) float64 { return math.Round(r*10) / 10 }

// Cost describes what the collector cost at the sustainable rate, e.g. "collector cost at 9250/s: CPU
// 0.82 cores mean (p99 0.95, max 1.01), RSS 48.0 MiB max (pid 1234, syslog-ng)"; "" when it was not
// sampled or no step passed.
func (r *Result) Cost() string {
	st := r.bestStep()
	if st == nil || st.Target == nil {
		return ""
	}
	u := st.Target
	s := fmt.Sprintf("collector cost at %s: CPU %s cores mean (p99 %s, max %s), RSS %s max (pid %d, %s)",
		rateString(r.Best), cores(u.CPU.Mean), cores(u.CPU.P99), cores(u.CPU.Max), FormatMiB(u.RSSMax), u.PID, u.Command)
	if u.Self {
		s += "; nssbench's own process: the generator and sender are included"
	}
	if u.Note != "" {
		s += "; " + u.Note
	}
	return s
}

func cores(c float64) string { return strconv.FormatFloat(c, 'f', 2, 64) }

// errNoPlan is returned by ParseHeadroom for a bad value.
var errNoPlan = errors.New("want a share in [0%, 100%), e.g. 30% or 0.3")

// ParseHeadroom parses a headroom written "30%" or "0.3".
func ParseHeadroom(s string) (float64, error) {
	v, err := parseShare(s)
	if err != nil || !(v >= 0 && v < 1) {
		return 0, fmt.Errorf("headroom %q: %w", s, errNoPlan)
	}
	return v, nil
}
