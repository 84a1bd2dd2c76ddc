package html_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports/golden"
)

// relaySections matches the page's breakdown and class sections.
var relaySections = regexp.MustCompile(`(?s)<section id="breakdown">.*?</section>|<section id="classes">.*?</section>`)

// TestRenderRelay: with -expect-forward all the page words alerts, drops and lost as arrived and did not
// arrive (expected, unexpected), in the breakdown and the class table, pinned in a golden file.
func TestRenderRelay(t *testing.T) {
	rep := deliveryReport(t, true)
	rep.Delivery.Expect = "all"
	page := render(t, rep)
	c := &rep.Counts
	for _, want := range []string{
		`<h2>Relay <span class="sub">expect all: arrived ` + count(c.Alerts) + `, did not arrive ` + count(c.Dropped+c.Lost) +
			` (expected ` + count(c.Dropped) + `, unexpected ` + count(c.Lost) + `)</span></h2>`,
		`<h3>Arrived, by alert type</h3>`,
		`<h3>Did not arrive, expected, by stage, reason and detail</h3>`,
		`<h3>Did not arrive, unexpected (lost), by cause `,
		`<th class="num">arrived</th><th class="num">did not arrive: expected</th><th class="num">unexpected (lost)</th>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	parts := relaySections.FindAllString(page, -1)
	if len(parts) != 2 {
		t.Fatalf("page has %d of the breakdown and class sections; want 2", len(parts))
	}
	for _, unwanted := range []string{`class="tag unmapped"`, `<th class="num">unmapped</th>`, "Alerts by type", "Verdicts <span"} {
		if strings.Contains(strings.Join(parts, ""), unwanted) {
			t.Errorf("a relay's page says %q", unwanted)
		}
	}
	golden.Check(t, []byte(strings.Join(parts, "\n")+"\n"))
	// Expecting verdicts, the page keeps the words of a pipeline.
	rep.Delivery.Expect = "verdicts"
	if page := render(t, rep); !strings.Contains(page, "<h3>Alerts by type</h3>") || strings.Contains(page, "Arrived, by alert type") {
		t.Error("a pipeline's page (expect verdicts) is worded as a relay's")
	}
}
