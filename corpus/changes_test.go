package corpus

import (
	"testing"

	"github.com/nssbench/nssbench/reports"
)

func TestChangeString(t *testing.T) {
	rdp := reports.Outcome{Verdict: "alert", ThreatID: "T1021.001", ThreatName: "Remote Desktop Protocol"}
	for _, tt := range []struct {
		c    Change
		want string
	}{
		{Change{AlertType: "RDP Allow", Old: rdp, New: reports.Outcome{Verdict: "alert"}, Records: 306},
			"RDP Allow: alert T1021.001 → alert unmapped, 306 records"},
		{Change{AlertType: "phishing site", Old: reports.Outcome{Verdict: "alert", ThreatID: "T1566", ThreatName: "Phishing"},
			New: reports.Outcome{Verdict: "alert", ThreatID: "T1566.002", ThreatName: "Spearphishing Link"}, Records: 1},
			"phishing site: T1566 Phishing → T1566.002 Spearphishing Link, 1 record"},
		{Change{AlertType: "RDP Allow", Old: rdp, New: reports.Outcome{Verdict: "dropped", Drop: "platform/default_allow"}, Records: 12345},
			"RDP Allow: alert T1021.001 → dropped platform/default_allow, 12,345 records"},
		{Change{AlertType: "RDP Allow", Old: rdp, New: rdp, Fields: []string{"feed"}, Records: 3},
			"RDP Allow: alert T1021.001, feed differs, 3 records"},
		{Change{AlertType: "RDP Allow", Old: rdp, New: rdp, Fields: []string{"recordid", "feed"}, Records: 3},
			"RDP Allow: alert T1021.001, recordid and feed differ, 3 records"},
	} {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
}

func TestTotals(t *testing.T) {
	ok := &Result{Records: 100_000}
	changed := &Result{Records: 210, Mismatched: 7, Changes: []Change{{AlertType: "a", Records: 4}, {AlertType: "b", Records: 2}, {AlertType: "a", Records: 1}}}
	for _, tt := range []struct {
		outs []Outcome
		want string
	}{
		{[]Outcome{{Result: ok}}, "1 corpus, 100,000 records: 0 changed"},
		{[]Outcome{{Result: ok}, {Result: changed}}, "2 corpora, 100,210 records: 7 changed in 2 alert types"},
		{[]Outcome{{Result: ok}, {Err: &Error{Kind: ErrCount, File: "x", Msg: "broken"}}}, "2 corpora, 100,000 records: 0 changed; 1 corpus could not be verified"},
	} {
		if got := Total(tt.outs).String(); got != tt.want {
			t.Errorf("Total = %q; want %q", got, tt.want)
		}
	}
}
