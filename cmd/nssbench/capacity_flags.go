package main

// The capacity flags: -clock (how records are stamped), rates given as volume (-rate 50GB/day,
// -plan 50GB/day) and the mean event size that converts them.

import (
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/framing"
)

// clockValue is the -clock flag: "wall" or "virtual"; unset, the command's default applies.
type clockValue struct {
	clock generator.Clock
	set   bool
}

func (c *clockValue) String() string {
	if !c.set {
		return ""
	}
	return c.clock.String()
}

func (c *clockValue) Set(s string) error {
	v, err := generator.ParseClock(s)
	if err != nil {
		return err
	}
	c.clock, c.set = v, true
	return nil
}

// resolve returns the clock given, else the default: wall against an external target (a SIEM must
// not see two-year-old events), virtual otherwise.
func (c *clockValue) resolve(target string) generator.Clock {
	switch {
	case c.set:
		return c.clock
	case target != "":
		return generator.ClockWall
	}
	return generator.ClockVirtual
}

// addClockFlag defines -clock on fs; what defaults says is the command's default.
func addClockFlag(fs *flag.FlagSet, defaults string) *clockValue {
	c := &clockValue{}
	fs.Var(c, "clock", "how records are stamped: wall (each with its scheduled send time) or virtual (the generator's deterministic clock from 2024-06-11 02:52:44, 1000 events per virtual second); default "+defaults)
	return c
}

// volumeSample is how many events meanEventSize renders.
const volumeSample = 2000

// meanEventSize returns the mean size in bytes of gen's events as the wire carries them, framed as
// framingName ("lf" or "octet"), over its first volumeSample events.
func meanEventSize(gen *generator.Generator, framingName string) (float64, error) {
	fr := framing.FramingLF
	if framingName != "" {
		var err error
		if fr, err = framing.ParseFraming(framingName); err != nil {
			return 0, err
		}
	}
	g := gen.Clone()
	var line, framed []byte
	var total int
	for seq := uint64(0); seq < volumeSample; seq++ {
		line, _ = g.Append(line[:0], seq)
		framed = fr.Append(framed[:0], line)
		total += len(framed)
	}
	return float64(total) / volumeSample, nil
}

// rateOrVolume is a rate flag's value that may be a volume (50GB/day, 2MB/s): events per second, or
// bytes per second to convert through a mean event size once the scenario's generator exists.
type rateOrVolume struct {
	given          string
	perSecond      float64
	bytesPerSecond float64 // > 0: a volume, not yet converted
}

func (r *rateOrVolume) String() string { return r.given }

func (r *rateOrVolume) Set(s string) error {
	bps, isVolume, err := pacer.ParseVolume(s)
	switch {
	case err != nil:
		return err
	case isVolume:
		*r = rateOrVolume{given: s, bytesPerSecond: bps}
		return nil
	}
	var rv rateValue
	if err := rv.Set(s); err != nil {
		return err
	}
	*r = rateOrVolume{given: s, perSecond: rv.perSecond}
	return nil
}

// convert turns a volume into events per second through mean, the mean event size in bytes, and
// returns the conversion in words ("" for a rate given in events).
func (r *rateOrVolume) convert(mean float64, scenario string) (string, error) {
	if r.bytesPerSecond <= 0 {
		return "", nil
	}
	if !(mean > 0) {
		return "", errors.New("cannot convert a volume: the scenario's events have no size")
	}
	r.perSecond = r.bytesPerSecond / mean
	return fmt.Sprintf("%s = %s B/s ÷ %s B per event (the mean of scenario %s's first %d events, framed) = %s events/s",
		r.given, strconv.FormatFloat(r.bytesPerSecond, 'f', 1, 64), strconv.FormatFloat(mean, 'f', 1, 64), scenario,
		volumeSample, strconv.FormatFloat(r.perSecond, 'f', 1, 64)), nil
}

var (
	_ flag.Value = (*clockValue)(nil)
	_ flag.Value = (*rateOrVolume)(nil)
)
