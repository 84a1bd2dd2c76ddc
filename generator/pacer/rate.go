package pacer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrRateUnit is the error of a rate whose unit is not /s, /m or /h (errors.Is), for callers that
// explain a bad number their own way.
var ErrRateUnit = errors.New("unit must be /s, /m or /h")

// ParseRate parses an event rate into events per second. It is the one rate grammar of nssbench:
// command-line flags (-rate, -start, -max-rate) and scenario files' rate strings both use it.
//
//	rate   = number [multiplier] ["/" unit]
//	number = a finite, non-negative decimal such as 20000, 1.5 or 18e6
//	multiplier = "k" (×1000) | "M" (×1,000,000)
//	unit   = "s" (the default) | "m" (per minute) | "h" (per hour)
//
// Blanks around the rate and around the unit are ignored. Examples: "20000", "20000/s", "5k/s",
// "1.5M/s", "300000/m", "18e6/h". A rate of 0 parses; where a rate must be positive, the caller says so.
func ParseRate(s string) (float64, error) {
	num, unit, hasUnit := strings.Cut(strings.TrimSpace(s), "/")
	per := 1.0
	if hasUnit {
		switch strings.TrimSpace(unit) {
		case "s":
		case "m":
			per = 60
		case "h":
			per = 3600
		default:
			return 0, fmt.Errorf("rate %q: %w", s, ErrRateUnit)
		}
	}
	num = strings.TrimSpace(num)
	mult := 1.0
	switch {
	case strings.HasSuffix(num, "k"):
		mult, num = 1e3, strings.TrimSuffix(num, "k")
	case strings.HasSuffix(num, "M"):
		mult, num = 1e6, strings.TrimSuffix(num, "M")
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f >= 0) || math.IsInf(f*mult, 0) {
		return 0, fmt.Errorf("rate %q: want a non-negative number of events, e.g. \"5000/s\" or \"5k/s\"", s)
	}
	return f * mult / per, nil
}
