package sink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/progress"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// A standalone sink matches what a collector forwards to the whole of a sharded run, whose shards
// (run -shard i/n -start-at T) send from other processes or hosts. It needs no word from them: the
// schedule is a pure function of the scenario, so the sink tracks the unsharded schedule with n×C
// connections. Shard i sends event j*n+i as its j-th, on connection j mod C; in the unsharded view that
// event is on connection seq mod n*C = (j mod C)*n + i, one per (shard, connection), and it is that
// connection's (j/C)-th record, as it is on the shard's connection: reordering and latency (from T plus
// the event's due time) are exact, up to the offset between the shards' clocks and the sink's.

// QuietPeriod is how long a sink must have received nothing before a drain may end.
const QuietPeriod = 300 * time.Millisecond

// RunConfig describes a standalone sink for a sharded run (see Run).
type RunConfig struct {
	Generator   *generator.Generator
	Pacer       pacer.Pacer // the whole run's schedule; it must be finite
	Connections int         // sender connections per shard (default 1)
	Shards      int         // the run's shard count, 1 or more
	// Start is the run's t=0, the shards' -start-at: latency is measured from Start plus each record's
	// due time, on this host's clock. Required.
	Start time.Time
	// Listen is the sink's address: tcp://, udp:// or http://host:port (port 0 picks a free one).
	Listen  string
	Options Options
	// DrainTimeout is how long to wait for records after the schedule's last due time (default 10s).
	DrainTimeout time.Duration
	// Meta describes the run; Run fills Started, Duration, Interrupted and Connections, and Target and
	// Transport when empty.
	Meta reports.Meta
	// Progress, when set, is called about once a second with a snapshot: Elapsed (negative before
	// Start), Due (the whole schedule's), Verdicts (records delivered) and P99 (of the last second).
	Progress func(progress.Snapshot)
	// Probe measures the collector under test from before the sink listens to the end of the drain
	// (package probe); the zero value measures nothing.
	Probe probe.Target
	// Listening, when set, is called with the sink's bound address (e.g. tcp://127.0.0.1:40123) once it
	// listens.
	Listening func(url string)
	// Draining, when set, is called once when the schedule's last due time has passed, with the records
	// in flight: expected to arrive and not arrived yet. Not called when the run is interrupted before.
	Draining func(inFlight uint64)
}

// ForScenario returns the RunConfig of a sink for su, a scenario's traffic as its shards set it up: the
// generator, the pacer of the whole run's schedule (scenarios.PacerFor), the connections per shard, and
// the meta that describes the run, its offered rate the whole schedule's. The caller sets the shards,
// Start, Listen, Options, DrainTimeout and Probe.
func ForScenario(su *scenarios.Setup) (RunConfig, error) {
	scn := su.Scenario
	pc, err := scenarios.PacerFor(scn, "", 0, false)
	if err != nil {
		return RunConfig{}, err
	}
	cfg := RunConfig{Generator: su.Generator, Pacer: pc, Connections: scn.Connections, Meta: scn.Meta()}
	cfg.Meta.Pacer, cfg.Meta.OfferedRate = pc.String(), pacer.Schedule{Pacer: pc}.Rate()
	scn.Describe(&cfg.Meta)
	return cfg, nil
}

// Announcement says, in a line, what a sink listening on url is for: the scenario (Meta.Scenario), the
// pacer, the shards and their connections, and the run's start.
func (c *RunConfig) Announcement(url string) string {
	return fmt.Sprintf("sink on %s for scenario %s, %s, %d shard(s) of %d connection(s), starting at %s",
		url, c.Meta.Scenario, c.Pacer, c.Shards, max(c.Connections, 1), c.Start.Format(time.RFC3339Nano))
}

// CheckDrain rejects a -drain of 0 or less, for run and sink alike: the runners read 0 as their
// default of 10 s, which the drain line would misstate as "up to -drain 0s".
func CheckDrain(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("-drain %v: want a positive duration, e.g. 10s (the default)", d)
	}
	return nil
}

// CheckFlags checks the sink command's own settings before its traffic is set up: the shards' -start-at
// (required), -shards (1 or more) and -drain (CheckDrain). Its errors name the flags.
func CheckFlags(start time.Time, shards int, drain time.Duration) error {
	switch {
	case start.IsZero():
		return errors.New("-start-at is required: the time the shards were started with")
	case shards < 1:
		return fmt.Errorf("-shards %d: want 1 or more", shards)
	}
	return CheckDrain(drain)
}

// Run listens at cfg.Listen and matches what arrives to the whole schedule until Start plus the
// schedule's last due time plus DrainTimeout, or until every record expected to arrive has arrived and the
// sink has been quiet for a while, or until ctx ends (the report then says it was interrupted and offers
// only the records due by then). Every offered record ends in one bucket: it arrived (a verdict with its
// end-to-end latency), or the tracker settles it as an expected drop or a loss (not_delivered). A record
// a shard failed to send is counted lost here too: the shards' merged reports tell the two apart.
func Run(ctx context.Context, cfg RunConfig) (*reports.Report, error) {
	n, err := cfg.check()
	if err != nil {
		return nil, err
	}
	var e2e progress.Gauge
	tr, err := NewTracker(Schedule{
		Generator: cfg.Generator, Pacer: cfg.Pacer, Connections: cfg.Connections * cfg.Shards,
		Start:   cfg.Start,
		Observe: func(d time.Duration) { e2e.Record(int64(d)) },
	}, cfg.Options)
	if err != nil {
		return nil, err
	}
	_, last, _ := pacer.Schedule{Pacer: cfg.Pacer}.End() // the schedule's last due time
	var want uint64                                      // records expected to arrive
	for seq := range n {
		if tr.ExpectsArrival(cfg.Generator.LabelOf(seq).Class) {
			want++
		}
	}

	tp, err := probe.StartTarget(context.WithoutCancel(ctx), cfg.Probe)
	if err != nil {
		return nil, fmt.Errorf("sink run: %w", err)
	}
	defer tp.Stop(0, 0) // on an early return; Stop may be called again
	sk, err := Listen(cfg.Listen, tr)
	if err != nil {
		return nil, err
	}
	defer sk.Close()
	url := sk.URL()
	if cfg.Listening != nil {
		cfg.Listening(url)
	}
	stopProgress := progress.Start(cfg.Progress, func() progress.Snapshot {
		elapsed := time.Since(cfg.Start)
		return progress.Snapshot{Elapsed: elapsed, Due: pacer.Schedule{Pacer: cfg.Pacer}.Offered(elapsed), Verdicts: tr.Stats().Delivered, P99: e2e.Window(0.99)}
	})
	interrupted := waitForArrivals(ctx, tr, cfg.Start, last, cfg.DrainTimeout, want, cfg.Draining)
	stopped := time.Since(cfg.Start)
	stopProgress()
	if err := sk.Close(); err != nil {
		return nil, fmt.Errorf("stop sink: %w", err)
	}
	st := tr.Stats()

	// Interrupted, the run offered what was due by then, and what arrived since.
	until := time.Duration(1<<63 - 1)
	if interrupted {
		until = stopped
		if st.Delivered > 0 {
			until = max(until, time.Duration(st.LastArrival))
		}
	}
	names := make([]string, 0, len(cfg.Generator.Classes()))
	feeds := make([]string, 0, len(cfg.Generator.Classes()))
	for _, c := range cfg.Generator.Classes() {
		names = append(names, c.Name)
		feeds = append(feeds, c.Feed.String())
	}
	total := reports.NewRecorder(reports.RecorderConfig{Classes: names, Feeds: feeds, Start: cfg.Start})
	var lastOffered time.Duration
	for seq := range n {
		due, _ := cfg.Pacer.Due(seq)
		if due > until {
			break // due times never decrease
		}
		total.Offered(int64(due))
		lastOffered = due
		if !tr.Arrived(seq) {
			tr.Settle(total, seq)
		}
	}
	if err := tr.MergeInto(total); err != nil {
		return nil, err
	}

	d := &reports.Delivery{
		Observed: true, Sink: url, Expect: tr.Options().Expect.String(),
		Delivered: st.Delivered, Duplicates: st.Duplicates, Reordered: st.Reordered,
		Unattributed: st.Unattributed(), Foreign: st.Foreign,
	}
	if st.Unattributed() > 0 {
		d.Note = fmt.Sprintf("unattributed: %d unreadable, %d oversize, %d without an id, %d with a bad id; ",
			st.Unreadable, st.Oversize, st.NoID, st.BadID)
	}
	d.Note += fmt.Sprintf("standalone sink for %d shard(s) of %d connection(s): records that never arrived are counted lost "+
		"whether the collector or a shard lost them (compare with the shards' merged reports); latency compares the shards' "+
		"start time with this host's clock and includes the offset between the clocks; what was sent is in the shards' reports, not here",
		cfg.Shards, cfg.Connections)

	meta := cfg.Meta
	meta.Started = cfg.Start
	meta.Duration = max(lastOffered, time.Duration(st.LastArrival))
	meta.Interrupted = interrupted
	meta.Connections = cfg.Connections * cfg.Shards
	meta.ShardIndex, meta.ShardCount = 0, 0 // the whole run
	meta.TargetKind = reports.TargetSink
	if meta.Target == "" {
		meta.Target = "external collector → sink " + url
	}
	if meta.Transport == "" {
		meta.Transport = fmt.Sprintf("%d shard(s)", cfg.Shards)
	}
	if meta.Pacer == "" {
		meta.Pacer = cfg.Pacer.String()
	}
	rep := total.Report(meta)
	rep.Delivery = d
	rep.Target = tp.Stop(rep.Bytes.DeliveredEvents, rep.Bytes.Delivered)
	return rep, nil
}

// check fills in cfg's defaults and returns the schedule's length, or every problem found.
func (cfg *RunConfig) check() (uint64, error) {
	var probs []error
	if cfg.Generator == nil {
		probs = append(probs, errors.New("no generator"))
	}
	var n uint64
	if cfg.Pacer == nil {
		probs = append(probs, errors.New("no pacer"))
	} else if count, _, ok := (pacer.Schedule{Pacer: cfg.Pacer}).End(); ok {
		n = count
	} else {
		probs = append(probs, fmt.Errorf("schedule %s is unbounded: a sink needs a duration or a count", cfg.Pacer))
	}
	if cfg.Shards < 1 {
		probs = append(probs, fmt.Errorf("shards %d: want 1 or more", cfg.Shards))
	}
	if cfg.Start.IsZero() {
		probs = append(probs, errors.New("no start time: the shards' common t=0 is required"))
	}
	if cfg.Listen == "" {
		probs = append(probs, errors.New("no listen address"))
	}
	if err := errors.Join(probs...); err != nil {
		return 0, fmt.Errorf("sink run: %w", err)
	}
	if cfg.Connections <= 0 {
		cfg.Connections = 1
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 10 * time.Second
	}
	return n, nil
}

// waitForArrivals waits until start+last+drain, or until the schedule has ended, want records expected to
// arrive have arrived and the sink has been quiet for QuietPeriod (as an external run's drain). Once the
// schedule has ended it calls draining (when not nil) with the records expected and not arrived. It
// reports whether ctx ended first.
func waitForArrivals(ctx context.Context, tr *Tracker, start time.Time, last, drain time.Duration, want uint64, draining func(uint64)) bool {
	deadline := start.Add(last + drain)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		st := tr.Stats()
		// Checked before the deadline, so that a sink that started after its whole window (a late
		// -start-at) still says what it drained.
		if draining != nil && time.Since(start) >= last {
			draining(want - min(st.Expected, want))
			draining = nil
		}
		if !time.Now().Before(deadline) {
			return ctx.Err() != nil
		}
		if st.Expected >= want && time.Since(start)-max(time.Duration(st.LastArrival), last) >= QuietPeriod {
			return false
		}
		select {
		case <-ctx.Done():
			return true
		case <-tick.C:
		}
	}
}
