package pacer

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSpecString(t *testing.T) {
	for _, tc := range []struct {
		p    Spec
		want string
	}{
		{Spec{Shape: "constant", Rate: 20000}, "constant 20000/s"},
		{Spec{Shape: "ramp", From: 1000, To: 50000}, "ramp 1000/s→50000/s"},
		{Spec{Shape: "ramp", From: 1000, To: 50000, Period: time.Minute}, "ramp 1000/s→50000/s over 1m0s"},
		{Spec{Shape: "step", Steps: []Step{{100, time.Second}, {200, 2 * time.Second}}}, "step 100/s for 1s, 200/s for 2s"},
		{Spec{Shape: "sine", Rate: 100, Amplitude: 50, Period: time.Minute}, "sine 100/s ± 50/s every 1m0s"},
		{Spec{Shape: "burst", Rate: 50000, On: 2 * time.Second, Off: 3 * time.Second}, "burst 50000/s for 2s, idle 3s"},
		{Spec{Shape: "replay", Speed: 2}, "replay ×2"},
		{Spec{Shape: "day", Rate: 100}, "day 100/s"},
		{Spec{Shape: "day", Rate: 100, RealTime: true}, "day 100/s in real time"},
		{Spec{}, "no pacer"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v.String() = %q; want %q", tc.p, got, tc.want)
		}
	}
}

// TestSpecCheck: the one validation of pacer settings, with given as a scenario file's keys (a set) or
// nil (the non-zero parameters).
func TestSpecCheck(t *testing.T) {
	keys := func(k ...string) func(string) bool {
		return func(p string) bool { return slices.Contains(k, p) || strings.HasPrefix(p, "steps[") }
	}
	for _, tc := range []struct {
		name  string
		s     Spec
		given func(string) bool
		want  []string // the problems, as "param: msg"
	}{
		{"constant", Spec{Shape: "constant", Rate: 1}, nil, nil},
		{"constant rate 0 given", Spec{Shape: "constant"}, keys("rate"), []string{"rate: want a rate > 0"}},
		{"constant rate missing", Spec{Shape: "constant"}, nil, []string{`rate: missing: pacer shape "constant" needs it`}},
		{"constant negative", Spec{Shape: "constant", Rate: -1}, nil, []string{"rate: want a rate > 0"}},
		{"unknown shape", Spec{Shape: "linear", Rate: 1}, nil, []string{`shape: "linear": want constant, ramp, step, sine, burst, day or replay`}},
		{"no shape", Spec{}, nil, []string{`shape: "": want constant, ramp, step, sine, burst, day or replay`}},
		{"ramp", Spec{Shape: "ramp", From: 0, To: 10}, keys("from", "to"), nil},
		{"ramp both 0", Spec{Shape: "ramp"}, keys("from", "to"), []string{"to: from and to cannot both be 0"}},
		{"ramp negative", Spec{Shape: "ramp", From: -1, To: 5}, nil, []string{"from: want a rate >= 0"}},
		{"ramp period", Spec{Shape: "ramp", From: 1, To: 5, Period: -time.Second}, nil, []string{"period: -1s: want a duration > 0"}},
		{"step", Spec{Shape: "step", Steps: []Step{{0, time.Second}, {5, time.Second}}}, nil, nil},
		{"step none", Spec{Shape: "step", Steps: []Step{}}, nil, []string{"steps: want at least one step"}},
		{"step missing", Spec{Shape: "step"}, nil, []string{`steps: missing: pacer shape "step" needs it`}},
		{"step bad", Spec{Shape: "step", Steps: []Step{{-1, time.Second}, {5, 0}}}, nil,
			[]string{"steps[0].rate: want a rate >= 0", "steps[1].duration: 0s: want a duration > 0"}},
		{"sine", Spec{Shape: "sine", Rate: 10, Amplitude: 10, Period: time.Second}, nil, nil},
		{"sine", Spec{Shape: "sine", Rate: 5, Amplitude: 10}, keys("rate", "amplitude"),
			[]string{`period: missing: pacer shape "sine" needs it`, "amplitude: 10/s exceeds the mean rate 5/s"}},
		{"sine negative amplitude", Spec{Shape: "sine", Rate: 5, Amplitude: -1, Period: time.Second}, nil, []string{"amplitude: want a rate >= 0"}},
		{"burst", Spec{Shape: "burst", Rate: 5, On: time.Second}, nil, nil},
		{"burst", Spec{Shape: "burst", Off: -time.Second}, keys("rate", "off"),
			[]string{`on: missing: pacer shape "burst" needs it`, "rate: want a rate > 0", "off: -1s: want a duration >= 0"}},
		{"day", Spec{Shape: "day", Rate: 10}, nil, nil},
		{"day profile", Spec{Shape: "day", Rate: 10, Hourly: make([]float64, 24), Weekend: -1}, keys("rate", "hourly", "weekend"),
			[]string{"weekend: want a factor >= 0, e.g. 0.3 for weekends at 30% of a weekday", "hourly: every weight is 0: want at least one hour with traffic"}},
		{"day short profile", Spec{Shape: "day", Rate: 10, Hourly: []float64{1, 2}}, nil, []string{"hourly: 2 weights: want 24, one per hour from midnight"}},
		{"day negative weight", Spec{Shape: "day", Rate: 10, Hourly: append([]float64{1, -2}, make([]float64, 22)...)}, nil,
			[]string{"hourly[1]: -2: want a weight >= 0"}},
		{"day real time and period", Spec{Shape: "day", Rate: 10, RealTime: true, Period: time.Hour}, nil,
			[]string{"period: a real-time day lasts 24h: give period or realTime, not both"}},
		{"day rate missing", Spec{Shape: "day"}, nil, []string{`rate: missing: pacer shape "day" needs it`}},
		{"replay", Spec{Shape: "replay", Speed: 1}, nil, nil},
		{"replay speed", Spec{Shape: "replay", Speed: -2}, nil, []string{"speed: speed -2: want > 0"}},
		{"unused parameters are not checked", Spec{Shape: "constant", Rate: 1, From: -1, Steps: []Step{{-1, 0}}}, nil, nil},
		{"speed is checked whatever the shape", Spec{Shape: "constant", Rate: 1, Speed: -1}, nil, []string{"speed: speed -1: want > 0"}},
	} {
		var got []string
		for _, p := range tc.s.Check(tc.given) {
			got = append(got, p.Error())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %+v.Check = %q; want %q", tc.name, tc.s, got, tc.want)
		}
	}
}

func TestSpecNew(t *testing.T) {
	lim := Limit{Duration: 10 * time.Second}
	for _, tc := range []struct {
		s    Spec
		lim  Limit
		want string // the pacer's String, or the error
	}{
		{Spec{Shape: "constant", Rate: 100}, lim, "Constant{100/s for 10s}"},
		{Spec{Shape: "ramp", From: 1, To: 3}, lim, "Linear{1/s to 3/s over 10s for 10s}"},
		{Spec{Shape: "ramp", From: 1, To: 3, Period: time.Second}, lim, "Linear{1/s to 3/s over 1s for 10s}"},
		{Spec{Shape: "ramp", From: 1, To: 3}, Limit{Count: 5}, "ramp pacer: needs a period or a run duration to ramp over"},
		{Spec{Shape: "step", Steps: []Step{{5, time.Second}}}, lim, "Steps{5/s×1s for 10s}"},
		{Spec{Shape: "sine", Rate: 10, Amplitude: 5, Period: time.Second}, lim, "Sine{10/s ± 5/s every 1s for 10s}"},
		{Spec{Shape: "burst", Rate: 10, On: time.Second, Off: time.Second}, lim, "Burst{10/s for 1s, idle 1s for 10s}"},
		{Spec{Shape: "constant"}, lim, `constant pacer: rate: missing: pacer shape "constant" needs it`},
		{Spec{Shape: "sine", Rate: 1, Amplitude: 2, Period: time.Second}, lim, "sine pacer: amplitude: 2/s exceeds the mean rate 1/s"},
		{Spec{Shape: "day", Rate: 1000, Weekend: 0.3}, lim, "Day{mean 1000/s, peak 1702.128/s (peak/mean 1.702), weekend ×0.3, day of 10s from Mon 00:00 for 10s}"},
		{Spec{Shape: "day", Rate: 1000, RealTime: true, Start: time.Date(2026, 11, 28, 9, 15, 0, 0, time.UTC)}, lim,
			"Day{mean 1000/s, peak 1702.128/s (peak/mean 1.702), weekend ×0, day of 24h0m0s from Sat 09:15 for 10s}"},
		{Spec{Shape: "day", Rate: 1000}, Limit{Count: 5}, "day pacer: needs a period, realTime or a run duration to compress the day into"},
		{Spec{Shape: "replay", Speed: 1}, lim, "replay pacer: the offsets come from a recording; build a Replay with them"},
		{Spec{}, lim, "no pacer"},
	} {
		p, err := tc.s.New(tc.lim)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = p.String()
		}
		if got != tc.want {
			t.Errorf("%+v.New(%+v) = %q; want %q", tc.s, tc.lim, got, tc.want)
		}
	}
}
