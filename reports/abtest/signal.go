package abtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Schema names the regression signal's JSON format; SchemaVersion changes when a field changes meaning
// or goes away (adding a field does not change it).
const (
	Schema        = "nssbench/regression-signal"
	SchemaVersion = 1
)

// Signal is the machine-readable result of an A/B comparison: what a CI bot reads.
type Signal struct {
	Schema        string   `json:"schema"`
	SchemaVersion int      `json:"schemaVersion"`
	Base          string   `json:"base"` // what the base side is, e.g. a directory of replicate reports
	New           string   `json:"new"`
	Confidence    float64  `json:"confidence"`
	Resamples     int      `json:"resamples"`
	Seed          uint64   `json:"seed"`
	Margin        float64  `json:"margin"` // the default margin; each metric carries its own
	Verdict       Verdict  `json:"verdict"`
	ExitCode      int      `json:"exitCode"`    // the exit code the verdict hints: 3 on a regression, else 0
	Regressions   []string `json:"regressions"` // the gated metrics that regressed, in input order
	Metrics       []Metric `json:"metrics"`
	// NotCompared lists the metrics the caller left out and why, e.g. a latency stage with no samples
	// in some replicate: nothing is left out silently.
	NotCompared []NotCompared `json:"notCompared"`
}

// NotCompared is a metric a comparison left out.
type NotCompared struct {
	Name string `json:"name"`
	Why  string `json:"why"`
}

// Input is one metric to compare: its spec and each side's replicate values.
type Input struct {
	Spec
	Base, New []float64
}

// Analyze compares every input (see Compare) and decides the overall verdict from the gated ones.
// base and cur describe the two sides for the renderers. It fails when an input fails, when two inputs
// share a name, or when no input is gated: a comparison that gates nothing would pass vacuously.
func Analyze(base, cur string, in []Input, opt Options) (*Signal, error) {
	opt = opt.withDefaults()
	if opt.Margin < 0 || math.IsNaN(opt.Margin) || math.IsInf(opt.Margin, 0) {
		return nil, fmt.Errorf("analyze: margin %v (want a relative size ≥ 0, e.g. 0.05)", opt.Margin)
	}
	for name := range opt.Margins {
		if !slices.ContainsFunc(in, func(x Input) bool { return x.Name == name }) {
			return nil, fmt.Errorf("analyze: a margin for %q, which is not compared", name)
		}
	}
	s := &Signal{Schema: Schema, SchemaVersion: SchemaVersion, Base: base, New: cur, Confidence: Confidence,
		Resamples: opt.Resamples, Seed: opt.Seed, Margin: opt.Margin, Regressions: []string{}, NotCompared: []NotCompared{}}
	seen := map[string]bool{}
	gated := 0
	for _, x := range in {
		if seen[x.Name] {
			return nil, fmt.Errorf("analyze: metric %q given twice", x.Name)
		}
		seen[x.Name] = true
		m, err := Compare(x.Spec, x.Base, x.New, opt)
		if err != nil {
			return nil, fmt.Errorf("analyze: %w", err)
		}
		if m.Gate {
			gated++
			if m.Verdict == Regressed {
				s.Regressions = append(s.Regressions, m.Name)
			}
		}
		s.Metrics = append(s.Metrics, m)
	}
	if gated == 0 {
		return nil, errors.New("analyze: no gated metric to compare")
	}
	s.Verdict = overall(s.Metrics)
	if s.Verdict == Regressed {
		s.ExitCode = ExitRegressed
	}
	return s, nil
}

// overall returns the overall verdict of the gated metrics, by the precedence of the package doc.
func overall(ms []Metric) Verdict {
	for _, v := range []Verdict{Regressed, Erratic, Insufficient, Improved} {
		for _, m := range ms {
			if m.Gate && m.Verdict == v {
				return v
			}
		}
	}
	return NoChange
}

// WriteJSON writes the signal as indented JSON with a final newline.
func (s *Signal) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write regression signal: %w", err)
	}
	return nil
}
