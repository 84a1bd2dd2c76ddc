package reports

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// FormatDuration writes d with three significant digits in the largest unit that keeps it at least 1:
// "850ns", "12.3µs", "4.21ms", "1.50s". Durations of a minute or more stay in seconds ("75.0s").
func FormatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	var s string
	switch {
	case d == 0:
		return "0"
	case d < time.Microsecond:
		s = strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		s = sig3(float64(d)/1e3) + "µs"
	case d < time.Second:
		s = sig3(float64(d)/1e6) + "ms"
	default:
		s = sig3(float64(d)/1e9) + "s"
	}
	if neg {
		return "-" + s
	}
	return s
}

// sig3 formats v ≥ 1 with three significant digits, or as an integer from 1000 up.
func sig3(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// FormatRate writes events per second with one decimal: "4998.2/s".
func FormatRate(r float64) string { return strconv.FormatFloat(r, 'f', 1, 64) + "/s" }

// FormatRatio writes a fraction as a percentage with up to three decimals: 0.00012 → "0.012%".
func FormatRatio(f float64) string {
	s := strconv.FormatFloat(f*100, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

func u(n uint64) string { return strconv.FormatUint(n, 10) }

func ratio(n, of uint64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// errWriter remembers the first write error so renderers can write freely and check once.
type errWriter struct {
	w   io.Writer
	err error
}

// Write writes p unless an earlier write failed.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) print(parts ...string) {
	for _, p := range parts {
		if e.err != nil {
			return
		}
		_, e.err = io.WriteString(e.w, p)
	}
}
