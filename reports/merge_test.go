package reports

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var testMeta = Meta{
	Scenario: "merge", Seed: 7, Pacer: "Constant{5000/s}", OfferedRate: 5000, Duration: 4 * time.Second,
	Target: "embedded", Transport: "tcp", Connections: 1, Version: "test", GoVersion: "go1.26", Machine: "test",
	Started: testStart,
}

// TestMergeProperty: K recorders each fed a contiguous slice of one random stream merge into exactly the
// report of one recorder fed the whole stream: accounting, histograms, percentiles, timeline, examples.
func TestMergeProperty(t *testing.T) {
	events := sampleStream(42, 10000, 400*time.Microsecond) // 4 s at 2500/s
	whole := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
	feedAll(whole, events)
	want := whole.Report(testMeta)
	if !want.Balanced() || want.Counts.Lost == 0 || want.Conformance.Mismatches == 0 || len(want.Timeline) != 5 {
		t.Fatalf("sample stream too tame: %+v, %d seconds", want.Counts, len(want.Timeline))
	}
	for _, k := range []int{1, 2, 3, 7} {
		shards := make([]*Recorder, k)
		for i := range shards {
			shards[i] = NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
			feedAll(shards[i], events[i*len(events)/k:(i+1)*len(events)/k])
		}
		merged := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
		for _, s := range shards {
			if err := merged.Merge(s); err != nil {
				t.Fatal(err)
			}
		}
		if got := merged.Report(testMeta); !reflect.DeepEqual(got, want) {
			t.Errorf("k=%d: merged recorders differ from one recorder:\n%s", k, diffReports(got, want))
		}

		reps := make([]*Report, k)
		for i, s := range shards {
			reps[i] = s.Report(testMeta)
		}
		got, err := Merge(reps...)
		if err != nil {
			t.Fatal(err)
		}
		// Merge sums the shards' offered rates and connections into its meta; the rest must match.
		if wantMerged := merged.Report(got.Meta); !reflect.DeepEqual(got, wantMerged) {
			t.Errorf("k=%d: Merge(reports) differs from the merged recorders' report:\n%s", k, diffReports(got, wantMerged))
		}
		for _, st := range LatencyStages() {
			if g, w := got.Stage(st), want.Stage(st); g.P99 != w.P99 || g.P999 != w.P999 || g.Count != w.Count {
				t.Errorf("k=%d: %v p99 %v p99.9 %v count %d; want %v %v %d", k, st, g.P99, g.P999, g.Count, w.P99, w.P999, w.Count)
			}
		}
		if got.Counts != want.Counts {
			t.Errorf("k=%d: Counts = %+v; want %+v", k, got.Counts, want.Counts)
		}
	}
}

// diffReports names the top-level fields in which two reports differ.
func diffReports(a, b *Report) string {
	var out []string
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	for i := 0; i < va.NumField(); i++ {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, va.Type().Field(i).Name)
		}
	}
	return "fields differ: " + strings.Join(out, ", ")
}

// TestMergeAlignsTimelines: shards that started at different wall-clock times line their seconds up.
func TestMergeAlignsTimelines(t *testing.T) {
	events := sampleStream(3, 6000, 500*time.Microsecond) // 3 s
	whole := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
	feedAll(whole, events)

	// Shard B starts 1.4 s after A and sees the second half: its times are relative to its own start.
	startB := testStart.Add(1400 * time.Millisecond)
	shift := int64(1400 * time.Millisecond)
	a := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: testStart})
	b := NewRecorder(RecorderConfig{Classes: sampleClasses, Start: startB})
	half := len(events) / 2
	feedAll(a, events[:half])
	for _, e := range events[half:] {
		e.t = Timing{Scheduled: e.t.Scheduled - shift, Written: e.t.Written - shift, Received: e.t.Received - shift, Decided: e.t.Decided - shift}
		e.feed(b)
	}
	for _, order := range [][2]*Recorder{{a, b}, {b, a}} {
		reps := []*Report{order[0].Report(testMeta), order[1].Report(testMeta)}
		reps[1].Meta.Started = startB
		got, err := Merge(reps...)
		if err != nil {
			t.Fatal(err)
		}
		want := whole.Report(testMeta).Timeline
		if !reflect.DeepEqual(got.Timeline, want) {
			t.Errorf("merged timeline:\n%+v\nwant\n%+v", got.Timeline, want)
		}
	}
}

func TestMergeMeta(t *testing.T) {
	a, b := testMeta, testMeta
	b.Started = testStart.Add(time.Second)
	b.Duration = 5 * time.Second
	b.Target = "10.0.0.2:514"
	b.Interrupted = true
	a.ShardIndex, a.ShardCount = 0, 2
	b.ShardIndex, b.ShardCount = 1, 2
	ra := NewRecorder(RecorderConfig{Start: a.Started}).Report(a)
	rb := NewRecorder(RecorderConfig{Start: b.Started}).Report(b)
	got, err := Merge(ra, rb)
	if err != nil {
		t.Fatal(err)
	}
	m := got.Meta
	if !m.Started.Equal(testStart) || m.Duration != 6*time.Second || m.OfferedRate != 10000 || m.Connections != 2 ||
		!m.Interrupted || m.Seed != 7 || m.Target != "embedded + 10.0.0.2:514" || m.Scenario != "merge" || m.ShardCount != 0 {
		t.Errorf("merged meta = %+v", m)
	}
}

func TestMergeErrors(t *testing.T) {
	good := NewRecorder(RecorderConfig{Start: testStart}).Report(testMeta)
	tests := []struct {
		name string
		rs   []*Report
		want string
	}{
		{"none", nil, "no reports"},
		{"nil report", []*Report{good, nil}, "report 1 is nil"},
		{"bad histogram", []*Report{withReport(good, func(r *Report) { r.Latency[0].Histogram = "!!" })}, "send latency"},
		{"bad stage", []*Report{withReport(good, func(r *Report) { r.Latency[0].Stage = "warp" })}, "unknown latency stage"},
		{"count disagrees", []*Report{withReport(good, func(r *Report) { r.Latency[1].Count = 3 })}, "count says 3"},
		{"bad reason", []*Report{withReport(good, func(r *Report) {
			r.Drops = []DropCount{{Stage: "collector", Reason: "bored", Count: 1}}
		})}, "unknown drop reason"},
		{"duplicate class", []*Report{withReport(good, func(r *Report) { r.Classes = []ClassCounts{{Name: "a"}, {Name: "a"}} })}, "listed twice"},
		{"timeline order", []*Report{withReport(good, func(r *Report) {
			r.Timeline = []Second{{Unix: 5, E2E: [][2]uint64{}}, {Unix: 5, E2E: [][2]uint64{}}}
		})}, "not after"},
		{"bucket range", []*Report{withReport(good, func(r *Report) {
			r.Timeline = []Second{{Unix: 5, E2E: [][2]uint64{{coarseBuckets, 1}}}}
		})}, "out of range"},
		{"seeds differ", []*Report{good, withReport(good, func(r *Report) { r.Meta.Seed++ })}, "not parts of one run"},
		{"shard and whole run", []*Report{good, shard(good, 1, 4)}, "report 1 is shard 1/4, report 0 a whole run"},
		{"divisions differ", []*Report{shard(good, 0, 4), shard(good, 1, 8)}, "report 1 is shard 1/8, report 0 shard 0/4"},
		{"shard twice", []*Report{shard(good, 0, 4), shard(good, 2, 4), shard(good, 2, 4)}, "report 2 is shard 2/4 again (report 1)"},
		{"shard out of range", []*Report{shard(good, 4, 4)}, "shard 4/4 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.rs...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge() error = %v; want one containing %q", err, tt.want)
			}
		})
	}
}

// shard returns a copy of r marked as shard i of n.
func shard(r *Report, i, n int) *Report {
	return withReport(r, func(c *Report) { c.Meta.ShardIndex, c.Meta.ShardCount = i, n })
}

func TestMissingShards(t *testing.T) {
	good := NewRecorder(RecorderConfig{Start: testStart}).Report(testMeta)
	tests := []struct {
		name    string
		rs      []*Report
		want    string
		partial string
	}{
		{"whole runs", []*Report{good, good}, "[]", ""},
		{"all shards", []*Report{shard(good, 1, 3), shard(good, 0, 3), shard(good, 2, 3)}, "[]", ""},
		{"two missing", []*Report{shard(good, 1, 4), shard(good, 3, 4)}, "[0 2]", "2 of 4 shards merged; missing [0 2]: the merged report covers only part of the run"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(MissingShards(tt.rs...)); got != tt.want {
			t.Errorf("%s: MissingShards = %s; want %s", tt.name, got, tt.want)
		}
		if got := PartialMerge(tt.rs...); got != tt.partial {
			t.Errorf("%s: PartialMerge = %q; want %q", tt.name, got, tt.partial)
		}
	}
	m, err := Merge(shard(good, 1, 4), shard(good, 3, 4))
	if err != nil {
		t.Fatal(err)
	}
	if m.Meta.ShardCount != 0 || m.Meta.ShardIndex != 0 {
		t.Errorf("merged meta says shard %d/%d; want a whole report (0/0)", m.Meta.ShardIndex, m.Meta.ShardCount)
	}
}

// withReport returns a deep copy of r changed by f.
func withReport(r *Report, f func(*Report)) *Report {
	var buf bytes.Buffer
	if err := JSON.Render(&buf, r); err != nil {
		panic(err)
	}
	c, err := Decode(&buf)
	if err != nil {
		panic(err)
	}
	f(c)
	return c
}

// TestMergeKeepsUnnamedEnums: a buggy pipeline's unnamed reason survives a report round trip.
func TestMergeKeepsUnnamedEnums(t *testing.T) {
	r := NewRecorder(RecorderConfig{Start: testStart})
	r.Verdict(0, drop(0, 9, 0), Timing{}) // no stage, reason(9)
	rep := r.Report(testMeta)
	if len(rep.Drops) != 1 || rep.Drops[0].Stage != "" || rep.Drops[0].Reason != "reason(9)" {
		t.Fatalf("Drops = %+v", rep.Drops)
	}
	got, err := Merge(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Drops, rep.Drops) {
		t.Errorf("Drops after merge = %+v; want %+v", got.Drops, rep.Drops)
	}
}
