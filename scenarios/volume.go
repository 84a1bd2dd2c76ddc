package scenarios

import (
	"fmt"
	"strconv"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/framing"
)

// VolumeSample is how many events MeanEventSize renders.
const VolumeSample = 2000

// MeanEventSize returns the mean size in bytes of gen's events as the wire carries them, framed as
// framingName ("lf", the default when empty, or "octet"), over its first VolumeSample events. gen
// itself is not advanced.
func MeanEventSize(gen *generator.Generator, framingName string) (float64, error) {
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
	for seq := uint64(0); seq < VolumeSample; seq++ {
		line, _ = g.Append(line[:0], seq)
		framed = fr.Append(framed[:0], line)
		total += len(framed)
	}
	return float64(total) / VolumeSample, nil
}

// ConvertVolume converts r, when given as a volume, to events per second through the mean size of
// gen's events framed as framingName (MeanEventSize), gen being s's generator, and returns the
// conversion in words, e.g. "2MB/s = 2000000.0 B/s ÷ 540.2 B per event (…) = 3702.3 events/s"; ""
// for a rate given in events.
func (s *Scenario) ConvertVolume(r *pacer.RateOrVolume, gen *generator.Generator, framingName string) (string, error) {
	if !r.IsVolume() {
		return "", nil
	}
	mean, err := MeanEventSize(gen, framingName)
	if err == nil {
		err = r.Convert(mean)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s = %s B/s ÷ %s B per event (the mean of scenario %s's first %d events, framed) = %s events/s",
		r.Given, strconv.FormatFloat(r.BytesPerSecond, 'f', 1, 64), strconv.FormatFloat(mean, 'f', 1, 64), s.Name,
		VolumeSample, strconv.FormatFloat(r.PerSecond, 'f', 1, 64)), nil
}
