package run

import (
	"context"
	"fmt"
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

// TestRunLimitExternal: over-fast offered rates against external collectors. Against a target that
// reads and discards at once without a sink, the generator falls behind and nothing measures the
// collector's side: unknown. Through a relay to the sink, the wire lag (end-to-end less send) is
// measured, and the rule decides by it: on this kind of machine the generator, the relay and the sink
// share the process, the generator falls behind first, and the relay forwards what it gets at once
// (sender), but a relay starved of CPU may hold records long enough to count as pushing back.
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

	sinkPort := runtest.FreePort(t)
	relay := runtest.StartRelay(t, fmt.Sprintf("127.0.0.1:%d", sinkPort))
	cfg = extConfig(t, "smoke", 0, 0, relay.URL())
	cfg.Pacer = pacer.Constant{Rate: 2e6, Limit: pacer.Limit{Duration: time.Second}}
	cfg.DrainTimeout = 2 * time.Second
	cfg.Sink = fmt.Sprintf("tcp://127.0.0.1:%d", sinkPort)
	cfg.SinkOptions = sink.Options{Expect: sink.ExpectAll}
	cfg.SinkWait = 5 * time.Second
	rep, err = Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l = rep.LimitedBy()
	t.Logf("relay and sink: %s: %s", l.Line(), l.Figures())
	fast := float64(l.WireP99) < reports.LimitTracks*float64(l.SendP99) && l.WireP99 < reports.LimitWire
	switch {
	case l.WireFrom != "e2e-send":
		t.Errorf("relay and sink: wire lag from %q; want e2e-send\n%s", l.WireFrom, l.Figures())
	case fast && l.By != reports.LimitSender, !fast && l.By != reports.LimitCollector:
		t.Errorf("relay and sink: limited by %s (%s) with the relay forwarding in %v; want sender for a fast relay, else collector\n%s",
			l.By, l.Why, l.WireP99, l.Figures())
	}
}
