package run

import (
	"fmt"
	"time"

	"github.com/nssbench/nssbench/harness/endpoint"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
)

// Describe fills the fields of c.Meta that c itself decides: its pacer, its offered rate (a shard's
// share of the schedule's, so that merged shards add up to the whole), its pipeline's hashes, and a
// note of a Cost in the description (a slower collector is not part of the experiment: it is what an
// A/B comparison measures). Call it once c is complete.
func (c *Config) Describe() {
	c.Meta.Pacer = c.Pacer.String()
	c.Meta.OfferedRate = c.schedule().Rate()
	c.Meta.RulesHash, c.Meta.MappingsHash = c.Pipeline.Hashes()
	if c.Cost > 0 {
		c.Meta.Description += fmt.Sprintf(" [embedded collector slowed by %v per record: -cost]", c.Cost)
	}
}

// Announcement says what c is about to do, a line each: the scenario (Meta.Scenario), the pacer, the
// connections and where they go, and the wall-clock start of the schedule when StartAt is set.
func (c *Config) Announcement() []string {
	where := "the embedded collector"
	if c.Target != "" {
		where = c.Target
		if c.Sink == "" {
			where += " (no -sink: delivery will not be observed)"
		} else {
			where += ", sink " + c.Sink
		}
	}
	if c.Cost > 0 {
		where += fmt.Sprintf(" (slowed by %v per record: -cost)", c.Cost)
	}
	lines := []string{fmt.Sprintf("scenario %s, %s, %d connection(s) to %s", c.Meta.Scenario, c.Pacer, max(c.Connections, 1), where)}
	if !c.StartAt.IsZero() {
		lines = append(lines, "the schedule starts at "+c.StartAt.Format(time.RFC3339Nano)+" (-start-at)")
	}
	return lines
}

// ListenWarning returns the warning that Listen puts the embedded collector on an address reachable
// beyond this host (endpoint.Exposed), or "" for a loopback one, none or one that does not parse.
func (c *Config) ListenWarning() string {
	ep, err := transport.ParseTarget(c.Listen)
	if err != nil {
		return ""
	}
	return endpoint.Exposed("-listen "+c.Listen, ep.Loopback())
}

// LateStart says, in a line, how late the run that rep reports started when StartAt had passed by more
// than a second once the run was ready; "" otherwise.
func (c *Config) LateStart(rep *reports.Report) string {
	late := rep.Meta.Started.Sub(c.StartAt)
	if c.StartAt.IsZero() || late <= time.Second {
		return ""
	}
	return fmt.Sprintf("-start-at %s had passed when the run was ready: it started %v late", c.StartAt.Format(time.RFC3339), late.Round(time.Millisecond))
}
