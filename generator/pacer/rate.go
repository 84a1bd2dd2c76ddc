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

// ParseVolume parses a data volume per unit of time into bytes per second, for rates given as volume
// (-rate 50GB/day) that a caller converts to events through a mean event size.
//
//	volume = number size "/" unit
//	size   = "B" | "KB" (or "kB") | "MB" | "GB" | "TB" (decimal: ×1000 each) | "KiB" | "MiB" | "GiB" | "TiB" (×1024 each)
//	unit   = "s" | "m" | "h" | "day"
//
// Examples: "50GB/day", "2MB/s", "1.5TiB/day". ok is false when s has no size suffix (it is then no
// volume, maybe an event rate for ParseRate); err is set when it has one but is malformed.
func ParseVolume(s string) (bytesPerSecond float64, ok bool, err error) {
	num, unit, hasUnit := strings.Cut(strings.TrimSpace(s), "/")
	num = strings.TrimSpace(num)
	size := 0.0
	for _, u := range volumeUnits {
		if strings.HasSuffix(num, u.name) {
			size, num = u.bytes, strings.TrimSpace(strings.TrimSuffix(num, u.name))
			break
		}
	}
	if size == 0 {
		return 0, false, nil
	}
	per := 0.0
	switch strings.TrimSpace(unit) {
	case "s":
		per = 1
	case "m":
		per = 60
	case "h":
		per = 3600
	case "day", "d":
		per = 86400
	}
	if !hasUnit || per == 0 {
		return 0, true, fmt.Errorf("volume %q: want a unit of time /s, /m, /h or /day, e.g. 50GB/day", s)
	}
	f, perr := strconv.ParseFloat(num, 64)
	if perr != nil || !(f > 0) || math.IsInf(f*size, 0) {
		return 0, true, fmt.Errorf("volume %q: want a positive amount, e.g. 50GB/day or 2MB/s", s)
	}
	return f * size / per, true, nil
}

// volumeUnits are ParseVolume's sizes, the longer suffixes first so that "KiB" is not read as "B".
var volumeUnits = []struct {
	name  string
	bytes float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
}
