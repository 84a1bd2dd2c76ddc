package corpus

import (
	"bytes"
	"testing"
)

func TestNewStatsSummary(t *testing.T) {
	opts := NewOptions{Scenario: "smoke", Seed: 7}
	tests := []struct {
		name string
		st   NewStats
		want string
	}{
		{"agrees", NewStats{Records: 10}, "wrote corpus c: 10 records of scenario smoke, seed 7\n" +
			"the pipeline's verdicts equal the generator's ground truth on every record\n"},
		{"disagrees", NewStats{Records: 10, Disagreements: 2, Examples: []string{"line 1: kind: got alert, want dropped\n", "line 4: reason: got a, want b\n"}},
			"wrote corpus c: 10 records of scenario smoke, seed 7\n2 records' verdicts differ from the generator's ground truth, e.g.:\n" +
				"line 1: kind: got alert, want dropped\nline 4: reason: got a, want b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.st.WriteSummary(&buf, "c", opts); err != nil || buf.String() != tt.want {
				t.Errorf("WriteSummary = %q, %v; want %q", buf.String(), err, tt.want)
			}
		})
	}
}

func TestRecordStatsSummary(t *testing.T) {
	tests := []struct {
		name string
		st   RecordStats
		want string
	}{
		{"lines", RecordStats{Records: 5, Streams: 2}, "wrote corpus c: 5 records from 2 streams\n"},
		{"framing and oversize", RecordStats{Records: 5, Streams: 1, Framing: "octet", Oversize: 1},
			"wrote corpus c: 5 records from 1 streams (octet framing)\n1 of them oversize: the collector skips those unread, so the corpus holds a placeholder for each (verdict malformed/oversize)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.st.WriteSummary(&buf, "c"); err != nil || buf.String() != tt.want {
				t.Errorf("WriteSummary = %q, %v; want %q", buf.String(), err, tt.want)
			}
		})
	}
}
