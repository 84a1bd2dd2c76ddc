package run

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// seedTechniques is PIPELINE.md's default mapping: every seed alert type and its technique.
var seedTechniques = map[string]string{
	"Reputation block outbound request: malicious URL":                             "T1598.003",
	"Reputation block outbound request: phishing site":                             "T1566",
	"IPS block outbound request: cross-site scripting (XSS) attack":                "T1189",
	"IPS block: cryptomining & blockchain traffic":                                 "T1496",
	"Malware block: malicious file":                                                "T1204.002",
	"Sandbox block inbound response: malicious file":                               "T1204.002",
	"Not allowed non-RFC compliant HTTP traffic":                                   "T1071",
	"Not allowed to upload/download encrypted or password-protected archive files": "T1027",
	"RDP Allow":            "T1021.001",
	"Remote Backup Failed": "T1020",
}

// smokeRun runs n events of the smoke scenario (every class at equal weight) at rate over real loopback
// TCP into the embedded collector.
func smokeRun(t *testing.T, ctx context.Context, pl *pipeline.Pipeline, n uint64, rate float64, conns int, framing string) *reports.Report {
	t.Helper()
	scn, gen := smokeGenerator(t)
	rep, err := Run(ctx, Config{
		Generator:    gen,
		Pacer:        pacer.Constant{Rate: rate, Limit: pacer.Limit{Count: n, Duration: time.Minute}},
		Pipeline:     pl,
		Connections:  conns,
		Framing:      framing,
		DrainTimeout: 20 * time.Second,
		Meta:         reports.Meta{Scenario: scn.Name},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// smokeGenerator returns the smoke scenario (every class at equal weight) and its generator, with record
// tracking.
func smokeGenerator(t *testing.T) (*scenarios.Scenario, *generator.Generator) {
	t.Helper()
	scn, err := scenarios.Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		t.Fatal(err)
	}
	return scn, gen
}

func defaultPipeline() *pipeline.Pipeline {
	return pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
}

func TestEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		name    string
		conns   int
		framing string
	}{
		{"lf one connection", 1, "lf"},
		{"octet three connections", 3, "octet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 4000
			rep := smokeRun(t, context.Background(), defaultPipeline(), n, 20000, tc.conns, tc.framing)
			c := rep.Counts
			if c.Offered != n || c.Sent != n {
				t.Fatalf("offered %d, sent %d; want %d each", c.Offered, c.Sent, n)
			}
			if c.Verdicts+c.Lost != c.Sent || !rep.Balanced() {
				t.Fatalf("accounting does not balance: %+v", c)
			}
			if c.Lost != 0 {
				t.Fatalf("lost %d events over loopback: %+v", c.Lost, rep.Lost)
			}
			if rep.Conformance.Checked != n || rep.Conformance.Mismatches != 0 {
				t.Fatalf("conformance: %d checked, %d mismatches; examples %+v", rep.Conformance.Checked, rep.Conformance.Mismatches, rep.Conformance.Examples)
			}
			mapped := map[string]string{}
			for _, a := range rep.Alerts {
				if a.Mapped {
					mapped[a.AlertType] = a.ThreatID
				}
			}
			for alert, technique := range seedTechniques {
				if got := mapped[alert]; got != technique {
					t.Errorf("seed alert %q arrived mapped to %q; want %q", alert, got, technique)
				}
			}
			reasons := map[string]uint64{}
			details := map[string]uint64{}
			for _, d := range rep.Drops {
				reasons[d.Reason] += d.Count
				details[d.Detail] += d.Count
			}
			for _, r := range verdict.Reasons() {
				if reasons[r.String()] == 0 {
					t.Errorf("no drop for reason %s: %+v", r, rep.Drops)
				}
			}
			for _, d := range verdict.Details() {
				if details[d.String()] == 0 {
					t.Errorf("no malformed record with detail %s", d)
				}
			}
			for _, s := range rep.Latency {
				if s.Count == 0 {
					t.Errorf("latency stage %s has no samples", s.Stage)
				}
			}
		})
	}
}

// TestMappingChangeIsCaught runs with a mapping table that lacks RDP Allow: the live conformance check must
// name exactly the RDP Allow records as mismatches.
func TestMappingChangeIsCaught(t *testing.T) {
	var rows []string
	for alert, technique := range seedTechniques {
		if alert != "RDP Allow" {
			rows = append(rows, `{"alertType":"`+alert+`","threatId":"`+technique+`","threatName":"x"}`)
		}
	}
	maps, _, err := pipeline.ParseMappings("test-mappings.json", []byte(`{"mappings":[`+strings.Join(rows, ",")+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	rep := smokeRun(t, context.Background(), pipeline.New(pipeline.DefaultRules(), maps, pipeline.Options{}), 2000, 20000, 1, "lf")
	if !rep.Balanced() || rep.Counts.Lost != 0 {
		t.Fatalf("accounting: %+v", rep.Counts)
	}
	var rdp uint64
	for _, c := range rep.Classes {
		if c.Name == "alert.rdp_allow" {
			rdp = c.Alerts
			if c.Mismatches != c.Alerts || c.Alerts == 0 {
				t.Fatalf("class %s: %d alerts, %d mismatches; want every one a mismatch", c.Name, c.Alerts, c.Mismatches)
			}
		} else if c.Mismatches != 0 {
			t.Errorf("class %s has %d mismatches; only RDP Allow changed", c.Name, c.Mismatches)
		}
	}
	if rep.Conformance.Mismatches != rdp {
		t.Fatalf("%d mismatches; want %d (the RDP Allow records)", rep.Conformance.Mismatches, rdp)
	}
	ex := rep.Conformance.Examples[0]
	if ex.Field != "threatId" || ex.Want != "T1021.001" || ex.Got != "" || !strings.Contains(ex.Input, "RDP Allow") {
		t.Fatalf("first mismatch = %+v; want threatId got \"\" want T1021.001 on an RDP Allow line", ex)
	}
}

// TestInterrupt cancels a long run: generation stops, what was sent is still decided, and the report is
// marked interrupted and balances; the only loss may be a record due at the interrupt and not yet sent.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rep := smokeRun(t, ctx, defaultPipeline(), 1_000_000, 5000, 2, "lf")
	if !rep.Meta.Interrupted {
		t.Fatal("report not marked interrupted")
	}
	if rep.Counts.Offered == 0 || rep.Counts.Offered >= 1_000_000 {
		t.Fatalf("offered %d; want a part of the schedule", rep.Counts.Offered)
	}
	if lost := lostBy(rep); !rep.Balanced() || rep.Counts.Lost != lost[LostInterrupted] {
		t.Fatalf("interrupted run does not balance or lost events: %+v %+v", rep.Counts, rep.Lost)
	}
}

// TestShards runs a schedule as three shards and as a whole: the shards' class counts add up to the
// whole run's, exactly.
func TestShards(t *testing.T) {
	scn, err := scenarios.Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	const n = 3001
	runShard := func(sh Shard) *reports.Report {
		gen, err := scenarios.GeneratorFor(scn, true)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Run(context.Background(), Config{
			Generator: gen, Pipeline: defaultPipeline(), Shard: sh,
			Pacer: pacer.Constant{Rate: 30000, Limit: pacer.Limit{Count: n}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Balanced() || rep.Counts.Lost != 0 || rep.Conformance.Mismatches != 0 {
			t.Fatalf("shard %v: %+v", sh, rep.Counts)
		}
		return rep
	}
	whole := runShard(Shard{})
	sum := map[string]uint64{}
	var offered uint64
	for i := 0; i < 3; i++ {
		rep := runShard(Shard{Index: i, Count: 3})
		offered += rep.Counts.Offered
		if want := uint64(n/3 + map[bool]int{true: 1}[i < n%3]); rep.Counts.Offered != want {
			t.Errorf("shard %d/3 offered %d; want %d", i, rep.Counts.Offered, want)
		}
		for _, c := range rep.Classes {
			sum[c.Name] += c.Alerts + c.Dropped
		}
	}
	if offered != n {
		t.Fatalf("shards offered %d in all; want %d", offered, n)
	}
	for _, c := range whole.Classes {
		if sum[c.Name] != c.Alerts+c.Dropped {
			t.Errorf("class %s: shards %d, whole %d", c.Name, sum[c.Name], c.Alerts+c.Dropped)
		}
	}
}

// TestCost checks the slowed collector caps the achieved rate near 1/Cost, with no loss: backpressure
// makes the sender fall behind instead.
func TestCost(t *testing.T) {
	_, gen := smokeGenerator(t)
	// 10,000 records offered at 20,000/s to a collector that takes at most 1/cost = 3,333/s: about 10 MB,
	// more than the sender's and the sockets' buffers hold, so the sender must fall behind.
	const cost, count = 300 * time.Microsecond, 10_000
	rep, err := Run(context.Background(), Config{
		Generator: gen, Pipeline: defaultPipeline(), Cost: cost,
		Pacer: pacer.Constant{Rate: 20000, Limit: pacer.Limit{Count: count}}, DeliverAll: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Balanced() || rep.Counts.Lost != 0 {
		t.Fatalf("accounting: %+v", rep.Counts)
	}
	if most := 1.1 / cost.Seconds(); rep.Rates.Achieved > most {
		t.Fatalf("achieved %.0f/s with a %v per-record cost; want <= ~%.0f/s", rep.Rates.Achieved, cost, most)
	}
	if rep.Counts.Behind == 0 {
		t.Fatal("a collector six times too slow left the sender on schedule")
	}
}

// TestStartAt: the schedule starts at StartAt, not when Run is called; interrupted while it waits, the
// run ends at once with nothing offered.
func TestStartAt(t *testing.T) {
	_, gen := smokeGenerator(t)
	cfg := Config{Generator: gen, Pipeline: defaultPipeline(), Pacer: pacer.Constant{Rate: 10000, Limit: pacer.Limit{Count: 200}}}

	t.Run("waits", func(t *testing.T) {
		cfg := cfg
		cfg.StartAt = time.Now().Add(300 * time.Millisecond)
		rep, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		// A timer on a machine whose cores are busy may fire late; what matters is that the run waited.
		if late := rep.Meta.Started.Sub(cfg.StartAt); late < 0 || late > time.Second {
			t.Errorf("started %v after StartAt; want within [0, 1s]", late)
		}
		if !rep.Balanced() || rep.Counts.Offered != 200 || rep.Counts.Lost != 0 {
			t.Errorf("accounting %+v; want 200 offered, balanced, none lost", rep.Counts)
		}
	})
	t.Run("interrupted while waiting", func(t *testing.T) {
		cfg := cfg
		cfg.StartAt = time.Now().Add(time.Hour)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		begun := time.Now()
		rep, err := Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(begun); took > 10*time.Second {
			t.Errorf("Run took %v after its context ended; want it to stop waiting at once", took)
		}
		if !rep.Meta.Interrupted || rep.Counts.Offered != 0 || !rep.Balanced() {
			t.Errorf("interrupted %v, accounting %+v; want interrupted with nothing offered", rep.Meta.Interrupted, rep.Counts)
		}
	})
}
