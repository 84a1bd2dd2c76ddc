package run

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports"
)

// TestSyslogNGRelay load-tests a real syslog-ng relaying nssbench's feed to the sink
// (testdata/syslog-ng-relay.conf): every record is accounted for, every well-formed one arrives exactly
// once, and end-to-end latency is reported. Skipped when syslog-ng is not installed.
func TestSyslogNGRelay(t *testing.T) {
	sinkPort := runtest.FreePort(t)
	target := runtest.SyslogNG(t, "testdata/syslog-ng-relay.conf", sinkPort)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := extConfig(t, "smoke", 3000, 3000, target)
	cfg.Sink = fmt.Sprintf("tcp://127.0.0.1:%d", sinkPort)
	cfg.SinkOptions = sink.Options{Expect: sink.ExpectAll}
	cfg.SinkWait = 5 * time.Second
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkBalance(t, rep)
	c, d := rep.Counts, rep.Delivery
	t.Logf("counts %+v lost %+v delivery %+v", c, rep.Lost, *d)
	if c.Offered != 3000 || c.Lost != 0 || rep.Conformance.Mismatches != 0 {
		t.Fatalf("counts %+v, lost %+v, %d mismatches %+v; want 3000 offered and nothing lost",
			c, rep.Lost, rep.Conformance.Mismatches, rep.Conformance.Examples)
	}
	if d.Duplicates != 0 || d.Foreign != 0 || d.Delivered+c.Dropped != 3000 {
		t.Fatalf("delivery %+v; want each record once, malformed ones dropped or delivered", d)
	}
	e2e := rep.Stage(reports.EndToEnd)
	if e2e == nil || e2e.Count != d.Delivered || e2e.P50 <= 0 {
		t.Fatalf("end-to-end latency %+v; want one sample per delivery", e2e)
	}
	t.Logf("syslog-ng relay end-to-end latency: p50 %v p99 %v max %v", e2e.P50, e2e.P99, e2e.Max)
}
