package sink_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// smokeConfig returns a run of n smoke events at rate with record tracking, its target left empty.
func smokeConfig(t *testing.T, n uint64, rate float64) run.Config {
	t.Helper()
	scn, err := scenarios.Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		t.Fatal(err)
	}
	return run.Config{
		Generator:    gen,
		Pacer:        pacer.Constant{Rate: rate, Limit: pacer.Limit{Count: n, Duration: time.Minute}},
		DrainTimeout: 5 * time.Second,
		Meta:         reports.Meta{Scenario: scn.Name},
	}
}

// TestRunShards runs two shards of the smoke scenario, two connections each, through one relay to a
// standalone sink that tracks the whole run: every record is offered once, every well-formed one is
// delivered, in order per connection, with its end-to-end latency, and the counts balance.
func TestRunShards(t *testing.T) {
	const total, shards, conns = 3000, 2, 2
	base := smokeConfig(t, total, 20000)
	start := time.Now().Add(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	bound := make(chan string, 1)
	type result struct {
		rep *reports.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := sink.Run(ctx, sink.RunConfig{
			Generator: base.Generator.Clone(), Pacer: base.Pacer, Connections: conns, Shards: shards, Start: start,
			Listen: "tcp://127.0.0.1:0", Options: sink.Options{Expect: sink.ExpectAll}, DrainTimeout: 5 * time.Second,
			Meta: base.Meta, Listening: func(url string) { bound <- url },
		})
		done <- result{rep, err}
	}()
	var sinkURL string
	select {
	case sinkURL = <-bound:
	case r := <-done:
		t.Fatalf("Run returned before listening: %v", r.err)
	}
	relay := runtest.StartRelay(t, strings.TrimPrefix(sinkURL, "tcp://"))

	var wg sync.WaitGroup
	for i := range shards {
		cfg := base
		cfg.Generator = base.Generator.Clone()
		cfg.Target, cfg.Connections = relay.URL(), conns
		cfg.Shard, cfg.StartAt = run.Shard{Index: i, Count: shards}, start
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := run.Run(ctx, cfg)
			if err != nil {
				t.Errorf("shard %d: %v", i, err)
				return
			}
			if rep.Counts.Sent != total/shards {
				t.Errorf("shard %d sent %d, want %d", i, rep.Counts.Sent, total/shards)
			}
		}()
	}
	wg.Wait()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	rep := r.rep
	if !rep.Balanced() {
		t.Fatalf("report does not balance: %+v", rep.Counts)
	}
	c, d := rep.Counts, rep.Delivery
	if c.Offered != total || c.Lost != 0 || rep.Meta.Interrupted {
		t.Fatalf("counts %+v (interrupted %v); want %d offered, none lost (lost %+v)", c, rep.Meta.Interrupted, total, rep.Lost)
	}
	if d == nil || !d.Observed || d.Sink != sinkURL || !strings.Contains(d.Note, "clock") {
		t.Fatalf("delivery %+v; want observed at %s, with the clock caveat", d, sinkURL)
	}
	if d.Delivered != c.Alerts || d.Delivered+c.Dropped != total {
		t.Fatalf("delivered %d, alerts %d, dropped %d; want delivered = alerts and delivered + dropped = %d", d.Delivered, c.Alerts, c.Dropped, total)
	}
	if d.Foreign != 0 || d.Reordered != 0 || d.Duplicates != 0 {
		t.Fatalf("delivery %+v; want no foreign, reordered or duplicate records over TCP", d)
	}
	if rep.Conformance.Mismatches != 0 {
		t.Fatalf("%d mismatches: %+v", rep.Conformance.Mismatches, rep.Conformance.Examples)
	}
	if e2e := rep.Stage(reports.EndToEnd); e2e == nil || e2e.Count != d.Delivered || e2e.P99 <= 0 {
		t.Fatalf("end-to-end latency %+v; want one sample per delivery", e2e)
	}
	if rep.Meta.Connections != shards*conns || !rep.Meta.Started.Equal(start) {
		t.Fatalf("meta %+v; want %d connections, started at %v", rep.Meta, shards*conns, start)
	}
}

// TestRunNothingArrives: a sink that receives nothing counts every record expected to arrive lost,
// not_delivered, and still balances.
func TestRunNothingArrives(t *testing.T) {
	base := smokeConfig(t, 200, 20000)
	rep, err := sink.Run(context.Background(), sink.RunConfig{
		Generator: base.Generator, Pacer: base.Pacer, Shards: 3, Start: time.Now(),
		Listen: "tcp://127.0.0.1:0", Options: sink.Options{Expect: sink.ExpectAll}, DrainTimeout: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts
	if !rep.Balanced() || c.Offered != 200 || c.Alerts != 0 || c.Lost == 0 ||
		len(rep.Lost) != 1 || rep.Lost[0] != (reports.LostCount{Cause: sink.LostNotDelivered, Count: c.Lost}) {
		t.Fatalf("counts %+v, lost %+v; want 200 offered, balanced, every loss not_delivered", c, rep.Lost)
	}
}

// TestRunConfig: bad configurations are errors naming every problem, before listening.
func TestRunConfig(t *testing.T) {
	base := smokeConfig(t, 10, 1000)
	ok := sink.RunConfig{Generator: base.Generator, Pacer: base.Pacer, Shards: 1, Start: time.Now(), Listen: "tcp://127.0.0.1:0"}
	tests := []struct {
		name string
		edit func(*sink.RunConfig)
		want []string
	}{
		{"no start", func(c *sink.RunConfig) { c.Start = time.Time{} }, []string{"no start time"}},
		{"no shards", func(c *sink.RunConfig) { c.Shards = 0 }, []string{"shards 0"}},
		{"unbounded", func(c *sink.RunConfig) { c.Pacer = pacer.Constant{Rate: 10} }, []string{"unbounded"}},
		{"several", func(c *sink.RunConfig) { c.Generator, c.Listen = nil, "" }, []string{"no generator", "no listen address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			rep, err := sink.Run(context.Background(), cfg)
			if err == nil {
				t.Fatalf("no error; report %+v", rep.Counts)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q; want it to mention %q", err, w)
				}
			}
		})
	}
}

// TestAnnouncement: the sink's line names its address, the scenario, the pacer, the shards and the start.
func TestAnnouncement(t *testing.T) {
	cfg := sink.RunConfig{Pacer: pacer.Constant{Rate: 100, Limit: pacer.Limit{Count: 10}}, Shards: 4,
		Start: time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC), Meta: reports.Meta{Scenario: "smoke"}}
	want := "sink on tcp://127.0.0.1:5515 for scenario smoke, " + cfg.Pacer.String() + ", 4 shard(s) of 1 connection(s), starting at 2026-11-25T23:30:00Z"
	if got := cfg.Announcement("tcp://127.0.0.1:5515"); got != want {
		t.Errorf("Announcement = %q; want %q", got, want)
	}
}

// TestCheckFlags: the sink command's settings are checked in order, each error naming its flag, and
// CheckDrain rejects a drain that the runners would read as their default.
func TestCheckFlags(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		start  time.Time
		shards int
		drain  time.Duration
		want   string
	}{
		{start, 1, time.Second, ""},
		{time.Time{}, 0, 0, "-start-at is required: the time the shards were started with"},
		{start, 0, 0, "-shards 0: want 1 or more"},
		{start, 2, 0, "-drain 0s: want a positive duration, e.g. 10s (the default)"},
		{start, 2, -time.Second, "-drain -1s: want a positive duration, e.g. 10s (the default)"},
	}
	for _, tt := range tests {
		err := sink.CheckFlags(tt.start, tt.shards, tt.drain)
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && got != tt.want {
			t.Errorf("CheckFlags(%v, %d, %v) = %v; want %q", tt.start, tt.shards, tt.drain, err, tt.want)
		}
	}
	if err := sink.CheckDrain(time.Millisecond); err != nil {
		t.Errorf("CheckDrain(1ms) = %v; want nil", err)
	}
}

// TestForScenario: a sink follows the scenario's whole schedule, with the shards' connections, and its
// report describes the run as the scenario's.
func TestForScenario(t *testing.T) {
	su, err := scenarios.Traffic{Scenario: "smoke", Count: 100, Connections: 3, Schedule: true, Given: map[string]bool{"count": true, "connections": true}}.Setup()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := sink.ForScenario(su)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Generator != su.Generator || cfg.Connections != 3 || cfg.Meta.Scenario != "smoke" || cfg.Meta.Pacer != cfg.Pacer.String() ||
		cfg.Meta.OfferedRate != (pacer.Schedule{Pacer: cfg.Pacer}).Rate() || cfg.Meta.ScenarioHash == "" {
		t.Errorf("ForScenario = %+v; want the scenario's generator, connections, pacer and meta", cfg)
	}
	if n, _, _ := (pacer.Schedule{Pacer: cfg.Pacer}).End(); n != 100 {
		t.Errorf("schedule of %d events; want -count's 100", n)
	}
}
