package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/golden"
	"github.com/nssbench/nssbench/reports/threshold"
)

// notObservedReport is the unobserved delivery report with a user's gates applied (two not observed) and
// the scenario's defaults the run left out.
func notObservedReport() *reports.Report {
	rep := deliveryReport(false)
	user := []*threshold.Threshold{threshold.MustParse("lost==0"), threshold.MustParse("send.p99<5ms"), threshold.MustParse("sent.rate>=0.5*achieved")}
	threshold.Apply(rep, user...)
	_, rep.ThresholdsLeftOut = threshold.Observable([]*threshold.Threshold{threshold.MustParse("lost==0"), threshold.MustParse("mismatches==0")},
		threshold.Vantage{External: true, Sender: true})
	return rep
}

// TestRenderNotObserved pins how text and Markdown show gates that failed as not observed and the
// default gates a run left out.
func TestRenderNotObserved(t *testing.T) {
	rep := notObservedReport()
	for _, tt := range []struct {
		name string
		rd   reports.Renderer
		want []string
	}{
		{"text", reports.Text, []string{
			"thresholds: 1 passed, 2 failed (2 not observed)",
			"got not observed: no sink: delivery and loss past the sender are unknown",
			"default thresholds left out (not observable by this run):",
			"mismatches==0  no sink: the collector's verdicts are unknown",
		}},
		{"markdown", reports.Markdown, []string{
			"| ❌ | `lost==0` | not observed: no sink: delivery and loss past the sender are unknown | == 0 |",
			"**Default thresholds left out (not observable by this run)**",
			"| `mismatches==0` | no sink: the collector's verdicts are unknown |",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.rd.Render(&buf, rep); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("render lacks %q:\n%s", want, buf.String())
				}
			}
			golden.Check(t, buf.Bytes())
		})
	}
	// JSON keeps both, and a report without left-out gates writes no key for them.
	var buf bytes.Buffer
	if err := reports.JSON.Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	back, err := reports.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.ThresholdsLeftOut) != 2 || !back.Thresholds[0].NotObserved || back.Thresholds[1].NotObserved {
		t.Errorf("JSON round trip: left out %+v, thresholds %+v", back.ThresholdsLeftOut, back.Thresholds)
	}
	buf.Reset()
	if err := reports.JSON.Render(&buf, deliveryReport(true)); err != nil || strings.Contains(buf.String(), "thresholdsLeftOut") {
		t.Errorf("JSON of a report without left-out gates: %v, has the key: %v", err, strings.Contains(buf.String(), "thresholdsLeftOut"))
	}
}
