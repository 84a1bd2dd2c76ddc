package reports_test

import (
	"slices"
	"testing"

	"github.com/nssbench/nssbench/reports"
)

func TestDifferences(t *testing.T) {
	full := reports.Meta{Scenario: "smoke", ScenarioHash: "aa", Pacer: "Constant{2000/s for 2s}", OfferedRate: 2000, TargetKind: "embedded",
		Connections: 1, Framing: "lf", RulesHash: "r1", MappingsHash: "m1", Version: "v1", Machine: "m"}
	other := reports.Meta{Scenario: "default", ScenarioHash: "bb", Pacer: "Constant{20000/s for 10s}", OfferedRate: 20000, TargetKind: "tcp",
		Connections: 4, Framing: "octet", RulesHash: "r2", MappingsHash: "m2", Version: "v2", Machine: "n"}
	var fields []string
	for _, d := range reports.Differences(&full, &other) {
		fields = append(fields, d.Field)
	}
	want := []string{"scenario", "scenarioHash", "pacer", "offeredRate", "targetKind", "connections", "framing", "rulesHash", "mappingsHash"}
	if !slices.Equal(fields, want) {
		t.Errorf("Differences fields = %v; want %v (version and machine are not compared)", fields, want)
	}
	if d := reports.Differences(&full, &full); len(d) != 0 {
		t.Errorf("Differences of a run with itself = %v", d)
	}
	old := reports.Meta{Scenario: "smoke", Pacer: full.Pacer, OfferedRate: 2000, Connections: 1}
	if d := reports.Differences(&full, &old); len(d) != 0 {
		t.Errorf("Differences with an older report = %v; want none (its missing fields are not compared)", d)
	}
	if got, want := reports.MissingExperiment(&old), []string{"scenarioHash", "targetKind", "framing", "rulesHash", "mappingsHash"}; !slices.Equal(got, want) {
		t.Errorf("MissingExperiment = %v; want %v", got, want)
	}
	if got := reports.MissingExperiment(&full); got != nil {
		t.Errorf("MissingExperiment of a full meta = %v", got)
	}
	sink := reports.Meta{Scenario: "smoke", ScenarioHash: "aa", TargetKind: reports.TargetSink, Framing: "lf"}
	if got := reports.MissingExperiment(&sink); got != nil {
		t.Errorf("MissingExperiment of a sink's meta (no rules) = %v; want none", got)
	}
	if s := reports.Differences(&full, &other)[0].String(); s != `scenario: "smoke" vs "default"` {
		t.Errorf("Difference.String = %s", s)
	}
}

func TestAlertChanges(t *testing.T) {
	base := []reports.AlertCount{
		{AlertType: "RDP Allow", Mapped: true, ThreatID: "T1021.001", ThreatName: "Remote Desktop Protocol", Count: 306},
		{AlertType: "Virus block", Count: 10},
		{AlertType: "gone", Count: 3},
		{AlertType: "split", Mapped: true, ThreatID: "T1", ThreatName: "One", Count: 5},
	}
	cur := []reports.AlertCount{
		{AlertType: "RDP Allow", Count: 300},
		{AlertType: "Virus block", Count: 12}, // only the count changed: not a change
		{AlertType: "new", Mapped: true, ThreatID: "T2", ThreatName: "Two", Count: 4},
		{AlertType: "split", Mapped: true, ThreatID: "T1", ThreatName: "One", Count: 3},
		{AlertType: "split", Count: 2},
	}
	var got []string
	for _, c := range reports.AlertChanges(base, cur) {
		got = append(got, c.String())
	}
	want := []string{
		"RDP Allow: alert T1021.001 → alert unmapped, 306 → 300 records",
		"gone: alert unmapped (3) → no alerts",
		"new: no alerts → alert T2 (4)",
		"split: alert T1 (5) → alert T1 (3), alert unmapped (2)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("AlertChanges =\n%q\nwant\n%q", got, want)
	}
}
