package run

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/reports"
)

// TestDescribe: the meta names the pacer and the shard's share of its rate, the pipeline's hashes,
// and a cost.
func TestDescribe(t *testing.T) {
	pl := defaultPipeline()
	rules, maps := pl.Hashes()
	for _, tc := range []struct {
		shard Shard
		cost  time.Duration
		rate  float64
		note  bool
	}{{Shard{}, 0, 4000, false}, {Shard{1, 4}, 0, 1000, false}, {Shard{}, time.Millisecond, 4000, true}} {
		c := Config{Pacer: pacer.Constant{Rate: 4000}, Pipeline: pl, Shard: tc.shard, Cost: tc.cost}
		c.Meta.Description = "d"
		c.Describe()
		m := c.Meta
		if m.Pacer != c.Pacer.String() || m.OfferedRate != tc.rate || m.RulesHash != rules || m.MappingsHash != maps || rules == "" ||
			strings.Contains(m.Description, "[embedded collector slowed by 1ms per record: -cost]") != tc.note || !strings.HasPrefix(m.Description, "d") {
			t.Errorf("shard %v, cost %v: meta %+v; want rate %g, cost noted %t", tc.shard, tc.cost, m, tc.rate, tc.note)
		}
	}
}

// TestAnnouncement: the line names the scenario, pacer, connections and where they go; a start time
// adds a line.
func TestAnnouncement(t *testing.T) {
	p := pacer.Constant{Rate: 100}
	pre := "scenario smoke, " + p.String() + ", "
	start := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string
	}{
		{"embedded", Config{Pacer: p}, []string{pre + "1 connection(s) to the embedded collector"}},
		{"cost", Config{Pacer: p, Connections: 4, Cost: time.Millisecond},
			[]string{pre + "4 connection(s) to the embedded collector (slowed by 1ms per record: -cost)"}},
		{"no sink", Config{Pacer: p, Target: "tcp://h:1"},
			[]string{pre + "1 connection(s) to tcp://h:1 (no -sink: delivery will not be observed)"}},
		{"sink and start", Config{Pacer: p, Target: "tcp://h:1", Sink: "tcp://127.0.0.1:2", StartAt: start},
			[]string{pre + "1 connection(s) to tcp://h:1, sink tcp://127.0.0.1:2", "the schedule starts at 2026-11-25T23:30:00Z (-start-at)"}},
	} {
		tc.cfg.Meta.Scenario = "smoke"
		if got := tc.cfg.Announcement(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Announcement() = %q; want %q", tc.name, got, tc.want)
		}
	}
}

// TestListenWarning: -listen on an address beyond loopback warns; loopback, none or a bad one does not.
func TestListenWarning(t *testing.T) {
	for listen, want := range map[string]string{
		"tcp://0.0.0.0:5514":   "warning: -listen tcp://0.0.0.0:5514 is reachable beyond this host (not a loopback address)",
		"tcp://127.0.0.1:5514": "", "tcp://localhost:0": "", "": "", "bogus": "",
	} {
		if got := (&Config{Listen: listen}).ListenWarning(); got != want {
			t.Errorf("ListenWarning(-listen %q) = %q; want %q", listen, got, want)
		}
	}
}

// TestLateStart: a run that started more than a second after its -start-at says how late, rounded to
// the millisecond; one on time, or without a start time, says nothing.
func TestLateStart(t *testing.T) {
	at := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		startAt time.Time
		started time.Time
		want    string
	}{
		{at, at.Add(1500*time.Millisecond + 300*time.Microsecond), "-start-at 2026-11-25T23:30:00Z had passed when the run was ready: it started 1.5s late"},
		{at, at.Add(time.Second), ""},
		{time.Time{}, at, ""},
	} {
		c := Config{StartAt: tc.startAt}
		if got := c.LateStart(&reports.Report{Meta: reports.Meta{Started: tc.started}}); got != tc.want {
			t.Errorf("LateStart(started %v, start-at %v) = %q; want %q", tc.started, tc.startAt, got, tc.want)
		}
	}
}
