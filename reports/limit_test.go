package reports_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

// lagReport records n events one per millisecond, each sent send late (behind when more than 10ms)
// and received wire after it was written; verdicts end drainFor after the last send.
func lagReport(n int, send, wire, drainFor time.Duration) *reports.Report {
	r := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"c"}, Feeds: []string{"web"}, Start: time.Unix(1000, 0)})
	v := verdict.Verdict{Kind: verdict.KindDropped, Stage: verdict.StageCollector, Reason: verdict.ReasonAllowedTraffic}
	for i := range n {
		sched := int64(i) * int64(time.Millisecond)
		t := reports.Timing{Scheduled: sched, Written: sched + int64(send)}
		t.Received = t.Written + int64(wire)
		t.Decided = t.Received + 1000
		if i == n-1 {
			t.Decided += int64(drainFor)
		}
		r.Offered(sched)
		r.Sent(t, send > 10*time.Millisecond)
		r.SentBytes(0, 100)
		r.Verdict(0, &v, t)
		r.DeliveredBytes(0, 100)
	}
	return r.Report(reports.Meta{Duration: time.Duration(n)*time.Millisecond + send + wire + drainFor, OfferedRate: 1000})
}

// TestLimitedBy checks each case of the limit rule on reports built to meet it.
func TestLimitedBy(t *testing.T) {
	saturated := func(self bool) func(*reports.Report) {
		return func(r *reports.Report) {
			r.Target = reports.NewTarget(reports.TargetUsage{PID: 1, Self: self, Samples: 10, Cores: 2, CPU: reports.CPUCores{Mean: 1.85}, CPUSeconds: 3}, 1, 1)
		}
	}
	for _, tt := range []struct {
		name            string
		send, wire, end time.Duration
		edit            func(*reports.Report)
		want            string
		why             string
	}{
		{"sustained", 100 * time.Microsecond, 200 * time.Microsecond, 0, nil, reports.LimitNone, "this run does not measure capacity, see sweep"},
		{"jitter", 20 * time.Millisecond, 15 * time.Millisecond, 0, nil, reports.LimitNone, "sustained"},
		{"sender starved", 80 * time.Millisecond, 300 * time.Microsecond, 0, nil, reports.LimitSender, "the generator fell behind while the collector kept reading"},
		{"sender starved, a loaded path", 2 * time.Second, 40 * time.Millisecond, 0, nil, reports.LimitSender, "kept reading"},
		{"backpressure, lags track", 80 * time.Millisecond, 45 * time.Millisecond, 0, nil, reports.LimitCollector, "backpressure"},
		{"backpressure, long overload", 10 * time.Second, 800 * time.Millisecond, 0, nil, reports.LimitCollector, "backpressure"},
		{"collector drained late", 100 * time.Microsecond, 200 * time.Microsecond, 3 * time.Second, nil, reports.LimitCollector, "verdicts went on 3.00s after the last send"},
		{"target saturated", 100 * time.Microsecond, 200 * time.Microsecond, 0, saturated(false), reports.LimitCollector, "mean 1.85 cores ≥ 0.9 × 2 cores"},
		{"nssbench itself saturated", 100 * time.Microsecond, 200 * time.Microsecond, 0, saturated(true), reports.LimitNone, "sustained"},
		{"no wire figures", 80 * time.Millisecond, 0, 0, func(r *reports.Report) {
			for i := range r.Latency {
				if r.Latency[i].Stage != "send" {
					r.Latency[i] = reports.StageLatency{Stage: r.Latency[i].Stage}
				}
			}
		}, reports.LimitUnknown, "no wire or end-to-end latency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := lagReport(2000, tt.send, tt.wire, tt.end)
			if tt.edit != nil {
				tt.edit(r)
			}
			l := r.LimitedBy()
			if l.By != tt.want || !strings.Contains(l.Why, tt.why) {
				t.Errorf("LimitedBy = %s (%s); want %s (…%s…)\n%s", l.By, l.Why, tt.want, tt.why, l.Figures())
			}
			if !strings.HasPrefix(l.Line(), "limited by: "+tt.want+" (") {
				t.Errorf("Line = %q", l.Line())
			}
			if tt.send > 10*time.Millisecond && (l.Behind != 2000 || l.BehindRatio != 1 || l.SendP99 < tt.send) {
				t.Errorf("figures %+v; want 2000 behind of 2000 and send p99 ≥ %v", l, tt.send)
			}
		})
	}
}

// TestLimitedBySink: a standalone sink's report saw arrivals, not sends: its limit reads no send
// figures, says none only when the records arrived in time, collector when they went on arriving long
// after the last was due, and unknown otherwise.
func TestLimitedBySink(t *testing.T) {
	for _, tt := range []struct {
		name            string
		send, wire, end time.Duration
		want, why       string
	}{
		{"in time", 100 * time.Microsecond, 200 * time.Microsecond, 0, reports.LimitNone, "e2e p99 under 50.0ms"},
		{"late", 80 * time.Millisecond, 300 * time.Microsecond, 0, reports.LimitUnknown, "the shards' reports say"},
		{"drained late", 100 * time.Microsecond, 200 * time.Microsecond, 3 * time.Second, reports.LimitCollector, "went on arriving 3.00s after the last was due"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := lagReport(2000, tt.send, tt.wire, tt.end)
			r.Meta.TargetKind = reports.TargetSink
			for i := range r.Timeline { // a sink saw no sends
				r.Timeline[i].Sent = 0
			}
			l := r.LimitedBy()
			if l.By != tt.want || !strings.Contains(l.Why, tt.why) {
				t.Errorf("LimitedBy = %s (%s); want %s (…%s…)\n%s", l.By, l.Why, tt.want, tt.why, l.Figures())
			}
			if !l.Sink || l.Behind != 0 || l.Backlog != 0 || l.SentRate != 0 || l.WireFrom != "e2e" || l.WireP99 < tt.send+tt.wire {
				t.Errorf("figures %+v; want the send side zero and the e2e p99 ≥ %v", l, tt.send+tt.wire)
			}
			if f := l.Figures(); !strings.HasPrefix(f, "send side not observed") || strings.Contains(f, "behind schedule") || strings.Contains(f, "sent ") {
				t.Errorf("Figures = %q; want no send figures", f)
			}
		})
	}
}

// TestVerdictLine checks PASS, FAIL with the failed gates counted, and INTERRUPTED.
func TestVerdictLine(t *testing.T) {
	r := lagReport(10, 0, 0, 0)
	if got := r.VerdictLine(); got != "PASS" {
		t.Errorf("VerdictLine = %q; want PASS", got)
	}
	r.Thresholds = []reports.ThresholdResult{{Expr: "lost==0", Pass: false}, {Expr: "p99<5ms", Pass: false}, {Expr: "sent>0", Pass: true}}
	r.Conformance.Checked = 10
	if got, want := r.VerdictLine(), "FAIL: 2 of 5 gates (lost==0, p99<5ms)"; got != want {
		t.Errorf("VerdictLine = %q; want %q", got, want)
	}
	r.Conformance.Mismatches = 3
	r.Counts.Lost++ // no longer balanced
	if got, want := r.VerdictLine(), "FAIL: 4 of 5 gates (lost==0, p99<5ms, conformance (3 mismatches), balance)"; got != want {
		t.Errorf("VerdictLine = %q; want %q", got, want)
	}
	r.Meta.Interrupted = true
	if got := r.VerdictLine(); got != "INTERRUPTED" {
		t.Errorf("VerdictLine = %q; want INTERRUPTED", got)
	}
}

// TestBytes checks the volume section's figures and the GB/day conversion.
func TestBytes(t *testing.T) {
	if got := reports.GBPerDay(1e9 / 86400.0); math.Abs(got-1) > 1e-12 {
		t.Errorf("GBPerDay(1 GB a day in bytes/s) = %v; want 1", got)
	}
	if got := reports.GBPerDay(50e6 / 86400 * 1000); math.Abs(got-50) > 1e-9 {
		t.Errorf("GBPerDay = %v; want 50", got)
	}
	r := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"a", "b", "c"}, Feeds: []string{"web", "dns", "web"}})
	for i := range 300 {
		c := uint16(i % 3)
		r.SentBytes(c, 100+int(c)*10)
		if i%10 != 0 {
			r.DeliveredBytes(c, 100+int(c)*10)
		}
	}
	rep := r.Report(reports.Meta{Duration: 10 * time.Second})
	b := rep.Bytes
	if b.Sent != 100*(100+110+120) || b.SentEvents != 300 || b.DeliveredEvents != 270 || b.MeanEventSize != 110 {
		t.Errorf("totals %+v", b.ByteCounts)
	}
	if b.SentPerSecond != float64(b.Sent)/10 || b.SentGBPerDay != float64(b.Sent)/10*86400/1e9 {
		t.Errorf("rates %+v", b.ByteCounts)
	}
	if len(b.Feeds) != 2 || b.Feeds[0].Feed != "web" || b.Feeds[0].Sent != 100*(100+120) || b.Feeds[1].Feed != "dns" || b.Feeds[1].Sent != 100*110 {
		t.Errorf("feeds %+v", b.Feeds)
	}
	// Merged shards add their bytes exactly.
	m, err := reports.Merge(rep, rep)
	if err != nil {
		t.Fatal(err)
	}
	if m.Bytes.Sent != 2*b.Sent || m.Bytes.Feeds[1].Delivered != 2*b.Feeds[1].Delivered {
		t.Errorf("merged bytes %+v; want twice %+v", m.Bytes, b)
	}
}

// TestMergeTargets checks that shards' targets add up, and that a merge of one report keeps its target.
func TestMergeTargets(t *testing.T) {
	a, b := lagReport(10, 0, 0, 0), lagReport(10, 0, 0, 0)
	a.Meta.Started, b.Meta.Started = time.Unix(1000, 0), time.Unix(1000, 0)
	a.Target = reports.NewTarget(madeUpUsage(), 100, 1000)
	u := madeUpUsage()
	u.PID, u.Command = 99, "vector"
	b.Target = reports.NewTarget(u, 300, 3000)
	m, err := reports.Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	tg := m.Target
	if tg == nil || tg.CPU.Mean != 0.84 || tg.CPUSeconds != 25.2 || tg.RSSMax != 94<<20 || tg.Events != 400 || tg.Bytes != 4000 ||
		tg.Command != "syslog-ng + vector" || tg.PID != 0 || len(tg.Timeline) != 0 || !strings.Contains(tg.Note, "the sum of 2 of 2 shards") {
		t.Errorf("merged target %+v", tg)
	}
	if math.Abs(tg.EventsPerCPUSecond-400/25.2) > 1e-9 {
		t.Errorf("events per CPU-second %v; want %v", tg.EventsPerCPUSecond, 400/25.2)
	}
	one, err := reports.Merge(a)
	if err != nil {
		t.Fatal(err)
	}
	if one.Target == nil || one.Target.PID != 4242 || len(one.Target.Timeline) != 2 {
		t.Errorf("merge of one report: target %+v", one.Target)
	}
	// One shard's target exited early, the other's figures are those sent: the fleet's are both.
	if tg.Partial || tg.Sent {
		t.Errorf("merged target: partial %v, sent %v; want neither", tg.Partial, tg.Sent)
	}
	b.Target.Partial, a.Target.Sent = true, true
	if m, err = reports.Merge(a, b); err != nil {
		t.Fatal(err)
	}
	if !m.Target.Partial || !m.Target.Sent {
		t.Errorf("merged target: partial %v, sent %v; want both", m.Target.Partial, m.Target.Sent)
	}
}
