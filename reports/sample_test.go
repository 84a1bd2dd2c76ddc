package reports

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
)

// sampleClasses are the label classes of the synthetic streams the tests feed recorders.
var sampleClasses = []string{"web-malware", "web-unmapped", "web-allowed", "fw-default", "fw-rdp", "malformed"}

// sampleFeeds are the feeds of sampleClasses' records.
var sampleFeeds = []string{"web", "web", "web", "firewall", "firewall", "web"}

var (
	threatMalware = &verdict.Threat{ID: "T1204.002", Name: "Malicious File"}
	threatRDP     = &verdict.Threat{ID: "T1021.001", Name: "Remote Desktop Protocol"}
)

// Outcomes of a sample event.
const (
	outVerdict    = iota // sent and decided
	outLostSent          // sent, never decided
	outLostUnsent        // never written
)

// sampleEvent is one event of a synthetic stream, with everything a recorder is told about it.
type sampleEvent struct {
	class    uint16
	t        Timing
	behind   bool
	outcome  int
	cause    string
	size     int // the record's length without framing
	v        verdict.Verdict
	mismatch bool
}

// sampleStream returns n events scheduled every interval from t=0, drawn from a PCG seeded with seed:
// mostly verdicts of each class's expected kind, about 1% lost with a cause, 0.5% mismatched.
func sampleStream(seed uint64, n int, interval time.Duration) []sampleEvent {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	details := verdict.Details()
	out := make([]sampleEvent, n)
	for i := range out {
		e := &out[i]
		e.class = uint16(rng.IntN(len(sampleClasses)))
		sched := int64(i) * int64(interval)
		e.t.Scheduled = sched
		lag := int64(rng.ExpFloat64() * 20e3) // ~20 µs
		e.behind = lag > 100e3
		e.t.Written = sched + lag + 1
		e.t.Received = e.t.Written + int64(rng.ExpFloat64()*200e3) + 1 // ~200 µs
		e.t.Decided = e.t.Received + int64(rng.ExpFloat64()*50e3) + 1  // ~50 µs
		if rng.IntN(1000) == 0 {
			e.t.Decided += int64(rng.IntN(50)) * int64(time.Millisecond) // a tail
		}
		e.v.Line = uint64(i + 1)
		e.size = 200 + 40*int(e.class) + i*7919%100 // not drawn from rng: the stream stays as it was
		switch p := rng.IntN(200); {
		case p < 1:
			e.outcome, e.cause = outLostUnsent, "send_error"
			continue
		case p < 2:
			e.outcome, e.cause = outLostSent, "connection_reset"
			continue
		case p < 3:
			e.mismatch = true
		}
		switch e.class {
		case 0:
			e.v.Feed, e.v.Stage, e.v.Kind, e.v.Threat = verdict.FeedWeb, verdict.StagePlatform, verdict.KindAlert, threatMalware
			e.v.AlertType = []byte("Malware block: malicious file")
		case 1:
			e.v.Feed, e.v.Stage, e.v.Kind = verdict.FeedWeb, verdict.StagePlatform, verdict.KindAlert
			e.v.AlertType = []byte([]string{"Virus block", "Botnet callback block", "Unknown alert"}[rng.IntN(3)])
		case 2:
			e.v.Feed, e.v.Stage, e.v.Kind, e.v.Reason = verdict.FeedWeb, verdict.StageCollector, verdict.KindDropped, verdict.ReasonAllowedTraffic
		case 3:
			e.v.Feed, e.v.Stage, e.v.Kind, e.v.Reason = verdict.FeedFirewall, verdict.StagePlatform, verdict.KindDropped, verdict.ReasonDefaultAllow
		case 4:
			e.v.Feed, e.v.Stage, e.v.Kind, e.v.Threat = verdict.FeedFirewall, verdict.StagePlatform, verdict.KindAlert, threatRDP
			e.v.AlertType = []byte("RDP Allow")
		case 5:
			e.v.Stage, e.v.Kind, e.v.Reason = verdict.StageCollector, verdict.KindDropped, verdict.ReasonMalformed
			e.v.Detail = details[rng.IntN(len(details))]
		}
	}
	return out
}

// feed tells r about e as a run would.
func (e *sampleEvent) feed(r *Recorder) {
	r.Offered(e.t.Scheduled)
	if e.outcome == outLostUnsent {
		r.LostAt(e.t.Scheduled, e.class, e.cause, 1)
		return
	}
	r.Sent(Timing{Scheduled: e.t.Scheduled, Written: e.t.Written}, e.behind)
	r.SentBytes(e.class, e.size)
	if e.outcome == outLostSent {
		r.LostAt(e.t.Written, e.class, e.cause, 1)
		return
	}
	if e.mismatch {
		r.Mismatch(e.class, &e.v, verdict.Mismatch{Field: "alertType", Got: string(e.v.AlertType), Want: "something else"},
			[]byte("CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|7|line="+strconv.FormatUint(e.v.Line, 10)))
	}
	r.Verdict(e.class, &e.v, e.t)
	r.DeliveredBytes(e.class, e.size)
}

// feedAll feeds events to r.
func feedAll(r *Recorder, events []sampleEvent) {
	for i := range events {
		events[i].feed(r)
	}
}
