package run

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports"
)

// lostBy returns rep's lost counts by cause.
func lostBy(rep *reports.Report) map[string]uint64 {
	m := map[string]uint64{}
	for _, l := range rep.Lost {
		m[l.Cause] = l.Count
	}
	return m
}

// slack is what a loaded machine (and the race detector) may add to a run's wall time: closing the
// connections and the collector, and counting the unsent records.
const slack = 3 * time.Second

// TestDurationBound: an embedded run at a rate no sender reaches ends by its schedule's end plus the
// drain, counts the records it never sent as not_sent and balances; -deliver-all delivers them all, late.
func TestDurationBound(t *testing.T) {
	_, gen := smokeGenerator(t)
	// The collector spends 200µs a record, so at most 5,000/s are decided however fast the machine:
	// 50,000/s is out of reach, and the records the collector's backpressure kept unsent are not_sent.
	const duration, drain, rate, cost = time.Second, 500 * time.Millisecond, 50_000, 200 * time.Microsecond
	cfg := Config{
		Generator: gen, Pipeline: defaultPipeline(), DrainTimeout: drain, Cost: cost,
		Pacer: pacer.Constant{Rate: rate, Limit: pacer.Limit{Duration: duration}},
	}
	begun := time.Now()
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(begun)
	c, lost := rep.Counts, lostBy(rep)
	t.Logf("took %v; counts %+v lost %+v", took, c, rep.Lost)
	if took > duration+drain+slack {
		t.Errorf("run took %v; want about %v (duration + drain)", took, duration+drain)
	}
	if !rep.Balanced() || c.Offered != rate || lost[LostNotSent] == 0 || rep.Meta.Ending != reports.EndDeadline {
		t.Errorf("balanced %v, offered %d, lost %+v, ending %q; want the whole schedule offered, the unsent lost as %s",
			rep.Balanced(), c.Offered, rep.Lost, rep.Meta.Ending, LostNotSent)
	}
	// A write cut at the run's end leaves its records sent but not received, and nothing else is lost.
	if unsent := c.Offered - c.Sent; c.Verdicts == 0 || unsent < lost[LostNotSent] || unsent > lost[LostNotSent]+lost[LostNotReceived] ||
		lost[LostNotSent]+lost[LostNotReceived] != c.Lost {
		t.Errorf("sent %d + not sent %d != offered %d (verdicts %d, lost %+v)", c.Sent, lost[LostNotSent], c.Offered, c.Verdicts, rep.Lost)
	}

	t.Run("deliver-all", func(t *testing.T) {
		_, gen := smokeGenerator(t)
		cfg := cfg
		cfg.Generator, cfg.DeliverAll, cfg.Cost = gen, true, 0
		cfg.Pacer = pacer.Constant{Rate: 2_000_000, Limit: pacer.Limit{Count: 20_000}}
		rep, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Balanced() || rep.Counts.Lost != 0 || rep.Counts.Verdicts != 20_000 || rep.Meta.Ending != reports.EndDeliverAll {
			t.Errorf("counts %+v, lost %+v, ending %q; want all 20000 decided", rep.Counts, rep.Lost, rep.Meta.Ending)
		}
	})
}

// TestInterruptCountsDue: an interrupt offers what the schedule had due by then; what was due and not
// sent is lost as interrupted, on the embedded collector and against a target.
func TestInterruptCountsDue(t *testing.T) {
	const rate, after = 500_000, 300 * time.Millisecond
	check := func(t *testing.T, rep *reports.Report, interrupt time.Time, took time.Duration) {
		t.Helper()
		c, lost := rep.Counts, lostBy(rep)
		t.Logf("took %v; counts %+v lost %+v", took, c, rep.Lost)
		if !rep.Meta.Interrupted || !rep.Balanced() {
			t.Fatalf("interrupted %v, counts %+v; want interrupted and balanced", rep.Meta.Interrupted, c)
		}
		// Offered is what was due at the interrupt, from the schedule's start (after the run's setup); its
		// time is taken within a loaded machine's slack.
		due := interrupt.Sub(rep.Meta.Started)
		if lo, hi := uint64(rate*(due-time.Millisecond).Seconds()), uint64(rate*(due+slack).Seconds()); c.Offered < lo || c.Offered > hi {
			t.Errorf("offered %d; want what was due at the interrupt, in [%d, %d]", c.Offered, lo, hi)
		}
		if lost[LostInterrupted] == 0 || c.Sent+lost[LostInterrupted] < c.Offered {
			t.Errorf("sent %d, lost %+v of %d offered; want the due and unsent lost as %s", c.Sent, rep.Lost, c.Offered, LostInterrupted)
		}
		if took > after+slack+5*time.Second {
			t.Errorf("run took %v after an interrupt at %v", took, after)
		}
	}
	t.Run("embedded", func(t *testing.T) {
		_, gen := smokeGenerator(t)
		begun := time.Now()
		ctx, cancel := context.WithDeadline(context.Background(), begun.Add(after))
		defer cancel()
		rep, err := Run(ctx, Config{Generator: gen, Pipeline: defaultPipeline(),
			Pacer: pacer.Constant{Rate: rate, Limit: pacer.Limit{Duration: time.Minute}}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, rep, begun.Add(after), time.Since(begun))
	})
	t.Run("relay", func(t *testing.T) {
		sinkURL := freeSink(t, "tcp")
		relay := runtest.StartRelay(t, strings.TrimPrefix(sinkURL, "tcp://"))
		cfg := extConfig(t, "smoke", 1<<40, rate, relay.URL())
		cfg.Sink, cfg.SinkOptions = sinkURL, sink.Options{Expect: sink.ExpectAll}
		begun := time.Now()
		ctx, cancel := context.WithDeadline(context.Background(), begun.Add(after))
		defer cancel()
		rep, err := Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		check(t, rep, begun.Add(after), time.Since(begun))
	})
}

// TestHTTPNeverAnswers: against an HTTP target that accepts requests and never answers, a run ends by
// its schedule's end plus the drain, whatever the write timeout and retry window say, and balances.
func TestHTTPNeverAnswers(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	const duration, drain = time.Second, 500 * time.Millisecond
	cfg := extConfig(t, "smoke", 1<<40, 2000, srv.URL+"/nss")
	cfg.Pacer = pacer.Constant{Rate: 2000, Limit: pacer.Limit{Duration: duration}}
	cfg.WriteTimeout, cfg.DrainTimeout = 2*time.Second, drain
	cfg.HTTP.RetryWindow = 3 * time.Second
	cfg.HTTP.BatchSize = 16 << 10
	begun := time.Now()
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(begun)
	c, lost := rep.Counts, lostBy(rep)
	t.Logf("took %v; counts %+v lost %+v", took, c, rep.Lost)
	if took > duration+drain+slack {
		t.Errorf("run took %v; want about %v (duration + drain)", took, duration+drain)
	}
	if !rep.Accounted() || c.Offered != 2000 || c.Lost != 2000 || lost[LostNotSent] == 0 {
		t.Errorf("counts %+v, lost %+v; want all 2000 offered and lost, the unsent as %s", c, rep.Lost, LostNotSent)
	}
}

// TestForeignConnection: records that reach the embedded collector from a connection that is not the
// run's are decided and counted as unattributed, outside the balance, and the text report shows them.
func TestForeignConnection(t *testing.T) {
	_, gen := smokeGenerator(t)
	addr := fmt.Sprintf("127.0.0.1:%d", runtest.FreePort(t))
	const foreign = 1000
	wrote := make(chan error, 1)
	go func() {
		var c net.Conn
		var err error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if c, err = net.Dial("tcp", addr); err == nil {
				break
			}
		}
		if err != nil {
			wrote <- err
			return
		}
		defer c.Close()
		var b strings.Builder
		for i := range foreign {
			fmt.Fprintf(&b, "<14>Jun 12 05:02:05 other CEF:0|Other|X|1|Allow|hello %d|3| act=Allow\n", i)
		}
		_, err = c.Write([]byte(b.String()))
		wrote <- err
	}()
	rep, err := Run(context.Background(), Config{Generator: gen, Pipeline: defaultPipeline(), Listen: "tcp://" + addr,
		Pacer: pacer.Constant{Rate: 10000, Limit: pacer.Limit{Count: 3000}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	c := rep.Counts
	if c.Unattributed != foreign || !rep.Balanced() || c.Offered != 3000 || c.Lost != 0 || rep.Conformance.Mismatches != 0 {
		t.Fatalf("counts %+v, %d mismatches; want the run's 3000 balanced and %d unattributed", c, rep.Conformance.Mismatches, foreign)
	}
	var text strings.Builder
	if err := reports.Text.Render(&text, rep); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("balanced; unattributed %d", foreign); !strings.Contains(text.String(), want) {
		t.Errorf("report lacks %q:\n%s", want, text.String())
	}
	if _, err := Run(context.Background(), Config{Generator: gen, Pipeline: defaultPipeline(), Listen: "udp://" + addr,
		Pacer: pacer.Constant{Rate: 10000, Limit: pacer.Limit{Count: 1}}}); err == nil || !strings.Contains(err.Error(), "want tcp://") {
		t.Errorf("Listen udp://: err = %v; want a refusal", err)
	}
}
