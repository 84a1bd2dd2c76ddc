package scenarios

import (
	"fmt"
	"slices"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
)

// GeneratorFor builds the generator a scenario describes. recordTracking adds externalId=%d{recordid} to
// the firewall and DNS formats so that records can be matched across an external collector.
func GeneratorFor(s *Scenario, recordTracking bool) (*generator.Generator, error) {
	cfg := generator.Config{Seed: s.Seed, Classes: s.Classes, Users: s.Users, Location: s.TimeZone, Syslog: s.Syslog, Org: s.Org}
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
			cloud := log.Descriptor().Cloud
			s.Feeds[log] = cloud
			notes = append(notes, fmt.Sprintf("%s feed %s → %s", log, name, cloud))
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
