package sink

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// arrive sends generated record seq to t, received at the given offset past its schedule, with extra
// appended to the line.
func arrive(tb testing.TB, tr *Tracker, x *Extractor, seq uint64, late time.Duration, extra string) {
	tb.Helper()
	line, _ := tr.sch.Generator.Append(nil, seq)
	due, ok := tr.sch.Pacer.Due(seq)
	if !ok {
		tb.Fatalf("seq %d not in the schedule", seq)
	}
	tr.Arrive(x, append(line, extra...), FormatCEF, int64(due+late))
}

// report settles seqs that did not arrive and derives the report.
func report(tb testing.TB, tr *Tracker, sent uint64) *reports.Report {
	tb.Helper()
	rec := reports.NewRecorder(reports.RecorderConfig{Classes: tr.classNames(), Start: tr.sch.Start})
	for seq := uint64(0); seq < sent; seq++ {
		if !tr.Arrived(seq) {
			tr.Settle(rec, seq)
		}
	}
	if err := tr.MergeInto(rec); err != nil {
		tb.Fatal(err)
	}
	return rec.Report(reports.Meta{})
}

func classCounts(rep *reports.Report, name string) reports.ClassCounts {
	for _, c := range rep.Classes {
		if c.Name == name {
			return c
		}
	}
	return reports.ClassCounts{Name: name}
}

func TestTrackerArrivals(t *testing.T) {
	sch := testSchedule(t, false)
	g := sch.Generator
	tr, err := NewTracker(sch, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExtractor(Options{})
	alert := seqOfClass(t, g, "alert.malware_file", 0)
	later := seqOfClass(t, g, "alert.rdp_allow", alert+1)
	noise := seqOfClass(t, g, "noise.web_allowed", later+1)

	arrive(t, tr, x, later, 3*time.Millisecond, "")
	arrive(t, tr, x, alert, 5*time.Millisecond, "") // after a later record of the same connection
	arrive(t, tr, x, alert, 6*time.Millisecond, "") // again
	arrive(t, tr, x, noise, time.Millisecond, "")   // expected to be dropped
	tr.Arrive(x, []byte("not a record"), FormatCEF, 1)
	tr.Arrive(x, []byte("CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|act=x"), FormatCEF, 1)
	tr.Arrive(x, []byte("CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|externalId=x"), FormatCEF, 1)
	tr.Oversize(1)
	// Foreign: an id below the seed's base, a record not due yet.
	base := g.LabelOf(0).RecordID
	tr.Arrive(x, []byte("CEF:0|Zscaler|NSSWeblog|5.7|a|b|3|externalId=12"), FormatCEF, 1)
	notDue, _ := g.Append(nil, 50000)
	tr.Arrive(x, notDue, FormatCEF, int64(time.Second))

	st := tr.Stats()
	want := Stats{Arrivals: 10, Delivered: 3, Expected: 2, Duplicates: 1, Reordered: 1, Foreign: 2, Unreadable: 1, NoID: 1, BadID: 1, Oversize: 1}
	want.LastArrival = st.LastArrival
	if st != want {
		t.Fatalf("Stats() = %+v; want %+v (base %d)", st, want, base)
	}
	if st.Unattributed() != 4 {
		t.Errorf("Unattributed() = %d; want 4", st.Unattributed())
	}
	rep := report(t, tr, 0)
	if rep.Counts.Alerts != 3 || rep.Conformance.Mismatches != 1 {
		t.Fatalf("counts %+v, %d mismatches; want 3 arrivals, 1 mismatch (the noise record)", rep.Counts, rep.Conformance.Mismatches)
	}
	ex := rep.Conformance.Examples[0]
	if ex.Class != "noise.web_allowed" || ex.Field != "verdict" || ex.Got != GotForwarded || ex.Want != "dropped" || ex.RecordID == "" {
		t.Fatalf("mismatch %+v; want the noise record forwarded when a drop was expected", ex)
	}
	e2e := rep.Stage(reports.EndToEnd)
	near := func(d, want time.Duration) bool { return d > want*99/100 && d < want*101/100 } // HDR precision
	if e2e.Count != 3 || !near(e2e.Min, time.Millisecond) || !near(e2e.Max, 5*time.Millisecond) {
		t.Fatalf("e2e %+v; want 3 samples, 1ms to 5ms from their schedule", e2e)
	}
}

func TestTrackerShards(t *testing.T) {
	sch := testSchedule(t, false)
	sch.Connections, sch.ShardIndex, sch.ShardCount = 2, 1, 3
	tr, err := NewTracker(sch, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExtractor(Options{})
	arrive(t, tr, x, 0, 0, "") // shard 0's
	arrive(t, tr, x, 1, 0, "") // connection 0, k 0
	arrive(t, tr, x, 7, 0, "") // connection 0, k 1
	arrive(t, tr, x, 4, 0, "") // connection 1, k 0: not reordered, another connection
	st := tr.Stats()
	if st.Foreign != 1 || st.Delivered != 3 || st.Reordered != 0 {
		t.Fatalf("Stats() = %+v; want 1 foreign, 3 delivered, none reordered", st)
	}
	if !tr.Arrived(7) || tr.Arrived(0) || tr.Arrived(10) {
		t.Fatal("Arrived disagrees with the arrivals")
	}
}

func TestTrackerSettle(t *testing.T) {
	for _, tc := range []struct {
		expect Expect
		// outcome of never-arrived records, by class: "dropped" or "lost"
		outcomes map[string]string
		field    string
	}{
		{ExpectVerdicts, map[string]string{"alert.rdp_allow": "lost", "noise.dns_allowed": "dropped", "malformed.truncated": "dropped"}, "verdict"},
		{ExpectAll, map[string]string{"alert.rdp_allow": "lost", "noise.dns_allowed": "lost", "malformed.truncated": "dropped"}, FieldDelivery},
	} {
		t.Run(tc.expect.String(), func(t *testing.T) {
			sch := testSchedule(t, false)
			tr, err := NewTracker(sch, Options{Expect: tc.expect})
			if err != nil {
				t.Fatal(err)
			}
			rep := report(t, tr, 3000)
			// Settle records verdicts and losses; offered comes from the sender.
			if c := rep.Counts; c.Alerts+c.Dropped+c.Lost != 3000 || c.Invalid != 0 {
				t.Fatalf("counts %+v; want 3000 settled", rep.Counts)
			}
			for class, outcome := range tc.outcomes {
				c := classCounts(rep, class)
				switch {
				case outcome == "lost" && (c.Lost == 0 || c.Mismatches != c.Lost || c.Dropped != 0):
					t.Errorf("%s: %+v; want all lost, each a mismatch", class, c)
				case outcome == "dropped" && (c.Dropped == 0 || c.Lost != 0 || c.Mismatches != 0):
					t.Errorf("%s: %+v; want all dropped as expected", class, c)
				}
			}
			if rep.Counts.Alerts != 0 {
				t.Errorf("%d alerts from records that never arrived", rep.Counts.Alerts)
			}
			ex := rep.Conformance.Examples
			if len(ex) == 0 || ex[0].Field != tc.field || ex[0].Got != GotMissing || !strings.Contains(ex[0].Input, "CEF:0|Zscaler|") {
				t.Fatalf("examples %+v; want missing records shown with their line", ex)
			}
			for _, l := range rep.Lost {
				if l.Cause != LostNotDelivered {
					t.Errorf("lost cause %q; want %q", l.Cause, LostNotDelivered)
				}
			}
		})
	}
}

func TestTrackerThreats(t *testing.T) {
	sch := testSchedule(t, false)
	g := sch.Generator
	tr, err := NewTracker(sch, Options{ThreatField: "threatId"})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExtractor(tr.Options())
	mapped := seqOfClass(t, g, "alert.rdp_allow", 0)
	wrong := seqOfClass(t, g, "alert.rdp_allow", mapped+1)
	absent := seqOfClass(t, g, "alert.malware_file", 0)
	unmapped := seqOfClass(t, g, "other.fw_block_malicious", 0)
	arrive(t, tr, x, mapped, 0, " threatId=T1021.001")
	arrive(t, tr, x, wrong, 0, " threatId=T1000")
	arrive(t, tr, x, absent, 0, "")
	arrive(t, tr, x, unmapped, 0, "")
	rep := report(t, tr, 0)
	if rep.Counts.Mapped != 2 || rep.Counts.Unmapped != 2 {
		t.Errorf("counts %+v; want 2 mapped (a threat field), 2 unmapped", rep.Counts)
	}
	got := map[string]string{}
	for _, ex := range rep.Conformance.Examples {
		got[ex.RecordID] = ex.Field + " " + ex.Got + "→" + ex.Want
	}
	id := func(seq uint64) string { return itoa(g.LabelOf(seq).RecordID) }
	want := map[string]string{id(wrong): "threatId T1000→T1021.001", id(absent): "threatId →T1204.002"}
	if len(got) != len(want) || got[id(wrong)] != want[id(wrong)] || got[id(absent)] != want[id(absent)] {
		t.Fatalf("mismatches %v; want %v", got, want)
	}
}

func TestTrackerBegin(t *testing.T) {
	sch := testSchedule(t, false)
	tr, err := NewTracker(sch, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExtractor(Options{})
	arrive(t, tr, x, 1, 0, "")
	tr.Begin(time.Now().Add(time.Hour))
	if st := tr.Stats(); st != (Stats{}) || tr.Arrived(1) {
		t.Fatalf("after Begin: %+v; want nothing remembered", st)
	}
	if d := tr.now(); d > 0 {
		t.Fatalf("now() = %v an hour before the new start; want negative", time.Duration(d))
	}
}

func TestNewTrackerErrors(t *testing.T) {
	sch := testSchedule(t, false)
	for _, tc := range []struct {
		name string
		sch  Schedule
		opts Options
		want string
	}{
		{"no generator", Schedule{Pacer: sch.Pacer}, Options{}, "no generator"},
		{"no pacer", Schedule{Generator: sch.Generator}, Options{}, "no pacer"},
		{"bad shard", Schedule{Generator: sch.Generator, Pacer: sch.Pacer, ShardIndex: 3, ShardCount: 2}, Options{}, "shard 3/2"},
		{"empty path key", sch, Options{Format: FormatJSON, IDField: "a..b"}, `id field "a..b"`},
		{"bad expect", sch, Options{Expect: 9}, "unknown expectation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewTracker(tc.sch, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewTracker: %v; want %q", err, tc.want)
			}
		})
	}
}

func itoa(n uint64) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

// TestTrackerMismatchPosition: a mismatch names the record by id, the sender connection that sent it and
// its position there, for an arrival and for a record that never arrived; never "line 0".
func TestTrackerMismatchPosition(t *testing.T) {
	sch := testSchedule(t, false)
	sch.Connections, sch.ShardIndex, sch.ShardCount = 3, 1, 2 // shard 1 of 2: seq = (k·3 + conn)·2 + 1
	tr, err := NewTracker(sch, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := NewExtractor(Options{})
	g := sch.Generator
	// A noise record that arrives (a drop was expected) and an alert that does not, both of shard 1.
	noise := seqOfClass(t, g, "noise.web_allowed", 0)
	for noise%2 != 1 {
		noise = seqOfClass(t, g, "noise.web_allowed", noise+1)
	}
	missing := seqOfClass(t, g, "alert.rdp_allow", 0)
	for missing%2 != 1 {
		missing = seqOfClass(t, g, "alert.rdp_allow", missing+1)
	}
	arrive(t, tr, x, noise, time.Millisecond, "")
	rec := reports.NewRecorder(reports.RecorderConfig{Classes: tr.classNames(), Start: sch.Start})
	tr.Settle(rec, missing)
	if err := tr.MergeInto(rec); err != nil {
		t.Fatal(err)
	}
	rep := rec.Report(reports.Meta{})
	want := map[string]string{}
	for _, seq := range []uint64{noise, missing} {
		i := seq / 2
		want[strconv.FormatUint(g.LabelOf(seq).RecordID, 10)] = fmt.Sprintf("recordid %d connection %d line %d", g.LabelOf(seq).RecordID, i%3+1, i/3+1)
	}
	if len(rep.Conformance.Examples) != 2 {
		t.Fatalf("examples %+v; want the arrived noise record and the missing alert", rep.Conformance.Examples)
	}
	for _, ex := range rep.Conformance.Examples {
		if got := ex.Position(); got != want[ex.RecordID] || ex.Conn == 0 || ex.Line == 0 {
			t.Errorf("%s mismatch at %q (connection %d, line %d); want %q", ex.Field, got, ex.Conn, ex.Line, want[ex.RecordID])
		}
	}
}
