package pacer

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestDayIntegral checks that a compressed day offers its mean rate: Count over the run equals
// Rate × duration within rounding, whatever the profile, and due times never decrease.
func TestDayIntegral(t *testing.T) {
	flat := [24]float64{}
	for i := range flat {
		flat[i] = 1
	}
	night := DefaultHourly
	night[3] = 0 // an empty hour must be skipped, not divided by
	for _, tc := range []struct {
		name   string
		rate   float64
		hourly [24]float64
		d      time.Duration
	}{
		{"default", 1000, DefaultHourly, 10 * time.Second},
		{"flat", 250, flat, 4 * time.Second},
		{"empty hour", 1000, night, 10 * time.Second},
		{"slow", 3, DefaultHourly, 24 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDay(tc.rate, tc.hourly, 0.3, tc.d, 0, Limit{Duration: tc.d})
			n, ok := Count(d, 1<<30)
			if !ok {
				t.Fatal("unbounded")
			}
			want := tc.rate * tc.d.Seconds()
			if math.Abs(float64(n)-want) > 1 {
				t.Errorf("Count = %d, want %v ± 1", n, want)
			}
			var prev time.Duration
			for i := uint64(0); i < n; i++ {
				at, ok := d.Due(i)
				if !ok || at < prev || at >= tc.d {
					t.Fatalf("Due(%d) = %v, %v after %v", i, at, ok, prev)
				}
				prev = at
			}
		})
	}
}

// TestDayShape checks the peak-to-mean ratio, the rate hour by hour, the weekend factor and the offset.
func TestDayShape(t *testing.T) {
	d := NewDay(1000, DefaultHourly, 0.5, 24*time.Hour, 0, Limit{})
	var sum, peak float64
	for _, w := range DefaultHourly {
		sum += w
		peak = max(peak, w)
	}
	wantRatio := peak / (sum / 24)
	if math.Abs(d.PeakToMean()-wantRatio) > 1e-9 || math.Abs(d.Peak()-1000*wantRatio) > 1e-6 {
		t.Errorf("PeakToMean %v, Peak %v; want %v, %v", d.PeakToMean(), d.Peak(), wantRatio, 1000*wantRatio)
	}
	if got, want := d.RateAt(3*time.Hour+time.Minute), 1000*0.2/(sum/24); math.Abs(got-want) > 1e-9 {
		t.Errorf("RateAt(03:01 Mon) = %v, want %v", got, want)
	}
	if got, want := d.RateAt(5*24*time.Hour+10*time.Hour), 0.5*d.Peak(); math.Abs(got-want) > 1e-9 {
		t.Errorf("RateAt(10:00 Sat) = %v, want %v (weekend)", got, want)
	}
	// A real-time schedule starting Saturday 10:00 is at the weekend's peak at once, and Due agrees.
	sat := NewDay(1000, DefaultHourly, 0.5, 24*time.Hour, 5*24*time.Hour+10*time.Hour, Limit{})
	if got := sat.RateAt(0); math.Abs(got-0.5*d.Peak()) > 1e-9 {
		t.Errorf("Saturday 10:00: RateAt(0) = %v, want %v", got, 0.5*d.Peak())
	}
	at, _ := sat.Due(1000)
	if want := fromSeconds(1000 / (0.5 * d.Peak())); at-want > time.Microsecond || want-at > time.Microsecond {
		t.Errorf("Saturday 10:00: Due(1000) = %v, want %v", at, want)
	}
	// Past the week's end the schedule wraps to the next Monday.
	a0, _ := d.Due(0)
	weekN := uint64(math.Round(d.cum[len(d.rates)]))
	a1, _ := d.Due(weekN)
	if diff := a1 - a0 - 7*24*time.Hour; diff > time.Millisecond || diff < -time.Millisecond {
		t.Errorf("Due(week) - Due(0) = %v, want 168h", a1-a0)
	}
	if s := d.String(); !strings.Contains(s, "peak/mean 1.702") || !strings.Contains(s, "weekend ×0.5") {
		t.Errorf("String() = %q, want the peak/mean ratio and the weekend factor", s)
	}
}

func TestWeekOffset(t *testing.T) {
	wed := time.Date(2026, time.November, 25, 14, 30, 0, 0, time.UTC) // a Wednesday
	if got, want := WeekOffset(wed), 2*24*time.Hour+14*time.Hour+30*time.Minute; got != want {
		t.Errorf("WeekOffset(Wed 14:30) = %v, want %v", got, want)
	}
}

func TestParseVolume(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   float64
		isVol  bool
		errStr string
	}{
		{"50GB/day", 50e9 / 86400, true, ""},
		{"2MB/s", 2e6, true, ""},
		{"1GiB/h", float64(1<<30) / 3600, true, ""},
		{"10kB/s", 1e4, true, ""},
		{" 600 KB / m ", 1e4, true, ""},
		{"5000/s", 0, false, ""},
		{"5k", 0, false, ""},
		{"50GB", 0, true, "unit of time"},
		{"50GB/week", 0, true, "unit of time"},
		{"-1GB/day", 0, true, "positive"},
		{"GB/day", 0, true, "positive"},
	} {
		got, isVol, err := ParseVolume(tc.in)
		if isVol != tc.isVol || (err == nil) != (tc.errStr == "") || err != nil && !strings.Contains(err.Error(), tc.errStr) ||
			math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("ParseVolume(%q) = %v, %v, %v; want %v, %v, error containing %q", tc.in, got, isVol, err, tc.want, tc.isVol, tc.errStr)
		}
	}
}

func BenchmarkDayDue(b *testing.B) {
	d := NewDay(20000, DefaultHourly, 0.3, time.Minute, 0, Limit{})
	b.ReportAllocs()
	var sink time.Duration
	for i := 0; b.Loop(); i++ {
		at, _ := d.Due(uint64(i))
		sink += at
	}
	_ = sink
}
