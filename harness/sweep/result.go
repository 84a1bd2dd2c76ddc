package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// Schema identifies the sweep.json format; Decode rejects any other.
const Schema = "nssbench.sweep/v1"

// Result is what a sweep found: every step in the order it ran, and the bracket around the knee.
// Rates are events per second. Slices are never nil, so a result survives a JSON round trip unchanged.
type Result struct {
	Schema   string       `json:"schema"`   // always Schema
	Meta     reports.Meta `json:"meta"`     // Config.Meta, with Started, Duration (the whole sweep) and Interrupted
	Settings Settings     `json:"settings"` // the configuration, defaults applied
	Steps    []Step       `json:"steps"`
	// Best is the highest offered rate that passed the SLO: the highest sustainable rate found. 0 when no
	// step passed.
	Best float64 `json:"best"`
	// Knee is the lowest offered rate that failed the SLO; the capacity lies in [Best, Knee). 0 when no
	// step failed (the sweep reached MaxRate, or ran out of steps while growing).
	Knee float64 `json:"knee"`
	// Peak is the highest achieved rate of any step, passing or not. When the load generator does not
	// compete with the collector for CPU, an overloaded step achieves the collector's saturated throughput;
	// where both share a small machine, overload starves the collector and the peak is a passing step's.
	Peak float64 `json:"peak"`
	Stop Stop    `json:"stop"` // why the sweep ended
}

// Converged reports whether the sweep narrowed the knee to within its precision.
func (r *Result) Converged() bool { return r.Stop == StopConverged }

// Step is one run of a sweep at one offered rate, and its judgement.
type Step struct {
	N        int           `json:"n"`        // 1-based, in the order the steps ran
	Phase    Phase         `json:"phase"`    // which part of the search chose the rate
	Rate     float64       `json:"rate"`     // the offered rate asked of the step (the pacer's rate)
	Elapsed  time.Duration `json:"elapsed"`  // the step's run, until its last verdict; nanoseconds in JSON
	Offered  uint64        `json:"offered"`  // events offered (generated)
	Achieved float64       `json:"achieved"` // verdicts per second over Elapsed
	P50      time.Duration `json:"p50"`      // end-to-end latency; 0 without verdicts
	P99      time.Duration `json:"p99"`
	// SendP99 is the sender's lag behind the schedule (scheduled → written), which a collector that does
	// not keep up raises through TCP backpressure; the only latency of an external run without a sink.
	SendP99 time.Duration `json:"sendP99"`
	Lost    uint64        `json:"lost"`   // events without a verdict
	Behind  uint64        `json:"behind"` // events sent later than their schedule's tolerance
	Pass    bool          `json:"pass"`   // every SLO threshold held, and the step was neither cut short nor interrupted
	// Tries is how many times the step ran (see Config.Retries); the fields above describe the last try:
	// the one that passed, or the last that failed.
	Tries int `json:"tries"`
	// Overrun is set when the step was cut short after Config.StepTimeout: it fails whatever its
	// thresholds say, because it could not even send its schedule in time.
	Overrun bool `json:"overrun"`
	// Interrupted is set when the sweep's context was cancelled during the step; it is not judged.
	Interrupted bool                      `json:"interrupted"`
	Thresholds  []reports.ThresholdResult `json:"thresholds"` // every SLO threshold evaluated on the report
	// Report is the step's complete report, with Thresholds filled. It is not part of the JSON form.
	Report *reports.Report `json:"-"`
}

func newStep(n int, phase Phase, rate float64, rep *reports.Report) Step {
	st := Step{
		N: n, Phase: phase, Rate: rate, Elapsed: rep.Meta.Duration, Offered: rep.Counts.Offered,
		Achieved: rep.Rates.Achieved, Lost: rep.Counts.Lost, Behind: rep.Counts.Behind, Report: rep,
	}
	if l := rep.Stage(reports.EndToEnd); l != nil && l.Count > 0 {
		st.P50, st.P99 = l.P50, l.P99
	}
	if l := rep.Stage(reports.SendLag); l != nil && l.Count > 0 {
		st.SendP99 = l.P99
	}
	return st
}

// Failed returns the SLO thresholds that failed on the step, in SLO order.
func (s *Step) Failed() []reports.ThresholdResult {
	var failed []reports.ThresholdResult
	for _, t := range s.Thresholds {
		if !t.Pass {
			failed = append(failed, t)
		}
	}
	return failed
}

// Verdict summarises the step's judgement in a word: "pass", "FAIL", "overrun" or "interrupted".
func (s *Step) Verdict() string {
	switch {
	case s.Interrupted:
		return "interrupted"
	case s.Overrun:
		return "overrun"
	case s.Pass:
		return "pass"
	}
	return "FAIL"
}

// Decode reads one sweep.json as JSON writes it, checking the schema. Decoded steps have no Report.
func Decode(rd io.Reader) (*Result, error) {
	var r Result
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, fmt.Errorf("decode sweep: %w", err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("decode sweep: schema %q, want %q", r.Schema, Schema)
	}
	if r.Steps == nil {
		r.Steps = []Step{}
	}
	if r.Settings.SLO == nil {
		r.Settings.SLO = []string{}
	}
	for i := range r.Steps {
		if r.Steps[i].Thresholds == nil {
			r.Steps[i].Thresholds = []reports.ThresholdResult{}
		}
	}
	return &r, nil
}
