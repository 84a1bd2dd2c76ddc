package html_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports/golden"
	"github.com/nssbench/nssbench/reports/threshold"
)

// thresholdSections matches the page's Thresholds and left-out sections.
var thresholdSections = regexp.MustCompile(`(?s)<section id="thresholds(-left-out)?">.*?</section>`)

// TestRenderNotObserved pins how the page shows a gate that failed as not observed and the default gates
// the run left out.
func TestRenderNotObserved(t *testing.T) {
	rep := deliveryReport(t, false)
	threshold.Apply(rep, threshold.MustParse("lost==0"), threshold.MustParse("send.p99<5ms"))
	_, rep.ThresholdsLeftOut = threshold.Observable([]*threshold.Threshold{threshold.MustParse("mismatches==0")},
		threshold.VantageOf(rep))
	page := render(t, rep)
	for _, want := range []string{
		`<td class="num">not observed: no sink: delivery and loss past the sender are unknown</td>`,
		`<tr><td><code>mismatches==0</code></td><td>no sink: the collector&#39;s verdicts are unknown</td></tr>`,
		`<span class="badge fail">FAIL</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	parts := thresholdSections.FindAllString(page, -1)
	if len(parts) != 2 {
		t.Fatalf("page has %d threshold sections; want 2", len(parts))
	}
	golden.Check(t, []byte(strings.Join(parts, "\n")+"\n"))
}
