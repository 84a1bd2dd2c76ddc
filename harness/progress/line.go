package progress

import (
	"fmt"
	"time"
)

// Line is a run's progress line: elapsed (of total, when known), records due, sent, the sender's
// backlog (due − sent: what the schedule wanted out and is not written yet, as when the collector stops
// reading), the achieved rate, verdicts, behind schedule, and the end-to-end p99 of the last second ("-"
// when nothing was decided in it).
func (p Snapshot) Line(total time.Duration) string {
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Verdicts) / s
	}
	of := ""
	if total > 0 {
		of = "/" + total.Round(time.Second).String()
	}
	return fmt.Sprintf("%s%s  due %d  sent %d  backlog %d  achieved %.0f/s  verdicts %d  behind %d  e2e p99 (last 1s) %s",
		p.Elapsed.Round(time.Second), of, p.Due, p.Sent, p.Due-min(p.Sent, p.Due), rate, p.Verdicts, p.Behind, p.p99())
}

// SinkLine is a standalone sink's progress line: before t=0 the time left, then records due and
// delivered and the end-to-end p99 of the last second ("-" when nothing arrived in it), which includes
// the offset between the shards' clocks and the sink's.
func (p Snapshot) SinkLine() string {
	if p.Elapsed < 0 {
		return fmt.Sprintf("the schedule starts in %v", (-p.Elapsed).Round(time.Second))
	}
	return fmt.Sprintf("%s  due %d  delivered %d  e2e p99 (last 1s, includes the clock offset) %s",
		p.Elapsed.Round(time.Second), p.Due, p.Verdicts, p.p99())
}

// p99 formats P99 to the microsecond, "-" when 0 (no sample in the window).
func (p Snapshot) p99() string {
	if p.P99 == 0 {
		return "-"
	}
	return p.P99.Round(time.Microsecond).String()
}
