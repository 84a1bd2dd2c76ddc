package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
)

// deliveryReport is a small external-run report of 10 offered records. Observed: all sent, 7 delivered
// (alerts), 2 dropped as expected, 1 lost "not_delivered", so the report balances. Not observed: 9 sent
// and their fate unknown, 1 lost before it was sent.
func deliveryReport(observed bool) *reports.Report {
	r := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"c"}, Start: goldenStart})
	alert := &verdict.Verdict{Kind: verdict.KindAlert, Stage: verdict.StagePlatform, AlertType: []byte("Virus block")}
	drop := &verdict.Verdict{Kind: verdict.KindDropped, Stage: verdict.StageCollector, Reason: verdict.ReasonAllowedTraffic}
	ms := int64(time.Millisecond)
	for i := int64(0); i < 10; i++ {
		t := reports.Timing{Scheduled: i * ms, Written: i*ms + 20_000, Received: i*ms + 300_000, Decided: i*ms + 350_000}
		r.Offered(t.Scheduled)
		switch {
		case !observed && i == 9:
			r.LostAt(t.Scheduled, 0, "send_error", 1)
		case !observed:
			r.Sent(t, false)
		case i < 7:
			r.Sent(t, false)
			r.Verdict(0, alert, t)
		case i < 9:
			r.Sent(t, false)
			r.Verdict(0, drop, t)
		default:
			r.Sent(t, false)
			r.LostAt(t.Written, 0, "not_delivered", 1)
		}
	}
	rep := r.Report(reports.Meta{Scenario: "external", Seed: 1, Pacer: "Constant{10/s}", OfferedRate: 10, Started: goldenStart,
		Duration: time.Second, Target: "tcp://127.0.0.1:5514", Transport: "tcp",
		Connections: 1, Version: "v0.0.0-test", GoVersion: "go1.26", Machine: "linux/amd64, 2 CPUs, test"})
	rep.Delivery = &reports.Delivery{Observed: observed, Reconnects: 1, AtRisk: 3, Resent: 4, Note: "a note"}
	if observed {
		rep.Delivery.Sink, rep.Delivery.Expect = "tcp://127.0.0.1:5515", "all"
		rep.Delivery.Delivered, rep.Delivery.Duplicates, rep.Delivery.Reordered, rep.Delivery.Unattributed, rep.Delivery.Foreign = 7, 2, 1, 5, 6
	} else {
		rep.Delivery.Unobserved = 9
	}
	return rep
}

// TestRenderDelivery renders the Delivery section of an observed and an unobserved run as text and
// Markdown, checks its facts and the balance line, and pins each render in a golden file.
func TestRenderDelivery(t *testing.T) {
	for _, tt := range []struct {
		name     string
		rd       reports.Renderer
		observed bool
		want     []string
	}{
		{"text/observed", reports.Text, true, []string{
			"delivery (sink tcp://127.0.0.1:5515, expect all): delivered 7, duplicates 2, reordered 1, unattributed 5, foreign 6\n",
			"sender: reconnects 1, at risk 3, re-sent 4\n", "note: a note\n",
			"balance: offered 10 = alerts 7 + dropped 2 + lost 1: balanced\n",
			"relay (expect all): arrived 7, did not arrive 3 (expected 2, unexpected 1)\n",
			"class  arrived  did not arrive: expected  unexpected (lost)  checked  mismatches\n  c    7        2                         1                  9        0\n"}},
		{"text/unobserved", reports.Text, false, []string{
			"delivery NOT OBSERVED (no sink): 9 sent records' fate unknown\n",
			"sender: reconnects 1, at risk 3, re-sent 4\n", "note: a note\n",
			"balance: offered 10 = unobserved 9 + lost 1: delivery not observed (no sink)\n"}},
		{"markdown/observed", reports.Markdown, true, []string{
			"### nssbench: `external` — ✅ pass\n",
			"\n**Delivery**: observed by the sink `tcp://127.0.0.1:5515`, expect `all`\n\n| | count |\n|---|--:|\n" +
				"| delivered | 7 |\n| duplicates | 2 |\n| reordered | 1 |\n| unattributed | 5 |\n| foreign | 6 |\n" +
				"| sender: reconnects | 1 |\n| sender: at risk | 3 |\n| sender: re-sent | 4 |\n\nNote: a note\n",
			"\nbalance: offered 10 = alerts 7 + dropped 2 + lost 1: balanced\n",
			"| arrived | 7 | relay (expect all) |\n| did not arrive, expected | 2 | |\n| did not arrive, unexpected (lost) | 1 | 10% of offered |\n",
			"\n**Arrived, by alert type**\n\n| alert type | threat | count |\n|---|---|--:|\n| Virus block | - | 7 |\n",
			"\n**Did not arrive, expected, by stage and reason**\n", "\n**Did not arrive, unexpected (lost), by cause**\n",
			"| class | arrived | did not arrive: expected | unexpected (lost) | checked | mismatches |\n|---|--:|--:|--:|--:|--:|\n| c | 7 | 2 | 1 | 9 | 0 |\n"}},
		{"markdown/unobserved", reports.Markdown, false, []string{
			"### nssbench: `external` — ✅ pass\n",
			"\n**Delivery**: **not observed** (no sink)\n\n| | count |\n|---|--:|\n| sent, fate unknown (no sink) | 9 |\n" +
				"| sender: reconnects | 1 |\n| sender: at risk | 3 |\n| sender: re-sent | 4 |\n\nNote: a note\n",
			"\nbalance: offered 10 = unobserved 9 + lost 1: delivery not observed (no sink)\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rd.Render(&buf, deliveryReport(tt.observed)); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("render lacks %q:\n%s", want, buf.String())
				}
			}
			// A relay's report never calls what arrived an (unmapped) alert.
			if low := strings.ToLower(buf.String()); tt.observed && (strings.Contains(low, "unmapped") || strings.Contains(low, "alerts by type")) {
				t.Errorf("a relay's report words arrivals as alerts:\n%s", buf.String())
			}
			golden.Check(t, buf.Bytes())
		})
	}
	// A report without a Delivery section (an embedded run) shows none.
	for name, rd := range map[string]reports.Renderer{"text": reports.Text, "markdown": reports.Markdown} {
		var buf bytes.Buffer
		rep := deliveryReport(true)
		rep.Delivery = nil
		if err := rd.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if s := strings.ToLower(buf.String()); strings.Contains(s, "delivery") || strings.Contains(s, "sender") {
			t.Errorf("%s: a report without delivery figures shows some:\n%s", name, buf.String())
		}
	}
}

// TestRenderUnobservedUnbalanced: an unobserved report whose figures do not add up says so, and the
// Markdown status fails.
func TestRenderUnobservedUnbalanced(t *testing.T) {
	rep := deliveryReport(false)
	rep.Delivery.Unobserved = 5
	if rep.Accounted() {
		t.Fatal("Accounted() = true for offered 10 vs unobserved 5 + lost 1")
	}
	for _, tt := range []struct {
		name string
		rd   reports.Renderer
		want []string
	}{
		{"text", reports.Text, []string{"balance: offered 10 vs unobserved 5 + lost 1 + verdicts 0: NOT BALANCED\n"}},
		{"markdown", reports.Markdown, []string{"— ❌ fail\n", "balance: offered 10 vs unobserved 5 + lost 1 + verdicts 0: NOT BALANCED\n"}},
	} {
		var buf bytes.Buffer
		if err := tt.rd.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.want {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("%s: render lacks %q:\n%s", tt.name, want, buf.String())
			}
		}
	}
}

func TestAccounted(t *testing.T) {
	for _, tt := range []struct {
		name     string
		r        func() *reports.Report
		balanced bool
		want     bool
	}{
		{"observed, balanced", func() *reports.Report { return deliveryReport(true) }, true, true},
		{"observed, unbalanced", func() *reports.Report { r := deliveryReport(true); r.Counts.Offered++; return r }, false, false},
		{"unobserved", func() *reports.Report { return deliveryReport(false) }, false, true},
		{"unobserved, a verdict", func() *reports.Report {
			r := deliveryReport(false)
			r.Counts.Verdicts, r.Counts.Dropped, r.Delivery.Unobserved = 1, 1, 8
			return r
		}, false, false},
		{"embedded", func() *reports.Report { r := deliveryReport(true); r.Delivery = nil; return r }, true, true},
	} {
		r := tt.r()
		if got := r.Accounted(); got != tt.want || r.Balanced() != tt.balanced {
			t.Errorf("%s: Accounted() = %v, Balanced() = %v; want %v, %v", tt.name, got, r.Balanced(), tt.want, tt.balanced)
		}
	}
}

func TestDeliveryRoundTripAndMerge(t *testing.T) {
	a, b := deliveryReport(true), deliveryReport(true)
	b.Delivery.Sink = "tcp://127.0.0.1:6000"
	var buf bytes.Buffer
	if err := reports.JSON.Render(&buf, a); err != nil {
		t.Fatal(err)
	}
	back, err := reports.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Delivery == nil || *back.Delivery != *a.Delivery {
		t.Fatalf("Decode(JSON(d)) = %+v; want %+v", back.Delivery, a.Delivery)
	}
	m, err := reports.Merge(a, b, goldenReport(t, 1, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	d := m.Delivery
	if d == nil || d.Delivered != 14 || d.Duplicates != 4 || d.AtRisk != 6 || d.Resent != 8 || d.Reconnects != 2 ||
		d.Sink != "tcp://127.0.0.1:5515 + tcp://127.0.0.1:6000" || d.Expect != "all" || !d.Observed {
		t.Fatalf("merged delivery %+v", d)
	}
	if m, _ := reports.Merge(goldenReport(t, 1, time.Second)); m.Delivery != nil {
		t.Fatalf("merge of embedded reports has a delivery section: %+v", m.Delivery)
	}
}
