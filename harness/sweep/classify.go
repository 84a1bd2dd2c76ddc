package sweep

import (
	"fmt"
	"time"

	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
)

// Bound says what limited a step.
type Bound uint8

// The bounds Classify tells apart.
const (
	BoundNone      Bound = iota // the sender kept to its schedule (or its figures cannot tell)
	BoundSender                 // the sender fell behind while the collector kept reading: the load generator was measured
	BoundCollector              // the sender fell behind because the collector pushed back
)

var boundNames = [...]string{"none", "sender", "collector"}

// String returns "none", "sender" or "collector".
func (b Bound) String() string {
	if int(b) < len(boundNames) {
		return boundNames[b]
	}
	return fmt.Sprintf("bound(%d)", uint8(b))
}

// BehindShare is the figure of the sender-bound rule that is the sweep's own; the wire lag's marks are
// the report's limit rule's (reports.LimitWire, reports.LimitTracks).
const (
	// BehindShare is the share of a step's schedule that must be sent late, or left unsent, for the
	// sender to count as behind: a few late events are scheduler noise.
	BehindShare = 0.01
)

// Classification is what Classify found, with the figures behind it.
type Classification struct {
	Bound   Bound
	SendP99 time.Duration // the sender's lag behind the schedule (scheduled → written)
	WireP99 time.Duration // the collector's lag, measured as reports.Limit's (see WireFrom)
	// WireFrom is how WireP99 was measured, as reports.Limit.WireFrom: "wire" (written → received),
	// "e2e-send" (at a sink: end-to-end p99 less send p99), "" not measured.
	WireFrom string
	Behind   uint64 // events sent later than the tolerance
	Backlog  uint64 // events of the step's schedule never sent (due but not sent when it ended)
}

// collectorLost counts the records rep lost that the collector may have lost, for a sender behind its
// schedule: not those the sender never sent before the run's time was over or it was interrupted
// (run.LostNotSent, run.LostInterrupted), nor those it had just written when the run's end closed the
// stream (run.LostNotReceived): a sender behind its schedule is still writing when the run's time runs
// out, and the end cuts its last records, not the collector.
func collectorLost(rep *reports.Report) uint64 {
	lost := rep.Counts.Lost
	for _, l := range rep.Lost {
		switch l.Cause {
		case run.LostNotSent, run.LostInterrupted, run.LostNotReceived:
			lost -= min(l.Count, lost)
		}
	}
	return lost
}

// Classify applies the sender-bound rule to a step's report; d is the step's duration, so that the
// schedule's size is Meta.OfferedRate·d. The sender is behind when more than BehindShare of the
// schedule was sent late (Counts.Behind) or not at all (the backlog: scheduled events minus
// Counts.Sent). Behind, the step is sender-bound when the collector lost nothing (see collectorLost)
// and the wire lag, as the report's limit rule measures it (Report.LimitedBy: the wire stage, or at a
// sink the end-to-end p99 less the send p99), stayed under both of that rule's marks: under
// reports.LimitWire, and under reports.LimitTracks × the send lag when that lag is reports.LimitLag or
// more (a shorter one, of a step behind by its unsent backlog, is no evidence of backpressure). It is
// collector-bound when the wire lag did not. Without a wire measure (an external collector without a
// sink), a step that is behind is collector-bound when it lost events and BoundNone otherwise: only
// the sender's side was seen.
func Classify(rep *reports.Report, d time.Duration) Classification {
	var c Classification
	l := rep.LimitedBy()
	c.SendP99, c.WireP99, c.WireFrom = l.SendP99, l.WireP99, l.WireFrom
	c.Behind = rep.Counts.Behind
	scheduled := uint64(rep.Meta.OfferedRate*d.Seconds() + 0.5)
	if scheduled > rep.Counts.Sent {
		c.Backlog = scheduled - rep.Counts.Sent
	}
	late := float64(c.Behind+c.Backlog) > BehindShare*float64(max(scheduled, 1))
	lost := collectorLost(rep)
	switch {
	case !late:
		c.Bound = BoundNone
	case c.WireFrom == "":
		if lost > 0 {
			c.Bound = BoundCollector
		}
	case lost == 0 && c.WireP99 < reports.LimitWire && (c.SendP99 < reports.LimitLag || float64(c.WireP99) < reports.LimitTracks*float64(c.SendP99)):
		c.Bound = BoundSender
	default:
		c.Bound = BoundCollector
	}
	return c
}
