package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
)

// TestTrafficSetup: only the flags given override the scenario; the schedule's flags only where the
// command keeps the schedule; the target adapts the scenario; an unrunnable scenario is an error.
func TestTrafficSetup(t *testing.T) {
	rfc := generator.SyslogRFC5424
	for _, tc := range []struct {
		name  string
		tr    Traffic
		check func(*Setup) string // "" when fine
		err   string
	}{
		{"nothing given", Traffic{Scenario: "smoke", Seed: 9, Duration: time.Hour, Schedule: true},
			func(su *Setup) string {
				if s := su.Scenario; s.Seed != 1 || s.Duration != 2*time.Second || s.Pacer.String() != "constant 1000/s" {
					return "the scenario's own settings changed"
				}
				return ""
			}, ""},
		{"overrides given", Traffic{Scenario: "smoke", Seed: 9, Connections: 3, Framing: "octet", Syslog: &rfc, Duration: time.Second, Count: 5,
			Rate: pacer.RateOrVolume{Given: "5k/s", PerSecond: 5000}, Schedule: true,
			Given: map[string]bool{"seed": true, "connections": true, "framing": true, "duration": true, "count": true, "rate": true}},
			func(su *Setup) string {
				s := su.Scenario
				if s.Seed != 9 || s.Connections != 3 || s.Framing != "octet" || s.Syslog != rfc || s.Duration != time.Second || s.Count != 5 ||
					s.Pacer.String() != "constant 5000/s" || su.Conversion != "" {
					return "an override is missing"
				}
				return ""
			}, ""},
		{"schedule not kept", Traffic{Scenario: "smoke", Duration: time.Second, Given: map[string]bool{"duration": true}},
			func(su *Setup) string {
				if su.Scenario.Duration != 2*time.Second {
					return "-duration applied to a command without a schedule"
				}
				return ""
			}, ""},
		{"volume", Traffic{Scenario: "smoke", Rate: pacer.RateOrVolume{Given: "1MB/s", BytesPerSecond: 1e6}, Schedule: true, Given: map[string]bool{"rate": true}},
			func(su *Setup) string {
				if !strings.HasPrefix(su.Conversion, "1MB/s = 1000000.0 B/s ÷ ") || su.Scenario.Pacer.Shape != "constant" || !(su.Scenario.Pacer.Rate > 100) {
					return "the volume was not converted"
				}
				return ""
			}, ""},
		{"cloud nss", Traffic{Scenario: "smoke", Target: "https://127.0.0.1:1/nss", CheckTarget: true},
			func(su *Setup) string {
				if len(su.CloudNSS) == 0 {
					return "no notes of the Cloud NSS adaptation"
				}
				return ""
			}, ""},
		{"bad override", Traffic{Scenario: "smoke", Connections: 0, Given: map[string]bool{"connections": true}}, nil, "connections 0"},
		{"unknown scenario", Traffic{Scenario: "nope"}, nil, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			su, err := tc.tr.Setup()
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Setup() error %v; want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case su.Generator == nil:
				t.Fatal("no generator")
			default:
				if msg := tc.check(su); msg != "" {
					t.Errorf("%s: %+v", msg, su.Scenario)
				}
			}
		})
	}
}

// TestCheckRunnableThroughSetup: a scenario without a pacer needs one, unless a recording paces it or
// the command keeps no schedule of the scenario's.
func TestCheckRunnableThroughSetup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nopacer.json")
	if err := os.WriteFile(path, []byte(`{"name": "nopacer", "duration": "1s", "mix": {"*": 1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (Traffic{Scenario: path, Schedule: true, PacerHint: "-rate"}).Setup(); err == nil || !strings.Contains(err.Error(), "has no pacer: give -rate") {
		t.Errorf("no pacer: %v", err)
	}
	if _, err := (Traffic{Scenario: path, Schedule: true, Replay: true}).Setup(); err != nil {
		t.Errorf("no pacer, replayed: %v", err)
	}
	if _, err := (Traffic{Scenario: path}).Setup(); err != nil {
		t.Errorf("no pacer, no schedule kept: %v", err)
	}
}

// TestMeanEventSize: octet counting adds its length prefix to every event; the generator is not
// advanced.
func TestMeanEventSize(t *testing.T) {
	s, err := Builtin("smoke")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := GeneratorFor(s, true)
	if err != nil {
		t.Fatal(err)
	}
	lf, err1 := MeanEventSize(gen, "")
	octet, err2 := MeanEventSize(gen, "octet")
	again, _ := MeanEventSize(gen, "lf")
	if err1 != nil || err2 != nil || !(lf > 100) || !(octet > lf+2) || again != lf {
		t.Errorf("mean lf %g (%v), octet %g (%v), lf again %g; want octet a prefix longer, lf stable", lf, err1, octet, err2, again)
	}
	if _, err := MeanEventSize(gen, "crlf"); err == nil {
		t.Error("framing crlf: no error")
	}
	r := pacer.RateOrVolume{Given: "5k/s", PerSecond: 5000}
	if note, err := s.ConvertVolume(&r, gen, ""); note != "" || err != nil || r.PerSecond != 5000 {
		t.Errorf("ConvertVolume of a rate in events: %q, %v, %g", note, err, r.PerSecond)
	}
}
