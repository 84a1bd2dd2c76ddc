package scenarios

import (
	"fmt"
	"slices"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
)

// GeneratorFor builds the generator a scenario describes. recordTracking adds externalId=%d{recordid} to
// the firewall and DNS formats so that records can be matched across an external collector.
func GeneratorFor(s *Scenario, recordTracking bool) (*generator.Generator, error) {
	cfg := generator.Config{Seed: s.Seed, Classes: s.Classes, Users: s.Users, Location: s.TimeZone}
	for feed, name := range s.Feeds {
		f, err := feeds.ByName(name)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: feed %s: %w", s.Name, feed, err)
		}
		prog, err := f.Compile(feeds.Options{RecordTracking: recordTracking, Escape: s.FeedEscape})
		if err != nil {
			return nil, fmt.Errorf("scenario %s: feed %s: %w", s.Name, feed, err)
		}
		cfg.Programs[feed] = prog
	}
	return generator.New(cfg)
}

// cloudFeeds names the Cloud NSS JSON feed of each log type.
var cloudFeeds = map[verdict.Feed]string{verdict.FeedWeb: "cloud-web", verdict.FeedFirewall: "cloud-firewall", verdict.FeedDNS: "cloud-dns"}

// ForCloudNSS adapts a scenario to an http(s):// target, which takes Cloud NSS JSON batches: each CEF feed
// is replaced by the Cloud NSS JSON feed of its log type, and the malformed classes are left out (they
// damage CEF lines, and Cloud NSS does not send broken JSON). It returns what it changed, for the user.
func ForCloudNSS(s *Scenario) ([]string, error) {
	var notes []string
	for log, name := range s.Feeds {
		f, err := feeds.ByName(name)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: feed %s: %w", s.Name, log, err)
		}
		if f.Encoding != feeds.EncodingJSON {
			s.Feeds[log] = cloudFeeds[log]
			notes = append(notes, fmt.Sprintf("%s feed %s → %s", log, name, cloudFeeds[log]))
		}
	}
	slices.Sort(notes)
	kept := s.Classes[:0:0]
	dropped := 0
	for _, c := range s.Classes {
		if c.Malform != generator.MalformNone {
			dropped++
			continue
		}
		kept = append(kept, c)
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("scenario %s: only malformed classes, which Cloud NSS targets cannot take", s.Name)
	}
	if dropped > 0 {
		notes = append(notes, fmt.Sprintf("%d malformed classes left out", dropped))
	}
	s.Classes = kept
	return notes, nil
}

// PacerFor builds the pacer a scenario's pacer spec describes, bounded by lim.
func PacerFor(spec PacerSpec, lim pacer.Limit) (pacer.Pacer, error) {
	switch spec.Shape {
	case "", "constant":
		if spec.Rate <= 0 {
			return nil, fmt.Errorf("constant pacer: rate %g must be > 0", spec.Rate)
		}
		return pacer.Constant{Rate: spec.Rate, Limit: lim}, nil
	case "ramp", "linear":
		if spec.From < 0 || spec.To < 0 || spec.From+spec.To == 0 {
			return nil, fmt.Errorf("ramp pacer: from %g and to %g must be >= 0 and not both 0", spec.From, spec.To)
		}
		over := spec.Period
		if over <= 0 {
			over = lim.Duration
		}
		if over <= 0 {
			return nil, fmt.Errorf("ramp pacer: needs a period or a run duration to ramp over")
		}
		return pacer.Linear{From: spec.From, To: spec.To, Over: over, Limit: lim}, nil
	case "step":
		if len(spec.Steps) == 0 {
			return nil, fmt.Errorf("step pacer: no steps")
		}
		steps := make([]pacer.Step, len(spec.Steps))
		for i, st := range spec.Steps {
			if st.Rate < 0 || st.Duration <= 0 {
				return nil, fmt.Errorf("step pacer: step %d: rate %g must be >= 0 and duration %v > 0", i+1, st.Rate, st.Duration)
			}
			steps[i] = pacer.Step{Rate: st.Rate, Duration: st.Duration}
		}
		return pacer.NewSteps(steps, lim), nil
	case "sine":
		if spec.Rate <= 0 || spec.Amplitude < 0 || spec.Amplitude > spec.Rate || spec.Period <= 0 {
			return nil, fmt.Errorf("sine pacer: needs rate > 0, 0 <= amplitude <= rate and period > 0")
		}
		return pacer.Sine{Mean: spec.Rate, Amplitude: spec.Amplitude, Period: spec.Period, Limit: lim}, nil
	case "burst":
		if spec.Rate <= 0 || spec.On <= 0 || spec.Off < 0 {
			return nil, fmt.Errorf("burst pacer: needs rate > 0, on > 0 and off >= 0")
		}
		return pacer.Burst{Rate: spec.Rate, On: spec.On, Off: spec.Off, Limit: lim}, nil
	case "replay":
		return nil, fmt.Errorf("replay pacer: give the recording to replay with -replay FILE")
	}
	return nil, fmt.Errorf("pacer shape %q: want constant, ramp, step, sine, burst or replay", spec.Shape)
}
