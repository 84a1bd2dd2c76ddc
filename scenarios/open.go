package scenarios

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
)

// Open returns the scenario a command line names: the scenario file nameOrPath when it exists or looks
// like a path (a '/' or a .json suffix), else the built-in scenario of that name.
func Open(nameOrPath string) (*Scenario, error) {
	if _, err := os.Stat(nameOrPath); err == nil || strings.ContainsRune(nameOrPath, '/') || strings.HasSuffix(nameOrPath, ".json") {
		return Load(nameOrPath) // a path: its open error, not "unknown built-in scenario"
	}
	return Builtin(nameOrPath)
}

// Overrides are settings given outside the scenario file, such as a command line's flags; a nil field
// is not given. Built-in defaults < scenario file < overrides.
type Overrides struct {
	Seed        *uint64
	Connections *int
	Framing     *string
	Duration    *time.Duration
	Count       *uint64
	Rate        *float64 // a constant pacer at this rate, in events per second, instead of the file's
	Syslog      *generator.Syslog
}

// Override applies the overrides that are given, checked as the scenario file's fields are: connections
// in [1, 100000], a positive duration, a count of 1 or more, framing lf or octet.
func (s *Scenario) Override(o Overrides) error {
	switch {
	case o.Connections != nil && (*o.Connections < 1 || *o.Connections > maxConnections):
		return fmt.Errorf("connections %d: want an integer in [1, %d]", *o.Connections, maxConnections)
	case o.Duration != nil && *o.Duration <= 0:
		return fmt.Errorf("duration %v: want a positive duration, e.g. 10s", *o.Duration)
	case o.Count != nil && *o.Count == 0:
		return errors.New("count 0: want 1 or more")
	}
	set(&s.Seed, o.Seed)
	set(&s.Connections, o.Connections)
	set(&s.Framing, o.Framing)
	set(&s.Duration, o.Duration)
	set(&s.Count, o.Count)
	set(&s.Syslog, o.Syslog)
	if o.Rate != nil {
		s.Pacer = pacer.Spec{Shape: "constant", Rate: *o.Rate}
	}
	if s.Framing != "" && s.Framing != "lf" && s.Framing != "octet" {
		return fmt.Errorf("framing %q: want lf or octet", s.Framing)
	}
	return nil
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// OnlyFeed keeps only the scenario's classes of log type log, rendered with the built-in format
// named format. It is an error when the scenario has no class of that log type.
func (s *Scenario) OnlyFeed(log verdict.Feed, format string) error {
	var kept []generator.Class
	for _, c := range s.Classes {
		if c.Feed == log {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return fmt.Errorf("scenario %s has no %s classes", s.Name, log)
	}
	s.Classes = kept
	s.Feeds = map[verdict.Feed]string{log: format}
	return nil
}

// ForTarget adapts s to the collector it is sent to: target "" is the embedded collector, reached over
// TCP only; an http(s):// target takes Cloud NSS JSON batches (ForCloudNSS); with any other target its
// scheme decides the transport. It returns the notes of what it changed.
func (s *Scenario) ForTarget(target string) ([]string, error) {
	switch {
	case target == "" && s.Transport != "tcp":
		return nil, fmt.Errorf("scenario %s asks for transport %s, but the embedded collector is reached over TCP: "+
			"give -target udp://… or tls://… to send over %[2]s to an external collector", s.Name, s.Transport)
	case strings.HasPrefix(target, "http"):
		return ForCloudNSS(s)
	}
	return nil, nil
}

// CheckRunnable checks that s's schedule ends and that it has a pacer, unless replay (a recording
// paces it); hint names the flags that give a pacer.
func (s *Scenario) CheckRunnable(hint string, replay bool) error {
	if s.Duration <= 0 && s.Count == 0 {
		return fmt.Errorf("scenario %s is unbounded: give -duration or -count", s.Name)
	}
	if s.Pacer.Shape == "" && !replay {
		return fmt.Errorf("scenario %s has no pacer: give %s", s.Name, hint)
	}
	return nil
}
