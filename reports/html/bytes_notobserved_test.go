package html_test

import (
	"strings"
	"testing"
)

// TestBytesNotObserved: the page shows a run's delivered bytes as not observed when no sink watched
// delivery, and as figures when one did.
func TestBytesNotObserved(t *testing.T) {
	const unobserved = `<td class="num">not observed</td><td class="num">-</td><td class="num">-</td>`
	if page := render(t, deliveryReport(t, false)); !strings.Contains(page, unobserved) {
		t.Errorf("unobserved page lacks %q", unobserved)
	}
	if page := render(t, deliveryReport(t, true)); strings.Contains(page, "not observed</td><td class=\"num\">-") {
		t.Errorf("observed page shows its delivered bytes as not observed")
	}
}
