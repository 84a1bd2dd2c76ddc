package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// What limited a run (Limit.By).
const (
	LimitSender    = "sender"    // the generator fell behind while the collector kept reading
	LimitCollector = "collector" // the collector pushed back, fell behind reading, or ran out of CPU
	LimitNone      = "none"      // the offered rate was sustained
	LimitUnknown   = "unknown"   // the sender fell behind and nothing measured the collector's side
)

// The limit rule's marks (see Report.LimitedBy).
const (
	// LimitBehind: a run whose behind-schedule records exceed this fraction of those sent fell behind.
	LimitBehind = 0.01
	// LimitTracks: wire lag p99 at least this fraction of send lag p99 means the send lag tracks the
	// wire lag (backpressure); below it the collector kept reading what the sender managed to write.
	LimitTracks = 0.5
	// LimitLag: a send lag p99 shorter than this is scheduling jitter (a loaded machine, a GC pause),
	// not a sender or collector falling behind, however many records it made late.
	LimitLag = 50 * time.Millisecond
	// LimitWire: a wire lag p99 this long means records waited in the collector's buffers, longer than
	// any network or scheduling delay on a path where the collector keeps reading. Under backpressure
	// the send lag grows with the backlog while the wire lag stays at what the buffers hold, so the
	// ratio alone (LimitTracks) misses a long overload.
	LimitWire = 50 * time.Millisecond
	// LimitSaturated: a target whose mean CPU reaches this fraction of the cores available is
	// saturated.
	LimitSaturated = 0.9
	// LimitDrain: verdicts still coming this long after the last send, and for at least a tenth of
	// the run, mean the collector fell behind reading (buffers absorbed what it did not take in time;
	// the run stretched to its last verdict).
	LimitDrain = 2 * time.Second
)

// Limit is what limited a run, with the figures the rule read.
type Limit struct {
	By  string `json:"by"`  // LimitSender, LimitCollector, LimitNone or LimitUnknown
	Why string `json:"why"` // the rule that decided, in words

	Behind      uint64        `json:"behind"`      // records sent later than the schedule's tolerance
	BehindRatio float64       `json:"behindRatio"` // of those sent
	Backlog     uint64        `json:"backlog"`     // most records due and not yet sent at the end of a timeline second
	SendP99     time.Duration `json:"sendP99"`     // send lag (scheduled → written), p99
	WireP99     time.Duration `json:"wireP99"`     // wire lag (written → received), p99; see WireFrom
	// WireFrom: "wire"; "e2e-send" (end-to-end p99 less send p99, at a sink); "e2e" (a standalone
	// sink's end-to-end p99, the send lag not observed); "" unmeasured.
	WireFrom string        `json:"wireFrom"`
	Drain    time.Duration `json:"drain"`    // from the last timeline second with a send to the last with a verdict
	SentRate float64       `json:"sentRate"` // records sent per second
	Achieved float64       `json:"achieved"` // verdicts per second
	CPU      float64       `json:"cpu"`      // the target's mean CPU, cores; 0 when not sampled
	Cores    int           `json:"cores"`    // cores available to the target; 0 when not known
	// Sink: a standalone sink's limit, which saw arrivals and not its shards' sends (Behind, Backlog,
	// SendP99 and SentRate are not observed, and zero).
	Sink bool `json:"sink,omitempty"`
}

// LimitedBy decides what limited the run from the figures the report has, in this order:
//
//  1. collector, when a sampled target other than nssbench itself used on average at least
//     LimitSaturated of the cores available (nssbench's own process includes the generator, so its
//     saturation does not tell the two apart);
//  2. when more than LimitBehind of the records sent were behind schedule, with a send lag p99 of at
//     least LimitLag (less is jitter, and goes on to the next rules): collector when the wire
//     lag p99 is at least LimitTracks of the send lag p99 or at least LimitWire (backpressure: records
//     waited in the collector's buffers while the sender waited to write), sender when it is lower on
//     both counts (the collector read what was written at once: the generator could not keep the
//     schedule), unknown when no wire lag was measured (an external run without a sink);
//  3. collector, when verdicts went on for LimitDrain or more after the last send, and for at least a
//     tenth of the run (the buffers absorbed what the collector did not take in time, and the run
//     stretched to its last verdict);
//  4. none otherwise: the offered rate was sustained, which says nothing of the collector's capacity.
//
// A standalone sink's report (Meta.TargetKind TargetSink) saw arrivals only, not its shards' sends: it
// says collector by rule 3, none when the end-to-end p99 is under LimitLag (no record, however sent,
// was late), else unknown (the shards' reports say whether their senders kept the schedule).
//
// Against an external collector with a sink, the wire lag is the end-to-end p99 less the send p99
// (the sink's arrival includes the collector's work and its forwarding). A collector that holds
// records LimitWire or longer before it forwards them (a batch, a flush timer) therefore reads as
// pushing back when the sender falls behind: through a relay the rule leans to collector, and only a
// relay that forwards at once lets it say sender.
func (r *Report) LimitedBy() Limit {
	c := &r.Counts
	l := Limit{Behind: c.Behind, BehindRatio: ratio(c.Behind, c.Sent), Backlog: backlog(r.Timeline),
		Drain: drain(r.Timeline, false), SentRate: r.Rates.Sent, Achieved: r.Rates.Achieved}
	if t := r.Target; t != nil && t.Samples > 0 {
		l.CPU, l.Cores = t.CPU.Mean, t.Cores
	}
	if r.Target != nil && !r.Target.Self && l.Cores > 0 && l.CPU >= LimitSaturated*float64(l.Cores) {
		l.By = LimitCollector
		l.Why = fmt.Sprintf("the target's CPU is saturated: mean %.2f cores ≥ %.1f × %d cores", l.CPU, LimitSaturated, l.Cores)
	}
	if r.Meta.TargetKind == TargetSink {
		return r.sinkLimit(l)
	}
	if s := r.Stage(SendLag); s != nil {
		l.SendP99 = s.P99
	}
	if w := r.Stage(Wire); w != nil && w.Count > 0 {
		l.WireP99, l.WireFrom = w.P99, "wire"
	} else if e := r.Stage(EndToEnd); e != nil && e.Count > 0 {
		l.WireP99, l.WireFrom = max(e.P99-l.SendP99, 0), "e2e-send"
	}
	behind := l.BehindRatio > LimitBehind && l.SendP99 >= LimitLag
	switch {
	case l.By != "":
	case behind && l.WireFrom == "":
		l.By = LimitUnknown
		l.Why = "the sender fell behind, and no wire or end-to-end latency was measured (no sink) to tell whether the collector pushed back"
	case behind && (float64(l.WireP99) >= LimitTracks*float64(l.SendP99) || l.WireP99 >= LimitWire):
		l.By = LimitCollector
		l.Why = fmt.Sprintf("backpressure: the sender was held up while records waited in the collector's buffers (wire p99 ≥ %.1f × send p99, or ≥ %s)",
			LimitTracks, FormatDuration(LimitWire))
	case behind:
		l.By = LimitSender
		l.Why = fmt.Sprintf("the generator fell behind while the collector kept reading (wire p99 < %.1f × send p99 and < %s)",
			LimitTracks, FormatDuration(LimitWire))
	case l.Drain >= LimitDrain && 10*l.Drain >= r.Meta.Duration:
		l.By = LimitCollector
		l.Why = fmt.Sprintf("the collector fell behind reading: verdicts went on %s after the last send", FormatDuration(l.Drain))
	default:
		l.By = LimitNone
		l.Why = "the offered rate was sustained; this run does not measure capacity, see sweep"
	}
	return l
}

// sinkLimit decides the limit of a standalone sink's report, which has no send figures (see LimitedBy).
func (r *Report) sinkLimit(l Limit) Limit {
	l.Sink, l.Behind, l.BehindRatio, l.Backlog, l.SentRate = true, 0, 0, 0, 0
	l.Drain = drain(r.Timeline, true)
	if e := r.Stage(EndToEnd); e != nil && e.Count > 0 {
		l.WireP99, l.WireFrom = e.P99, "e2e"
	}
	switch {
	case l.By != "":
	case l.Drain >= LimitDrain && 10*l.Drain >= r.Meta.Duration:
		l.By = LimitCollector
		l.Why = fmt.Sprintf("the collector fell behind reading: records went on arriving %s after the last was due", FormatDuration(l.Drain))
	case l.WireFrom != "" && l.WireP99 < LimitLag:
		l.By = LimitNone
		l.Why = "the offered rate was sustained (e2e p99 under " + FormatDuration(LimitLag) + "); this run does not measure capacity, see sweep"
	default:
		l.By = LimitUnknown
		l.Why = "a sink sees arrivals only: the shards' reports say whether their senders fell behind"
	}
	return l
}

// backlog returns the most records due and not yet sent at the end of any second of tl.
func backlog(tl []Second) uint64 {
	var offered, sent, most uint64
	for i := range tl {
		offered += tl[i].Offered
		sent += tl[i].Sent
		if offered > sent {
			most = max(most, offered-sent)
		}
	}
	return most
}

// drain returns the time from tl's last second with a send (with due, with a record due: a sink's,
// which saw no sends) to its last with a verdict; 0 when the verdicts ended first or there were none.
func drain(tl []Second, due bool) time.Duration {
	var lastSent, lastVerdict int64
	for i := range tl {
		if tl[i].Sent > 0 || due && tl[i].Offered > 0 {
			lastSent = tl[i].Unix
		}
		if tl[i].Verdicts > 0 {
			lastVerdict = tl[i].Unix
		}
	}
	if lastSent == 0 || lastVerdict <= lastSent {
		return 0
	}
	return time.Duration(lastVerdict-lastSent) * time.Second
}

// Line is the limit line: "limited by: sender (…)" with the figures behind it.
func (l *Limit) Line() string {
	var b strings.Builder
	b.WriteString("limited by: ")
	b.WriteString(l.By)
	b.WriteString(" (")
	b.WriteString(l.Why)
	b.WriteString(")")
	return b.String()
}

// Figures lists the figures the rule read, in words.
func (l *Limit) Figures() string {
	var f []string
	if l.Sink {
		f = append(f, "send side not observed (the shards sent)")
	} else {
		f = append(f, "behind schedule "+strconv.FormatUint(l.Behind, 10)+" ("+FormatRatio(l.BehindRatio)+" of sent)",
			"send backlog max "+strconv.FormatUint(l.Backlog, 10), "send lag p99 "+FormatDuration(l.SendP99))
	}
	switch l.WireFrom {
	case "wire":
		f = append(f, "wire lag p99 "+FormatDuration(l.WireP99))
	case "e2e-send":
		f = append(f, "wire lag p99 "+FormatDuration(l.WireP99)+" (e2e − send)")
	case "e2e":
		f = append(f, "e2e p99 "+FormatDuration(l.WireP99))
	default:
		f = append(f, "wire lag not measured")
	}
	f = append(f, "drain "+FormatDuration(l.Drain))
	if !l.Sink {
		f = append(f, "sent "+FormatRate(l.SentRate))
	}
	f = append(f, "achieved "+FormatRate(l.Achieved))
	if l.Cores > 0 || l.CPU > 0 {
		f = append(f, fmt.Sprintf("target cpu %.2f of %d cores", l.CPU, l.Cores))
	}
	return strings.Join(f, ", ")
}

// VerdictLine is the report's one-line verdict: "PASS", "FAIL: 2 of 9 gates (lost==0, p99<5ms)" or
// "INTERRUPTED". The gates are the thresholds, conformance (when any verdict was checked: no
// mismatches) and the balance (Accounted).
func (r *Report) VerdictLine() string {
	if r.Meta.Interrupted {
		return "INTERRUPTED"
	}
	gates := len(r.Thresholds) + 1
	var failed []string
	for _, t := range r.Thresholds {
		if !t.Pass {
			failed = append(failed, t.Expr)
		}
	}
	if r.Conformance.Checked > 0 {
		gates++
		if r.Conformance.Mismatches > 0 {
			failed = append(failed, "conformance ("+strconv.FormatUint(r.Conformance.Mismatches, 10)+" mismatches)")
		}
	}
	if !r.Accounted() {
		failed = append(failed, "balance")
	}
	if len(failed) == 0 {
		return "PASS"
	}
	return fmt.Sprintf("FAIL: %d of %d gates (%s)", len(failed), gates, strings.Join(failed, ", "))
}
