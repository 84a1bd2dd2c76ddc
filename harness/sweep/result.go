package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/replicates"
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
	// Ceiling is the lowest offered rate whose step stayed inconclusive after its retries: the load
	// generator could not offer it (or the step overran without the collector pushing back), so the
	// collector was not measured there. 0 when no step was inconclusive.
	Ceiling float64 `json:"ceiling"`
	Stop    Stop    `json:"stop"` // why the sweep ended
	// Plan is the sizing plan Config.Plan asked for; nil when none was asked.
	Plan *Plan `json:"plan,omitempty"`
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
	// WireP99 is the collector's lag as Classify measures it (written → received, or at a sink the
	// end-to-end p99 less the send p99); 0 when not measured (an external collector without a sink).
	WireP99 time.Duration `json:"wireP99"`
	Lost    uint64        `json:"lost"`   // events without a verdict
	Behind  uint64        `json:"behind"` // events sent later than their schedule's tolerance
	Pass    bool          `json:"pass"`   // every SLO threshold held, and the step was neither cut short nor interrupted
	// Backlog is how many events of the step's schedule were never sent (see Classify).
	Backlog uint64 `json:"backlog"`
	// SenderBound is set when the sender fell behind while the collector kept up (see Classify).
	SenderBound bool `json:"senderBound"`
	// Tries is how many times the step ran (see Config.Retries); the fields above describe the try that
	// decided the step: the one that passed, else the last that failed conclusively, else the last.
	Tries int `json:"tries"`
	// Attempts has every try's figures, in order, for the spread of a repeated step.
	Attempts []Try `json:"attempts"`
	// Overrun is set when the step was cut short after Config.StepTimeout: it could not even send its
	// schedule in time. It fails when the collector was pushing back, else it is inconclusive.
	Overrun bool `json:"overrun"`
	// Inconclusive is set when the step measured the load generator, not the collector: it was
	// sender-bound, or overran without the collector pushing back. It neither passes nor fails.
	Inconclusive bool `json:"inconclusive"`
	// Target is what the collector's process cost during the step (the run measured its target: run.Config.Probe, -target-pid), without its
	// timeline; nil when it was not sampled.
	Target *reports.TargetUsage `json:"target,omitempty"`
	// Interrupted is set when the sweep's context was cancelled during the step; it is not judged.
	Interrupted bool                      `json:"interrupted"`
	Thresholds  []reports.ThresholdResult `json:"thresholds"` // every SLO threshold evaluated on the report
	// Report is the step's complete report, with Thresholds filled. It is not part of the JSON form.
	Report *reports.Report `json:"-"`
}

// WriteStepReports writes the report of every step that has one as JSON to dir/step-K.json, K the step's
// number (sweep -replicates: replicates.File), each through write (for instance output.Files.Write,
// which confirms each file); it stops at the first error.
func (r *Result) WriteStepReports(dir string, write func(path string, fn func(io.Writer) error) error) error {
	for i := range r.Steps {
		st := &r.Steps[i]
		if st.Report == nil {
			continue
		}
		if err := write(replicates.File(dir, "step", st.N), func(w io.Writer) error { return reports.JSON.Render(w, st.Report) }); err != nil {
			return err
		}
	}
	return nil
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

// Verdict summarises the step's judgement in a word: "pass", "FAIL", "overrun" (a failure),
// "inconclusive" or "interrupted".
func (s *Step) Verdict() string {
	switch {
	case s.Interrupted:
		return "interrupted"
	case s.Inconclusive:
		return "inconclusive"
	case s.Overrun:
		return "overrun"
	case s.Pass:
		return "pass"
	}
	return "FAIL"
}

// outcome is the step's judgement as the search takes it.
func (s *Step) outcome() outcome {
	switch {
	case s.Pass:
		return outcomePass
	case s.Inconclusive:
		return outcomeInconclusive
	}
	return outcomeFail
}

// Try is one run of a step: its verdict and the figures that vary between tries.
type Try struct {
	Verdict  string        `json:"verdict"` // as Step.Verdict
	Achieved float64       `json:"achieved"`
	P99      time.Duration `json:"p99"`
	SendP99  time.Duration `json:"sendP99"`
	CPU      float64       `json:"cpu,omitempty"` // the target's mean CPU in cores; 0 when not sampled
}

func (s *Step) asTry() Try {
	t := Try{Verdict: s.Verdict(), Achieved: s.Achieved, P99: s.P99, SendP99: s.SendP99}
	if s.Target != nil {
		t.CPU = s.Target.CPU.Mean
	}
	return t
}

// Noisy reports whether the step's tries disagreed: some passed, or failed, and others did not.
func (s *Step) Noisy() bool {
	for _, t := range s.Attempts {
		if t.Verdict != s.Attempts[0].Verdict {
			return true
		}
	}
	return false
}

// Spread describes the range of the step's tries, e.g. "2 tries: pass, FAIL; achieved 9100.2/s–9211.9/s,
// p99 15.9ms–68.2ms"; "" for a step that ran once.
func (s *Step) Spread() string {
	if len(s.Attempts) < 2 {
		return ""
	}
	verdicts := make([]string, len(s.Attempts))
	a0, a1 := s.Attempts[0].Achieved, s.Attempts[0].Achieved
	p0, p1 := s.Attempts[0].P99, s.Attempts[0].P99
	for i, t := range s.Attempts {
		verdicts[i] = t.Verdict
		a0, a1 = min(a0, t.Achieved), max(a1, t.Achieved)
		p0, p1 = min(p0, t.P99), max(p1, t.P99)
	}
	out := fmt.Sprintf("%d tries: %s", len(s.Attempts), strings.Join(verdicts, ", "))
	if a1 > 0 { // an external run without a sink sees no verdicts
		out += "; achieved " + reports.FormatRate(a0) + "–" + reports.FormatRate(a1)
	}
	if p1 > 0 {
		out += ", p99 " + FormatLatency(p0) + "–" + FormatLatency(p1)
	}
	s0, s1 := s.Attempts[0].SendP99, s.Attempts[0].SendP99
	for _, t := range s.Attempts {
		s0, s1 = min(s0, t.SendP99), max(s1, t.SendP99)
	}
	if s1 > 0 {
		out += ", send p99 " + FormatLatency(s0) + "–" + FormatLatency(s1)
	}
	return out
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
		if r.Steps[i].Attempts == nil {
			r.Steps[i].Attempts = []Try{}
		}
	}
	return &r, nil
}
