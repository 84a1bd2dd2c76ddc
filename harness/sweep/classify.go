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

// The figures of the sender-bound rule.
const (
	// LateTolerance is how late a send may be before the sender counts as behind, and the wire lag a
	// collector that keeps reading stays within whatever the send lag: run.Config.Late's default.
	LateTolerance = 10 * time.Millisecond
	// WireShare is the largest share of the send lag the wire lag may reach for the collector to count
	// as keeping up. A collector that pushes back through TCP holds a socket buffer's worth of records
	// unread, so its wire lag grows with the send lag (a tenth of it and more); one that reads at once
	// shows a wire lag of microseconds to milliseconds however late the sender is.
	WireShare = 0.1
	// BehindShare is the share of a step's schedule that must be sent late, or left unsent, for the
	// sender to count as behind: a few late events are scheduler noise.
	BehindShare = 0.01
)

// Classification is what Classify found, with the figures behind it.
type Classification struct {
	Bound   Bound
	SendP99 time.Duration // the sender's lag behind the schedule (scheduled → written)
	WireP99 time.Duration // the collector's lag (written → received); 0: not measured (no wire stage)
	Behind  uint64        // events sent later than the tolerance
	Backlog uint64        // events of the step's schedule never sent (due but not sent when it ended)
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
// schedule's size is Meta.OfferedRate·d. The sender is behind when more than BehindShare of the schedule
// was sent late (Counts.Behind) or not at all (the backlog: scheduled events minus Counts.Sent). Behind,
// the step is sender-bound when the collector lost nothing (see collectorLost) and the collector's wire lag stayed within
// max(LateTolerance, WireShare·send lag), and collector-bound when it did not. Without a wire stage (an
// external collector), a step that is behind is collector-bound when it lost events and BoundNone
// otherwise: only the sender's side was seen.
func Classify(rep *reports.Report, d time.Duration) Classification {
	var c Classification
	if l := rep.Stage(reports.SendLag); l != nil && l.Count > 0 {
		c.SendP99 = l.P99
	}
	if l := rep.Stage(reports.Wire); l != nil && l.Count > 0 {
		c.WireP99 = l.P99
	}
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
	case c.WireP99 == 0:
		if lost > 0 {
			c.Bound = BoundCollector
		}
	case lost == 0 && c.WireP99 <= max(LateTolerance, time.Duration(WireShare*float64(c.SendP99))):
		c.Bound = BoundSender
	default:
		c.Bound = BoundCollector
	}
	return c
}
