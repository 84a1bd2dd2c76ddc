package scenarios

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
)

// rate returns a -rate value parsed from s.
func rate(t *testing.T, s string) pacer.RateOrVolume {
	t.Helper()
	var r pacer.RateOrVolume
	if err := r.Set(s); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestForGenSeedSyslog: a seed given replaces the scenario's, none keeps it; the syslog form always
// replaces the scenario's.
func TestForGenSeedSyslog(t *testing.T) {
	for _, tt := range []struct{ seed, want uint64 }{{0, 0}, {42, 42}} {
		s, err := Builtin("default")
		if err != nil {
			t.Fatal(err)
		}
		want := cmp.Or(tt.want, s.Seed)
		s.Syslog = generator.SyslogBSD
		if _, _, _, err := ForGen(s, GenOptions{Count: 1, Seed: tt.seed, Syslog: generator.SyslogPRI}); err != nil {
			t.Fatal(err)
		}
		if s.Seed != want || s.Syslog != generator.SyslogPRI {
			t.Errorf("seed %d: scenario seed %d, syslog %v; want %d and pri", tt.seed, s.Seed, s.Syslog, want)
		}
	}
}

// TestForGen: which lines gen writes and when, the notes (a feed's left-out classes, a volume's
// conversion) and the errors.
func TestForGen(t *testing.T) {
	tests := []struct {
		name      string
		scenario  string
		o         GenOptions
		count     uint64
		perSecond float64  // the pacer's rate; 0: no pacer
		notes     []string // each note's start
		err       string
	}{
		{name: "defaults", scenario: "default", count: 10},
		{name: "count and rate", scenario: "default", o: GenOptions{Count: 5, Rate: rate(t, "1000/s")}, count: 5, perSecond: 1000},
		{name: "duration of the scenario's pacer", scenario: "smoke", o: GenOptions{Duration: 2 * time.Second}, count: 2000},
		{name: "volume", scenario: "default", o: GenOptions{Count: 3, Rate: rate(t, "2MB/s")}, count: 3, perSecond: -1,
			notes: []string{"-rate 2MB/s = 2000000.0 B/s ÷ "}},
		{name: "a JSON feed", scenario: "default", o: GenOptions{Feed: "cloud-web", Count: 1}, count: 1,
			notes: []string{"feed cloud-web prints JSON: scenario default: "}},
		{name: "format file without a feed", scenario: "default", o: GenOptions{FormatFile: "f.txt"}, err: "-format-file needs -feed"},
		{name: "negative duration", scenario: "default", o: GenOptions{Duration: -time.Second}, err: "duration -1s must be >= 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Builtin(tt.scenario)
			if err != nil {
				t.Fatal(err)
			}
			gen, opts, notes, err := ForGen(s, tt.o)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || gen != nil {
					t.Fatalf("ForGen: %v, %v; want no generator and an error with %q", gen, err, tt.err)
				}
				return
			}
			if err != nil || gen == nil {
				t.Fatalf("ForGen: %v, %v", gen, err)
			}
			if opts.Count != tt.count {
				t.Errorf("count %d; want %d", opts.Count, tt.count)
			}
			c, paced := opts.Pacer.(pacer.Constant)
			switch {
			case tt.perSecond == 0 && opts.Pacer != nil:
				t.Errorf("pacer %v; want none", opts.Pacer)
			case tt.perSecond > 0 && (!paced || c.Rate != tt.perSecond || c.Limit.Count != tt.count):
				t.Errorf("pacer %v; want %g/s for %d events", opts.Pacer, tt.perSecond, tt.count)
			case tt.perSecond < 0 && (!paced || c.Rate <= 0): // a converted volume
				t.Errorf("pacer %v; want a constant rate", opts.Pacer)
			}
			if len(notes) != len(tt.notes) {
				t.Fatalf("notes %q; want %d", notes, len(tt.notes))
			}
			for i, n := range notes {
				if !strings.HasPrefix(n, tt.notes[i]) {
					t.Errorf("note %q; want it to start with %q", n, tt.notes[i])
				}
			}
		})
	}
}
