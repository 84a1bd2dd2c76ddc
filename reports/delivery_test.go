package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// deliveryReport is a small external-run report: 10 offered, 7 delivered, 2 dropped, 1 lost.
func deliveryReport(observed bool) *reports.Report {
	r := reports.NewRecorder(reports.RecorderConfig{Classes: []string{"c"}, Start: goldenStart})
	for i := 0; i < 10; i++ {
		r.Offered(int64(i) * int64(time.Millisecond))
	}
	rep := r.Report(reports.Meta{Scenario: "external", Started: goldenStart, Duration: time.Second})
	rep.Delivery = &reports.Delivery{Observed: observed, Reconnects: 1, AtRisk: 3, Resent: 4, Note: "a note"}
	if observed {
		rep.Delivery.Sink, rep.Delivery.Expect = "tcp://127.0.0.1:5515", "all"
		rep.Delivery.Delivered, rep.Delivery.Duplicates, rep.Delivery.Unattributed = 7, 2, 5
	} else {
		rep.Delivery.Unobserved = 9
		rep.Counts.Lost = 1
	}
	return rep
}

func TestRenderDelivery(t *testing.T) {
	for _, tt := range []struct {
		observed bool
		want     []string
	}{
		{true, []string{"delivery (sink tcp://127.0.0.1:5515, expect all): delivered 7, duplicates 2, reordered 0, unattributed 5, foreign 0\n",
			"sender: reconnects 1, at risk 3, re-sent 4\n", "note: a note\n"}},
		{false, []string{"delivery NOT OBSERVED (no sink): 9 sent records' fate unknown\n",
			"balance: offered 10 = unobserved 9 + lost 1: delivery not observed (no sink)\n"}},
	} {
		var buf bytes.Buffer
		if err := reports.Text.Render(&buf, deliveryReport(tt.observed)); err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.want {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("observed=%t: text lacks %q:\n%s", tt.observed, want, buf.String())
			}
		}
	}
	// An unobserved report whose figures do not add up says so.
	rep := deliveryReport(false)
	rep.Delivery.Unobserved = 5
	var buf bytes.Buffer
	if err := reports.Text.Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "vs unobserved 5 + lost 1 + verdicts 0: NOT BALANCED") {
		t.Errorf("unbalanced unobserved report:\n%s", buf.String())
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
