package run

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/reports"
)

// TestMetaClock: the report names the clock that stamped the records, unless the config's meta names
// one already (a verbatim replay's reports.ClockRecorded).
func TestMetaClock(t *testing.T) {
	for _, tc := range []struct{ preset, want string }{{"", "wall"}, {reports.ClockRecorded, reports.ClockRecorded}} {
		b := &base{cfg: Config{Clock: generator.ClockWall, Meta: reports.Meta{Clock: tc.preset, Pacer: "p"}}}
		if got := b.meta(0, false, "", "", "").Clock; got != tc.want {
			t.Errorf("preset %q: Meta.Clock = %q; want %q", tc.preset, got, tc.want)
		}
	}
}

// TestWallClock: with ClockWall each record carries its scheduled send time — the run's start plus
// its due offset — in its syslog header and its rt= field, to within a second (the fields have a
// resolution of one second), and the report says which clock stamped it.
func TestWallClock(t *testing.T) {
	var rec collectortest.Recorder
	ln, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := extConfig(t, "smoke", 300, 200, ln.URL()) // 1.5s of schedule
	cfg.Clock = generator.ClockWall
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Meta.Clock != "wall" {
		t.Errorf("Meta.Clock = %q; want wall", rep.Meta.Clock)
	}
	rec.WaitClosed(t, 1, 5*time.Second)
	header := regexp.MustCompile(`^(\w{3} \d{2} \d{2}:\d{2}:\d{2}) `)
	rt := regexp.MustCompile(` rt=(\w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2}) `)
	id := regexp.MustCompile(`externalId=(\d+)`)
	start := rep.Meta.Started
	checked := 0
	for _, line := range rec.Records() {
		h, r, m := header.FindStringSubmatch(line), rt.FindStringSubmatch(line), id.FindStringSubmatch(line)
		if m == nil {
			continue // a malformed class's record, damaged past its id
		}
		if h == nil {
			t.Fatalf("record without a syslog header: %q", line)
		}
		rid, _ := strconv.ParseUint(m[1], 10, 64)
		seq, ok := cfg.Generator.SeqOf(rid)
		if !ok {
			t.Fatalf("record id %d is not the generator's", rid)
		}
		due, _ := cfg.Pacer.Due(seq)
		want := start.Add(due).UTC()
		got, err := time.Parse("Jan 02 15:04:05", h[1])
		if err != nil {
			t.Fatal(err)
		}
		got = got.AddDate(want.Year(), 0, 0)
		if d := got.Sub(want.Truncate(time.Second)); d != 0 {
			t.Errorf("seq %d: header time %s; want %s (due %v after %s)", seq, h[1], want.Format(time.StampMilli), due, start)
		}
		if r != nil {
			gotRT, err := time.Parse("Jan 02 2006 15:04:05", r[1])
			if err != nil || gotRT.Sub(want) > time.Second || want.Sub(gotRT) > time.Second {
				t.Errorf("seq %d: rt=%s; want within a second of %s", seq, r[1], want)
			}
		}
		checked++
	}
	if checked < 200 {
		t.Errorf("checked %d records of 300; want every well-formed one", checked)
	}
}
