package run

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports"
)

// The limit line on real runs (TestRunLimitCollector and TestRunLimitNone have the collector and none).

// TestRunLimitSender: an embedded run whose sender pauses 2ms before each record (SendCost) offered
// 2000/s, four times what it can send, while the collector reads at once: limited by the sender.
func TestRunLimitSender(t *testing.T) {
	_, gen := smokeGenerator(t)
	rep, err := Run(context.Background(), Config{
		Generator: gen, Pipeline: defaultPipeline(), SendCost: 2 * time.Millisecond,
		Pacer: pacer.Constant{Rate: 2000, Limit: pacer.Limit{Duration: time.Second}}, DrainTimeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	l := rep.LimitedBy()
	t.Logf("%s: %s", l.Line(), l.Figures())
	if l.By != reports.LimitSender || l.WireFrom != "wire" || l.WireP99 >= reports.LimitWire {
		t.Errorf("limited by %s (%s); want sender, the wire lag measured and short\n%s", l.By, l.Why, l.Figures())
	}
}

// TestRunLimitExternal: an over-fast offered rate against a target that reads and discards at once,
// without a sink: the generator falls behind and nothing measures the collector's side: unknown.
func TestRunLimitExternal(t *testing.T) {
	counter := &collectortest.Counter{}
	ln, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{}, counter.NewHandler)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := extConfig(t, "smoke", 0, 0, ln.URL())
	cfg.Pacer = pacer.Constant{Rate: 5e6, Limit: pacer.Limit{Duration: time.Second}} // far beyond any generator here
	cfg.DrainTimeout = time.Second
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := rep.LimitedBy()
	t.Logf("discarding target, no sink: %s: %s", l.Line(), l.Figures())
	if l.By != reports.LimitUnknown || l.WireFrom != "" {
		t.Errorf("no sink: limited by %s (%s); want unknown\n%s", l.By, l.Why, l.Figures())
	}
}

// relayRun runs the smoke scenario at rate for a second through relay to the sink on sinkPort, each
// sender pausing sendCost before each record, and returns its limit.
func relayRun(t *testing.T, relay *runtest.Relay, sinkPort int, rate float64, sendCost time.Duration) reports.Limit {
	t.Helper()
	cfg := extConfig(t, "smoke", 0, 0, relay.URL())
	cfg.Pacer = pacer.Constant{Rate: rate, Limit: pacer.Limit{Duration: time.Second}}
	cfg.SendCost = sendCost
	cfg.DrainTimeout = time.Second
	cfg.Sink = fmt.Sprintf("tcp://127.0.0.1:%d", sinkPort)
	cfg.SinkOptions = sink.Options{Expect: sink.ExpectAll} // the relay connects to the sink when the sender connects to it
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := rep.LimitedBy()
	t.Logf("%s: %s", l.Line(), l.Figures())
	if l.WireFrom != "e2e-send" || l.Achieved == 0 {
		t.Fatalf("wire lag from %q, %v/s delivered; want it from the sink's end-to-end less send\n%s", l.WireFrom, l.Achieved, l.Figures())
	}
	if l.BehindRatio <= reports.LimitBehind || l.SendP99 < reports.LimitLag {
		t.Fatalf("behind %.3g of sent, send p99 %v; want the sender behind (> %v, ≥ %v)\n%s",
			l.BehindRatio, l.SendP99, reports.LimitBehind, reports.LimitLag, l.Figures())
	}
	return l
}

// TestRunLimitRelay: the limit line of external runs through a relay to the sink, where the wire lag
// is the end-to-end p99 less the send p99, on both sides of the rule. A relay that forwards at once,
// with senders that pause 2ms before each record (SendCost: at most 500/s, a sleep that leaves the CPU
// to the relay and the sink) offered 2000/s: the sender fell behind, sent no faster than it could, and
// the records' wire lag stayed short of both marks (LimitWire, LimitTracks × send lag): limited by the
// sender. A relay that reads 100 kB a second through a small receive buffer, offered 1000/s (about six
// times that) by a sender that does not pause: the sender's writes block while records wait in the
// buffers: limited by the collector, the wire lag over a mark.
func TestRunLimitRelay(t *testing.T) {
	t.Run("sender", func(t *testing.T) {
		sinkPort := runtest.FreePort(t)
		const sendCost = 2 * time.Millisecond
		l := relayRun(t, runtest.StartRelay(t, fmt.Sprintf("127.0.0.1:%d", sinkPort)), sinkPort, 2000, sendCost)
		if l.By != reports.LimitSender {
			t.Errorf("limited by %s (%s); want sender\n%s", l.By, l.Why, l.Figures())
		}
		if capacity := float64(time.Second / sendCost); l.SentRate > 1.1*capacity {
			t.Errorf("sent %.0f/s; a sender pausing %v a record sends at most %.0f/s\n%s", l.SentRate, sendCost, capacity, l.Figures())
		}
		if l.WireP99 >= reports.LimitWire || float64(l.WireP99) >= reports.LimitTracks*float64(l.SendP99) {
			t.Errorf("wire lag p99 %v; want < %v and < %.1f × send p99 %v\n%s", l.WireP99, reports.LimitWire, reports.LimitTracks, l.SendP99, l.Figures())
		}
	})
	t.Run("collector", func(t *testing.T) {
		sinkPort := runtest.FreePort(t)
		l := relayRun(t, runtest.StartSlowRelay(t, fmt.Sprintf("127.0.0.1:%d", sinkPort), 2_000_000), sinkPort, 20000, 0)
		if l.By != reports.LimitCollector || !strings.Contains(l.Why, "backpressure") {
			t.Errorf("limited by %s (%s); want collector (backpressure)\n%s", l.By, l.Why, l.Figures())
		}
		if l.WireP99 < reports.LimitWire && float64(l.WireP99) < reports.LimitTracks*float64(l.SendP99) {
			t.Errorf("wire lag p99 %v; want ≥ %v or ≥ %.1f × send p99 %v\n%s", l.WireP99, reports.LimitWire, reports.LimitTracks, l.SendP99, l.Figures())
		}
	})
}
