package replay

import (
	"fmt"

	"github.com/nssbench/nssbench/generator/pacer"
)

// Setup says how a runner replays a recording verbatim (run -replay).
type Setup struct {
	Path    string  // the recording
	Options         // how its records are judged
	Truth   string  // what judges them, for the description ("": the reference pipeline's verdict of each line)
	Framing string  // the framing asked for (-framing), "" if none: a replay keeps the recording's own
	Speed   float64 // replay this many times faster than recorded (> 0)
	Limit   pacer.Limit
	// Clocked says a clock was asked for (-clock): an error, since a replay sends the recorded lines with
	// their own stamps.
	Clocked bool
}

// Replay is a recording set up to be sent verbatim: its judged records, paced at the recorded times.
type Replay struct {
	Source      *Source
	Pacer       pacer.Replay
	Description string // the report's description: what is replayed and its ground truth
}

// Open reads and judges the recording, and paces it at its recorded times × Speed within Limit.
func (s Setup) Open() (*Replay, error) {
	if s.Speed <= 0 {
		return nil, fmt.Errorf("speed %g must be > 0", s.Speed)
	}
	rec, err := Read(s.Path)
	if err != nil {
		return nil, err
	}
	if s.Framing != "" && s.Framing != rec.Framing() {
		return nil, fmt.Errorf("-framing %s: the recording %s is framed %s, and -replay keeps its framing", s.Framing, s.Path, rec.Framing())
	}
	src, err := rec.Source(s.Options)
	if err != nil {
		return nil, err
	}
	truth := s.Truth
	if truth == "" {
		truth = "the reference pipeline's verdict of each line"
	}
	return &Replay{
		Source: src,
		Pacer:  pacer.Replay{Offsets: rec.Offsets(), Speed: s.Speed, Limit: s.Limit},
		Description: fmt.Sprintf("replay of %s: %d recorded lines (%d bytes) sent verbatim; ground truth: %s",
			s.Path, rec.Len(), rec.Bytes(), truth),
	}, nil
}
