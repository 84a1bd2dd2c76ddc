package reports_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/reports"
)

// TestBytesNotObserved: a run without a sink shows its delivered bytes as not observed in text and
// Markdown, and leaves them out of the JSON (totals and feeds), which still decodes and renders the
// same; an observed run keeps them.
func TestBytesNotObserved(t *testing.T) {
	for _, tt := range []struct {
		rd   reports.Renderer
		want string
	}{
		{reports.Text, "0 GB/day  not observed  -     -       0.0 B"},
		{reports.Markdown, "| total | 0 B | 0 B/s | 0 GB/day | not observed | - | - | 0.0 B |"},
	} {
		var buf bytes.Buffer
		if err := tt.rd.Render(&buf, deliveryReport(false)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("render lacks %q:\n%s", tt.want, buf.String())
		}
	}

	deliveredKeys := []string{"delivered", "deliveredEvents", "deliveredPerSecond", "gbPerDay"}
	for _, observed := range []bool{false, true} {
		rep := deliveryReport(observed)
		rep.Classes[0].SentBytes = 1234
		rep.Bytes = reports.Rebytes(rep)
		var buf bytes.Buffer
		if err := reports.JSON.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		first := buf.String()
		var doc struct {
			Bytes struct {
				Feeds []map[string]any `json:"feeds"`
			} `json:"bytes"`
		}
		var total struct {
			Bytes map[string]any `json:"bytes"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(buf.Bytes(), &total); err != nil {
			t.Fatal(err)
		}
		if len(doc.Bytes.Feeds) == 0 {
			t.Fatalf("observed %v: bytes has no feeds:\n%s", observed, first)
		}
		if total.Bytes["sent"] != 1234.0 {
			t.Errorf("observed %v: bytes.sent = %v; want 1234", observed, total.Bytes["sent"])
		}
		for _, k := range deliveredKeys {
			for where, m := range map[string]map[string]any{"bytes": total.Bytes, "bytes.feeds[0]": doc.Bytes.Feeds[0]} {
				if _, ok := m[k]; ok != observed {
					t.Errorf("observed %v: %s has %s: %v; want it only when observed", observed, where, k, ok)
				}
			}
		}
		back, err := reports.Decode(strings.NewReader(first))
		if err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		if err := reports.JSON.Render(&buf, back); err != nil {
			t.Fatal(err)
		}
		if buf.String() != first {
			t.Errorf("observed %v: JSON does not survive a decode:\n%s\nvs\n%s", observed, first, buf.String())
		}
	}
}
