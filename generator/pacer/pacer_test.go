package pacer

import (
	"math"
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		p    Pacer
		n    uint64
		at   time.Duration
		ok   bool
	}{
		{"constant first", Constant{Rate: 1000}, 0, 0, true},
		{"constant 10th", Constant{Rate: 1000}, 10, 10 * ms, true},
		{"constant past duration", Constant{Rate: 1000, Limit: Limit{Duration: time.Second}}, 1000, 0, false},
		{"constant last in duration", Constant{Rate: 1000, Limit: Limit{Duration: time.Second}}, 999, 999 * ms, true},
		{"constant past count", Constant{Rate: 1000, Limit: Limit{Count: 5}}, 5, 0, false},
		{"linear flat", Linear{From: 100, To: 100, Over: time.Second}, 50, 500 * ms, true},
		// From 0 to 200/s over 1s: hits(t) = 100·t², so hit 25 is at 0.5s.
		{"linear up", Linear{From: 0, To: 200, Over: time.Second}, 25, 500 * ms, true},
		// 100 hits in the ramp, then 200/s: hit 300 is at 1s + 1s.
		{"linear after ramp", Linear{From: 0, To: 200, Over: time.Second}, 300, 2 * time.Second, true},
		// From 200 to 0 over 1s: hits(t) = 200t − 100t², hit 75 at t = 0.5s.
		{"linear down", Linear{From: 200, To: 0, Over: time.Second}, 75, 500 * ms, true},
		{"steps first", NewSteps([]Step{{100, time.Second}, {1000, time.Second}}, Limit{}), 50, 500 * ms, true},
		{"steps second", NewSteps([]Step{{100, time.Second}, {1000, time.Second}}, Limit{}), 600, 1500 * ms, true},
		{"steps over", NewSteps([]Step{{100, time.Second}, {1000, time.Second}}, Limit{}), 1100, 0, false},
		{"steps skip idle", NewSteps([]Step{{100, time.Second}, {0, time.Second}, {100, time.Second}}, Limit{}), 150, 2500 * ms, true},
		{"sine flat", Sine{Mean: 1000, Amplitude: 0, Period: time.Second}, 500, 500 * ms, true},
		// Over a whole period the sine term integrates to zero.
		{"sine whole period", Sine{Mean: 1000, Amplitude: 500, Period: time.Second}, 1000, time.Second, true},
		{"burst in first", Burst{Rate: 1000, On: 100 * ms, Off: 900 * ms}, 50, 50 * ms, true},
		{"burst second cycle", Burst{Rate: 1000, On: 100 * ms, Off: 900 * ms}, 150, time.Second + 50*ms, true},
		{"replay", Replay{Offsets: []time.Duration{0, 10 * ms, 40 * ms}, Speed: 2}, 2, 20 * ms, true},
		{"replay over", Replay{Offsets: []time.Duration{0, 10 * ms}, Speed: 1}, 2, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, ok := tt.p.Due(tt.n)
			if ok != tt.ok {
				t.Fatalf("%s.Due(%d) ok = %v; want %v", tt.p, tt.n, ok, tt.ok)
			}
			if ok && absDur(at-tt.at) > time.Microsecond {
				t.Fatalf("%s.Due(%d) = %v; want %v", tt.p, tt.n, at, tt.at)
			}
		})
	}
}

// TestMonotonic checks every shape schedules events in order: sequence order is time order.
func TestMonotonic(t *testing.T) {
	lim := Limit{Duration: 10 * time.Second}
	for _, p := range []Pacer{
		Constant{Rate: 777, Limit: lim},
		Linear{From: 10, To: 2000, Over: 5 * time.Second, Limit: lim},
		Linear{From: 2000, To: 10, Over: 5 * time.Second, Limit: lim},
		NewSteps([]Step{{300, time.Second}, {0, time.Second}, {900, 3 * time.Second}}, lim),
		Sine{Mean: 1000, Amplitude: 1000, Period: 3 * time.Second, Limit: lim},
		Burst{Rate: 5000, On: 200 * time.Millisecond, Off: 300 * time.Millisecond, Limit: lim},
	} {
		var prev time.Duration
		for n := uint64(0); ; n++ {
			at, ok := p.Due(n)
			if !ok {
				break
			}
			if at < prev {
				t.Fatalf("%s: Due(%d) = %v before Due(%d) = %v", p, n, at, n-1, prev)
			}
			if at >= lim.Duration {
				t.Fatalf("%s: Due(%d) = %v is past the limit", p, n, at)
			}
			prev = at
		}
	}
}

// TestCounts checks the number of events each shape schedules equals the integral of its rate.
func TestCounts(t *testing.T) {
	tests := []struct {
		p    Pacer
		want float64
	}{
		{Constant{Rate: 20000, Limit: Limit{Duration: 10 * time.Second}}, 200000},
		{Linear{From: 0, To: 1000, Over: 10 * time.Second, Limit: Limit{Duration: 10 * time.Second}}, 5000},
		{NewSteps([]Step{{100, 2 * time.Second}, {1000, time.Second}}, Limit{}), 1200},
		{Sine{Mean: 1000, Amplitude: 300, Period: 2 * time.Second, Limit: Limit{Duration: 10 * time.Second}}, 10000},
		{Burst{Rate: 1000, On: time.Second, Off: time.Second, Limit: Limit{Duration: 10 * time.Second}}, 5000},
	}
	for _, tt := range tests {
		got, ok := Count(tt.p, 10_000_000)
		if !ok || math.Abs(float64(got)-tt.want) > 1 {
			t.Errorf("Count(%s) = %d, %v; want %v", tt.p, got, ok, tt.want)
		}
	}
}

func TestPace(t *testing.T) {
	p := Constant{Rate: 100, Limit: Limit{Count: 2}}
	if wait, stop := Pace(p, 0, 1); stop || wait != 10*time.Millisecond {
		t.Errorf("Pace(0, 1) = %v, %v; want 10ms, false", wait, stop)
	}
	if wait, stop := Pace(p, 15*time.Millisecond, 1); stop || wait != -5*time.Millisecond {
		t.Errorf("Pace(15ms, 1) = %v, %v; want -5ms, false", wait, stop)
	}
	if _, stop := Pace(p, 0, 2); !stop {
		t.Errorf("Pace(0, 2) did not stop after Count")
	}
}

func TestString(t *testing.T) {
	for _, tt := range []struct {
		p    Pacer
		want string
	}{
		{Constant{Rate: 20000, Limit: Limit{Duration: 10 * time.Second}}, "Constant{20000/s for 10s}"},
		{Linear{From: 1, To: 5, Over: time.Minute}, "Linear{1/s to 5/s over 1m0s}"},
		{NewSteps([]Step{{100, time.Second}}, Limit{Count: 9}), "Steps{100/s×1s for 9 events}"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
