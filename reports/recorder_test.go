package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
)

var testStart = time.Date(2025, 6, 11, 2, 52, 44, 250_000_000, time.UTC)

func alert(typ string, th *verdict.Threat) *verdict.Verdict {
	return &verdict.Verdict{Feed: verdict.FeedWeb, Stage: verdict.StagePlatform, Kind: verdict.KindAlert, AlertType: []byte(typ), Threat: th}
}

func drop(st verdict.Stage, r verdict.Reason, d verdict.Detail) *verdict.Verdict {
	return &verdict.Verdict{Stage: st, Kind: verdict.KindDropped, Reason: r, Detail: d}
}

func TestRecorderAccounting(t *testing.T) {
	ms := func(n int64) int64 { return n * int64(time.Millisecond) }
	tm := Timing{Scheduled: ms(1), Written: ms(2), Received: ms(3), Decided: ms(4)}
	type step func(r *Recorder)
	offer := func(r *Recorder) { r.Offered(ms(1)); r.Sent(Timing{Scheduled: ms(1), Written: ms(2)}, false) }
	tests := []struct {
		name     string
		steps    []step
		counts   Counts
		balanced bool
		alerts   []AlertCount
		drops    []DropCount
		lost     []LostCount
	}{
		{name: "empty", balanced: true, alerts: []AlertCount{}, drops: []DropCount{}, lost: []LostCount{}},
		{
			name: "mapped and unmapped alerts",
			steps: []step{
				offer, func(r *Recorder) { r.Verdict(0, alert("Malware block: malicious file", threatMalware), tm) },
				offer, func(r *Recorder) { r.Verdict(0, alert("Malware block: malicious file", threatMalware), tm) },
				offer, func(r *Recorder) { r.Verdict(1, alert("Virus block", nil), tm) },
			},
			counts:   Counts{Offered: 3, Sent: 3, Verdicts: 3, Alerts: 3, Mapped: 2, Unmapped: 1},
			balanced: true,
			alerts: []AlertCount{
				{AlertType: "Malware block: malicious file", Mapped: true, ThreatID: "T1204.002", ThreatName: "Malicious File", Count: 2},
				{AlertType: "Virus block", Count: 1},
			},
			drops: []DropCount{}, lost: []LostCount{},
		},
		{
			name: "drops in pipeline order with details",
			steps: []step{
				offer, func(r *Recorder) { r.Verdict(3, drop(verdict.StagePlatform, verdict.ReasonDefaultAllow, 0), tm) },
				offer, func(r *Recorder) {
					r.Verdict(5, drop(verdict.StageCollector, verdict.ReasonMalformed, verdict.DetailTruncated), tm)
				},
				offer, func(r *Recorder) {
					r.Verdict(5, drop(verdict.StageCollector, verdict.ReasonMalformed, verdict.DetailBadHeader), tm)
				},
				offer, func(r *Recorder) {
					r.Verdict(5, drop(verdict.StageCollector, verdict.ReasonMalformed, verdict.DetailBadHeader), tm)
				},
			},
			counts:   Counts{Offered: 4, Sent: 4, Verdicts: 4, Dropped: 4},
			balanced: true,
			alerts:   []AlertCount{},
			drops: []DropCount{
				{Stage: "collector", Reason: "malformed", Detail: "bad_header", Count: 2},
				{Stage: "collector", Reason: "malformed", Detail: "truncated", Count: 1},
				{Stage: "platform", Reason: "default_allow", Count: 1},
			},
			lost: []LostCount{},
		},
		{
			name: "lost with causes, behind schedule",
			steps: []step{
				func(r *Recorder) { r.Offered(0); r.Offered(0); r.Offered(0) },
				func(r *Recorder) { r.Sent(Timing{Written: ms(9)}, true) },
				func(r *Recorder) { r.Lost(2, "send_error", 2) },
				func(r *Recorder) { r.Lost(2, "interrupted", 1) },
			},
			counts:   Counts{Offered: 3, Sent: 1, Behind: 1, Lost: 3},
			balanced: true,
			alerts:   []AlertCount{}, drops: []DropCount{},
			lost: []LostCount{{Cause: "send_error", Count: 2}, {Cause: "interrupted", Count: 1}},
		},
		{
			name:   "unbalanced: a verdict too few",
			steps:  []step{offer, offer, func(r *Recorder) { r.Verdict(0, alert("x", nil), tm) }},
			counts: Counts{Offered: 2, Sent: 2, Verdicts: 1, Alerts: 1, Unmapped: 1},
			alerts: []AlertCount{{AlertType: "x", Count: 1}}, drops: []DropCount{}, lost: []LostCount{},
		},
		{
			name:   "unbalanced: an invalid verdict",
			steps:  []step{offer, func(r *Recorder) { r.Verdict(0, &verdict.Verdict{}, tm) }},
			counts: Counts{Offered: 1, Sent: 1, Verdicts: 1, Invalid: 1},
			alerts: []AlertCount{}, drops: []DropCount{}, lost: []LostCount{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
			for _, s := range tt.steps {
				s(r)
			}
			rep := r.Report(Meta{Duration: time.Second})
			if rep.Counts != tt.counts {
				t.Errorf("Counts = %+v; want %+v", rep.Counts, tt.counts)
			}
			if got := rep.Balanced(); got != tt.balanced {
				t.Errorf("Balanced() = %v; want %v", got, tt.balanced)
			}
			if !reflect.DeepEqual(rep.Alerts, tt.alerts) {
				t.Errorf("Alerts = %+v; want %+v", rep.Alerts, tt.alerts)
			}
			if !reflect.DeepEqual(rep.Drops, tt.drops) {
				t.Errorf("Drops = %+v; want %+v", rep.Drops, tt.drops)
			}
			if !reflect.DeepEqual(rep.Lost, tt.lost) {
				t.Errorf("Lost = %+v; want %+v", rep.Lost, tt.lost)
			}
			var sum ClassCounts
			for _, c := range rep.Classes {
				sum.add(&c)
			}
			if sum.Alerts != rep.Counts.Alerts || sum.Dropped != rep.Counts.Dropped || sum.Lost != rep.Counts.Lost || sum.Checked != rep.Counts.Verdicts {
				t.Errorf("classes sum to %+v; counts are %+v", sum, rep.Counts)
			}
		})
	}
}

func TestRecorderClasses(t *testing.T) {
	r := NewRecorder(RecorderConfig{Classes: []string{"a", "b"}, Start: testStart, Unchecked: true})
	r.Verdict(1, alert("x", nil), Timing{})
	r.Verdict(3, drop(verdict.StageCollector, verdict.ReasonMalformed, verdict.DetailOversize), Timing{})
	r.Lost(0, "udp_overrun", 4)
	got := r.Report(Meta{}).Classes
	want := []ClassCounts{
		{Name: "a", Lost: 4},
		{Name: "b", Alerts: 1, Unmapped: 1},
		{Name: "class 2"},
		{Name: "class 3", Dropped: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Classes = %+v; want %+v", got, want)
	}
}

func TestRecorderLatency(t *testing.T) {
	r := NewRecorder(RecorderConfig{Start: testStart})
	// 100 events: send lag i µs, wire 1 ms, pipeline 10 µs·i.
	for i := int64(1); i <= 100; i++ {
		sched := i * int64(time.Millisecond)
		tm := Timing{Scheduled: sched, Written: sched + i*1000, Received: sched + i*1000 + 1e6}
		tm.Decided = tm.Received + i*10_000
		r.Offered(sched)
		r.Sent(tm, false)
		r.Verdict(0, alert("x", nil), tm)
	}
	r.Sent(Timing{Scheduled: 5}, false) // Written not taken: no send lag sample
	r.Verdict(0, alert("x", nil), Timing{Scheduled: 1, Written: 2})
	rep := r.Report(Meta{})
	within := func(got, want time.Duration) bool { // HDR: 3 significant digits
		d := got - want
		return d >= 0 && float64(d) <= float64(want)*0.001+1
	}
	tests := []struct {
		stage    LatencyStage
		count    uint64
		p50, max time.Duration
	}{
		{SendLag, 100, 50 * time.Microsecond, 100 * time.Microsecond},
		{Wire, 100, time.Millisecond, time.Millisecond},
		{Pipeline, 100, 500 * time.Microsecond, time.Millisecond},
		{EndToEnd, 100, 1550 * time.Microsecond, 2100 * time.Microsecond},
	}
	for _, tt := range tests {
		l := rep.Stage(tt.stage)
		if l == nil {
			t.Fatalf("Stage(%v) = nil", tt.stage)
		}
		if l.Count != tt.count || !within(l.P50, tt.p50) || !within(l.Max, tt.max) {
			t.Errorf("%v: count %d p50 %v max %v; want %d, %v, %v", tt.stage, l.Count, l.P50, l.Max, tt.count, tt.p50, tt.max)
		}
		if !(l.Min <= l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.P999 && l.P999 <= l.Max) {
			t.Errorf("%v: percentiles out of order: %+v", tt.stage, l)
		}
		if q, err := l.Quantile(50); err != nil || q != l.P50 {
			t.Errorf("%v: Quantile(50) = %v, %v; want %v", tt.stage, q, err, l.P50)
		}
	}
}

func TestRecorderLatencyClamps(t *testing.T) {
	r := NewRecorder(RecorderConfig{Start: testStart})
	r.Verdict(0, alert("x", nil), Timing{Scheduled: 10, Written: 5, Received: 4, Decided: 3})                   // clocks disagree: 0
	r.Verdict(0, alert("x", nil), Timing{Scheduled: 0, Written: 1, Received: 2, Decided: 2 * int64(time.Hour)}) // over the range
	l := r.Report(Meta{}).Stage(EndToEnd)
	if l.Count != 2 || l.Min != 0 || l.Max < time.Hour || l.Max > time.Hour+time.Hour/1000 {
		t.Errorf("e2e = count %d min %v max %v; want 2, 0, ~1h", l.Count, l.Min, l.Max)
	}
}

func TestRecorderTimeline(t *testing.T) {
	s := int64(time.Second)
	r := NewRecorder(RecorderConfig{Start: testStart}) // Start is .25 s past its second
	r.Offered(0)                                       // second +0
	r.Offered(s - s/4 - 1)                             // still second +0
	r.Offered(s - s/4)                                 // second +1
	r.Sent(Timing{Scheduled: 0, Written: s}, true)     // second +1
	r.Verdict(0, alert("x", nil), Timing{Scheduled: 0, Written: s, Received: s, Decided: 3*s - 1})
	r.LostAt(4*s, 0, "interrupted", 2) // second +4
	r.Lost(0, "drain", 1)              // the latest second: +4
	r.Offered(-5)                      // before start: second +0
	tl := r.Report(Meta{}).Timeline
	base := testStart.Unix()
	want := []Second{
		{Unix: base, Offered: 3, E2E: [][2]uint64{}},
		{Unix: base + 1, Offered: 1, Sent: 1, Behind: 1, E2E: [][2]uint64{}},
		{Unix: base + 3, Verdicts: 1, P50: coarseUpper(coarseIndex(3*s - 1)), P99: coarseUpper(coarseIndex(3*s - 1)),
			E2E: [][2]uint64{{uint64(coarseIndex(3*s - 1)), 1}}},
		{Unix: base + 4, Lost: 3, E2E: [][2]uint64{}},
	}
	if !reflect.DeepEqual(tl, want) {
		t.Errorf("Timeline =\n%+v\nwant\n%+v", tl, want)
	}
}

func TestRecorderTimelineSkipsEmptyAndCaps(t *testing.T) {
	r := NewRecorder(RecorderConfig{Start: testStart})
	r.Offered(5 * int64(time.Second))
	r.Offered(1 << 62) // absurd: counted in the last second the timeline keeps
	tl := r.Report(Meta{}).Timeline
	if len(tl) != 2 || tl[0].Unix != testStart.Unix()+5 || tl[1].Unix != testStart.Unix()+maxTimelineSeconds-1 {
		t.Fatalf("timeline = %+v; want seconds +5 and +%d", tl, maxTimelineSeconds-1)
	}
	if tl[0].Offered != 1 || tl[1].Offered != 1 {
		t.Errorf("offered per second: %d, %d; want 1, 1", tl[0].Offered, tl[1].Offered)
	}
}

func TestRecorderMismatchExamples(t *testing.T) {
	long := bytes.Repeat([]byte("x"), 2000)
	long[0], long[len(long)-1] = 'H', 'T'
	r := NewRecorder(RecorderConfig{Classes: []string{"c"}, Start: testStart, MaxExamples: 2})
	v := alert("a", nil)
	v.RecordID, v.Line = []byte("42"), 7
	m := verdict.Mismatch{Field: "alertType", Got: "a", Want: "b"}
	r.Mismatch(0, v, m, long)
	v.RecordID[0] = '9' // the recorder copied it
	r.Mismatch(0, nil, m, []byte("short"))
	r.Mismatch(0, v, m, []byte("third: not kept"))
	cf := r.Report(Meta{}).Conformance
	if cf.Mismatches != 3 || cf.MaxExamples != 2 || len(cf.Examples) != 2 {
		t.Fatalf("conformance = %d mismatches, max %d, %d examples; want 3, 2, 2", cf.Mismatches, cf.MaxExamples, len(cf.Examples))
	}
	ex := cf.Examples[0]
	if ex.RecordID != "42" || ex.Line != 7 || ex.Class != "c" || ex.Field != "alertType" || ex.Got != "a" || ex.Want != "b" {
		t.Errorf("example 0 = %+v", ex)
	}
	if len(ex.Input) != MaxExampleInput || !strings.HasPrefix(ex.Input, "H") || !strings.HasSuffix(ex.Input, "T") || !strings.Contains(ex.Input, "…") {
		t.Errorf("clipped input: %d bytes %q…", len(ex.Input), ex.Input[:10])
	}
	if cf.Examples[1].Input != "short" || cf.Examples[1].RecordID != "" {
		t.Errorf("example 1 = %+v", cf.Examples[1])
	}
	none := NewRecorder(RecorderConfig{MaxExamples: -1})
	none.Mismatch(0, v, m, nil)
	if got := none.Report(Meta{}).Conformance; got.Mismatches != 1 || len(got.Examples) != 0 {
		t.Errorf("MaxExamples -1: %+v", got)
	}
}

func TestRecorderVerdictAllocs(t *testing.T) {
	r := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
	events := sampleStream(1, 2000, 100*time.Microsecond) // 0.2 s: one timeline second
	feedAll(r, events)                                    // warm: every class, alert type, reason, cause
	for _, e := range events[:100] {
		if e.outcome != outVerdict {
			continue
		}
		allocs := testing.AllocsPerRun(100, func() { r.Verdict(e.class, &e.v, e.t) })
		if allocs != 0 {
			t.Fatalf("Verdict(%s) allocates %v times; want 0", e.v.AppendJSON(nil), allocs)
		}
	}
	for name, f := range map[string]func(){
		"Offered": func() { r.Offered(10) },
		"Sent":    func() { r.Sent(events[0].t, true) },
		"Lost":    func() { r.Lost(1, "send_error", 1) },
		"LostAt":  func() { r.LostAt(10, 1, "connection_reset", 1) },
	} {
		if allocs := testing.AllocsPerRun(100, f); allocs != 0 {
			t.Errorf("%s allocates %v times; want 0", name, allocs)
		}
	}
}

func TestRecorderMergeErrors(t *testing.T) {
	r := NewRecorder(RecorderConfig{})
	if err := r.Merge(nil); err == nil {
		t.Error("Merge(nil) = nil; want an error")
	}
	if err := r.Merge(r); err == nil {
		t.Error("Merge(itself) = nil; want an error")
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 10, ""},
		{"abcdefghij", 10, "abcdefghij"},
		{"abcdefghijk", 10, "abc…hijk"}, // "…" is 3 bytes: 3 head + 4 tail
	}
	for _, tt := range tests {
		if got := clip([]byte(tt.in), tt.n); got != tt.want || len(got) > tt.n {
			t.Errorf("clip(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
