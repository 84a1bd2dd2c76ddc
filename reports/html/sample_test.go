package html_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/threshold"
)

// hostile is untrusted text that breaks out of a <script> element, an attribute or a JS string if it is
// not escaped; if it ever runs, it marks <body data-pwned>.
const hostile = `</script><script>document.body.dataset.pwned="1"</script><img src=x onerror="document.body.dataset.pwned='2'">'"` + "`${x}`"

var sampleStart = time.Date(2025, 6, 11, 2, 52, 44, 0, time.UTC)

var sampleClasses = []string{"web-malware", "web-unmapped", "web-allowed", "fw-default", "fw-rdp", "malformed"}

// sampleFeeds are the feeds of sampleClasses' records.
var sampleFeeds = []string{"web", "web", "web", "firewall", "firewall", "web"}

var (
	threatMalware = &verdict.Threat{ID: "T1204.002", Name: "Malicious File"}
	threatRDP     = &verdict.Threat{ID: "T1021.001", Name: "Remote Desktop Protocol"}
)

// sampleConfig shapes a synthetic run.
type sampleConfig struct {
	seconds int     // length of the schedule
	peak    float64 // events per second after the ramp
	hostile bool    // put hostile text into every untrusted string of the report
}

// sampleReport records a synthetic run from a fixed seed: the rate ramps from peak/4 to peak over the
// first quarter, then holds; at 60% of the run the pipeline stalls for 1.5 s, so a third of the events
// received meanwhile overflow (lost, "udp_overrun") and the rest back up (verdicts late, a latency
// spike) until the backlog drains. About 0.3% of verdicts mismatch their expectation. Thresholds are
// applied; some fail.
func sampleReport(tb testing.TB, cfg sampleConfig) *reports.Report {
	tb.Helper()
	classes := sampleClasses
	alertTypes := []string{"Virus block", "Botnet callback block", "Unknown alert"}
	if cfg.hostile {
		classes = append([]string{}, sampleClasses...)
		classes[1] = "web-unmapped " + hostile
		alertTypes[2] = "Unknown " + hostile
	}
	rec := reports.NewRecorder(reports.RecorderConfig{Classes: classes, Feeds: sampleFeeds, Start: sampleStart, MaxExamples: 4})
	rng := rand.New(rand.NewPCG(1, 0x5eed))
	details := verdict.Details()
	end := float64(cfg.seconds) * 1e9
	stallFrom, stallTo := 0.6*end, 0.6*end+1.5e9
	var v verdict.Verdict
	var backlog float64 // when the platform has decided the events queued by the stall
	line := uint64(0)
	for at := 0.0; at < end; {
		rate := cfg.peak
		if q := end / 4; at < q {
			rate = cfg.peak * (0.25 + 0.75*at/q)
		}
		sched := int64(at)
		at += 1e9 / rate
		line++
		class := uint16(rng.IntN(len(classes)))
		rec.Offered(sched)
		lag := int64(rng.ExpFloat64()*25e3) + 1
		t := reports.Timing{Scheduled: sched, Written: sched + lag}
		t.Received = t.Written + int64(rng.ExpFloat64()*180e3) + 1
		if rng.IntN(400) == 0 {
			rec.LostAt(sched, class, "send_error", 1)
			continue
		}
		rec.Sent(t, lag > 120e3)
		size := 250 + 50*int(class) + int(line%64) // not drawn from rng: the stream stays as it was
		rec.SentBytes(class, size)
		recv := float64(t.Received)
		stalled := recv >= stallFrom && recv < stallTo
		if stalled && rng.IntN(3) == 0 {
			rec.LostAt(t.Written, class, "udp_overrun", 1)
			continue
		}
		decide := recv + rng.ExpFloat64()*45e3 + 1
		if stalled || recv >= stallFrom && recv < backlog {
			// the stalled platform drains its backlog from the stall's end at three times the peak rate
			backlog = max(backlog, stallTo) + 1e9/(3*cfg.peak)
			decide = max(decide, backlog)
		}
		t.Decided = int64(decide)
		if rng.IntN(2000) == 0 {
			t.Decided += int64(rng.IntN(40)) * int64(time.Millisecond)
		}
		if rng.IntN(1500) == 0 {
			rec.LostAt(t.Written, class, "connection_reset", 1)
			continue
		}
		v.Reset()
		v.Line = line
		v.RecordID = strconv.AppendUint(v.RecordID, 1_000_000+line, 10)
		switch class {
		case 0:
			v.Feed, v.Stage, v.Kind, v.Threat = verdict.FeedWeb, verdict.StagePlatform, verdict.KindAlert, threatMalware
			v.AlertType = append(v.AlertType, "Malware block: malicious file"...)
		case 1:
			v.Feed, v.Stage, v.Kind = verdict.FeedWeb, verdict.StagePlatform, verdict.KindAlert
			v.AlertType = append(v.AlertType, alertTypes[rng.IntN(len(alertTypes))]...)
		case 2:
			v.Feed, v.Stage, v.Kind, v.Reason = verdict.FeedWeb, verdict.StageCollector, verdict.KindDropped, verdict.ReasonAllowedTraffic
		case 3:
			v.Feed, v.Stage, v.Kind, v.Reason = verdict.FeedFirewall, verdict.StagePlatform, verdict.KindDropped, verdict.ReasonDefaultAllow
		case 4:
			v.Feed, v.Stage, v.Kind, v.Threat = verdict.FeedFirewall, verdict.StagePlatform, verdict.KindAlert, threatRDP
			v.AlertType = append(v.AlertType, "RDP Allow"...)
		case 5:
			v.Stage, v.Kind, v.Reason = verdict.StageCollector, verdict.KindDropped, verdict.ReasonMalformed
			v.Detail = details[rng.IntN(len(details))]
		}
		if rng.IntN(300) == 0 {
			input := "CEF:0|Zscaler|NSSWeblog|5.7|Blocked|" + string(v.AlertType) + "|7|act=Blocked reason=Malware line=" + strconv.FormatUint(line, 10)
			if cfg.hostile {
				input += " " + hostile
			}
			rec.Mismatch(class, &v, verdict.Mismatch{Field: "alertType", Got: string(v.AlertType), Want: "Malware block: " + strconv.Itoa(int(class))}, []byte(input))
		}
		rec.Verdict(class, &v, t)
		rec.DeliveredBytes(class, size)
	}
	scenario := "web-and-firewall-mix"
	if cfg.hostile {
		scenario += " " + hostile
	}
	rep := rec.Report(reports.Meta{
		Scenario: scenario, Description: "ramp to peak, then a 1.5 s collector stall", Seed: 1,
		Pacer:       "Linear{" + strconv.FormatFloat(cfg.peak/4, 'f', 0, 64) + "/s → " + strconv.FormatFloat(cfg.peak, 'f', 0, 64) + "/s}",
		OfferedRate: cfg.peak, Duration: time.Duration(cfg.seconds) * time.Second, Target: "embedded 127.0.0.1:6514",
		Transport: "tcp", Connections: 2, Version: "v0.0.0-test", GoVersion: "go1.26", Machine: "linux/amd64, 2 CPUs, test",
		Started: sampleStart,
	})
	rep.Target = reports.NewTarget(sampleUsage(cfg.seconds), rep.Bytes.DeliveredEvents, rep.Bytes.Delivered)
	var ts threshold.List
	for _, expr := range []string{"p99<5ms", "e2e.p99.9<50ms", "lost==0", "achieved>=0.95*offered", "mismatches==0", "wire.p50<1ms", "target.cpu<0.5", "target.rss<64MiB"} {
		if err := ts.Set(expr); err != nil {
			tb.Fatal(err)
		}
	}
	threshold.Apply(rep, ts...)
	if !rep.Balanced() {
		tb.Fatalf("sample report is not balanced: %+v", rep.Counts)
	}
	if math.IsNaN(rep.Rates.Achieved) {
		tb.Fatal("sample report has no rate")
	}
	return rep
}

// sampleUsage is a sampled collector process over seconds: CPU follows the ramp, then peaks in the
// stall's drain; RSS grows by 8 MiB in the stall.
func sampleUsage(seconds int) reports.TargetUsage {
	u := reports.TargetUsage{PID: 4242, Command: "syslog-ng", Interval: 100 * time.Millisecond, Window: time.Second,
		Elapsed: time.Duration(seconds) * time.Second, Samples: 10*seconds + 1, Processes: 1, Cores: 2, Timeline: []reports.TargetPoint{}}
	var cpuSum float64
	for i := 1; i <= 4*seconds; i++ {
		at := time.Duration(i) * 250 * time.Millisecond
		f := at.Seconds() / float64(seconds)
		cpu := 0.1 + 0.3*min(1, 4*f)
		rss := uint64(40 << 20)
		if f >= 0.6 && f < 0.8 {
			cpu, rss = 0.9, 48<<20
		}
		cpuSum += cpu * 0.25
		u.CPU.Max = max(u.CPU.Max, cpu)
		u.RSSMax = max(u.RSSMax, rss)
		u.Timeline = append(u.Timeline, reports.TargetPoint{At: at, CPU: cpu, RSS: rss})
	}
	u.CPUSeconds = cpuSum
	u.CPU.Mean = cpuSum / float64(seconds)
	u.CPU.P99 = 0.9
	u.RSSMean = 42 << 20
	return u
}

// deliveryReport is a run against an external collector. Observed: the 3 s sample, its alerts delivered to
// a sink, with a few duplicates, reorderings and strays. Not observed: 200 records offered, 199 sent and
// their fate unknown, 1 lost before it was sent.
func deliveryReport(tb testing.TB, observed bool) *reports.Report {
	tb.Helper()
	if observed {
		rep := sampleReport(tb, sampleConfig{seconds: 3, peak: 200})
		rep.Delivery = &reports.Delivery{Observed: true, Sink: "tcp://127.0.0.1:5515", Expect: "verdicts", Delivered: rep.Counts.Alerts,
			Duplicates: 12, Reordered: 3, Unattributed: 4, Foreign: 5, Reconnects: 1, AtRisk: 6, Resent: 12,
			Note: "records at risk were re-sent from the duplicate window"}
		return rep
	}
	rec := reports.NewRecorder(reports.RecorderConfig{Classes: sampleClasses, Start: sampleStart})
	for i := int64(0); i < 200; i++ {
		sched := i * int64(5*time.Millisecond)
		rec.Offered(sched)
		if i == 100 {
			rec.LostAt(sched, 0, "send_error", 1)
			continue
		}
		rec.Sent(reports.Timing{Scheduled: sched, Written: sched + 30_000}, false)
	}
	rep := rec.Report(reports.Meta{Scenario: "external-unobserved", Pacer: "Constant{200/s}", OfferedRate: 200, Duration: time.Second,
		Target: "tcp://127.0.0.1:5514", Transport: "tcp", Connections: 1, Started: sampleStart})
	rep.Delivery = &reports.Delivery{Unobserved: 199, Reconnects: 2, AtRisk: 7, Resent: 0, Note: "no sink: only the sender's side is known"}
	if !rep.Accounted() {
		tb.Fatalf("unobserved sample report is not accounted for: %+v, %+v", rep.Counts, rep.Delivery)
	}
	return rep
}
