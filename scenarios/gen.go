package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
)

// PacerFor builds a run's schedule: the recording's original pace at speed when replay names one (the
// recording sets the length; the scenario's count, and its duration when durationGiven, still cut it
// short), else the scenario's pacer, bounded by its duration and count. A real-time day pacer without a
// start starts now, in the scenario's time zone.
func PacerFor(s *Scenario, replay string, speed float64, durationGiven bool) (pacer.Pacer, error) {
	if replay == "" {
		spec := s.Pacer
		if spec.RealTime && spec.Start.IsZero() { // a real-time day starts at this hour of the week
			loc := s.TimeZone
			if loc == nil {
				loc = time.UTC
			}
			spec.Start = time.Now().In(loc)
		}
		return specPacer(spec, pacer.Limit{Duration: s.Duration, Count: s.Count})
	}
	if speed <= 0 {
		return nil, fmt.Errorf("speed %g must be > 0", speed)
	}
	offsets, err := ReplayOffsets(replay)
	if err != nil {
		return nil, err
	}
	return pacer.Replay{Offsets: offsets, Speed: speed, Limit: s.ReplayLimit(durationGiven)}, nil
}

// ReplayLimit is what cuts a replay short, the recording setting its length: the scenario's count, and
// its duration when durationGiven (a scenario's own duration does not cut a recording).
func (s *Scenario) ReplayLimit(durationGiven bool) pacer.Limit {
	lim := pacer.Limit{Count: s.Count}
	if durationGiven {
		lim.Duration = s.Duration
	}
	return lim
}

// specPacer builds the pacer of a scenario's pacer spec, bounded by lim. A replay spec needs the
// recording that -replay gives.
func specPacer(spec pacer.Spec, lim pacer.Limit) (pacer.Pacer, error) {
	if spec.Shape == "replay" {
		return nil, errors.New("replay pacer: give the recording to replay with -replay FILE")
	}
	return spec.New(lim)
}

// GenOptions say which lines of a scenario `nssbench gen` writes, and how.
type GenOptions struct {
	Feed       string        // only this feed: a built-in format name or a log type ("": every feed)
	FormatFile string        // render with this NSS feed output format file instead (Feed names its log type)
	Count      uint64        // lines; with Duration, at most this many (0: Duration's lines, or 10)
	Duration   time.Duration // the lines that Rate, else the scenario's pacer, schedules in this long
	// Rate paces the lines in real time (zero: as fast as possible); a volume is converted through the
	// mean size of the lines, LF-framed as the wire carries them.
	Rate     pacer.RateOrVolume
	Tracking bool             // add externalId=%d{recordid} to firewall and DNS formats
	Seed     uint64           // the generator's seed (0: the scenario's)
	Syslog   generator.Syslog // the syslog header form, replacing the scenario's (zero: the feed format's own)
}

// ForGen sets up the generator of what gen writes of s, with o.Seed and o.Syslog set on s, restricted to
// o.Feed and rendering o.FormatFile (with s's organisation), and which of its lines gen writes, and when
// (o.Count, o.Duration, o.Rate). notes say what was left out for a feed that prints JSON or no CEF,
// and how a volume converted to a rate; with an error, they are those of the steps that succeeded.
func ForGen(s *Scenario, o GenOptions) (gen *generator.Generator, opts generator.WriteOptions, notes []string, err error) {
	if o.Seed != 0 {
		s.Seed = o.Seed
	}
	s.Syslog = o.Syslog
	if err = restrictFeed(s, o.Feed, o.FormatFile); err != nil {
		return nil, opts, nil, err
	}
	var file *feeds.Feed
	if o.FormatFile != "" {
		log, err := logOf(o.Feed)
		if err != nil {
			return nil, opts, nil, err
		}
		if file, err = feeds.FromFile(o.FormatFile, log); err != nil {
			return nil, opts, nil, err
		}
	}
	note, err := leaveOutMalformed(s, file)
	if err == nil {
		gen, err = generatorWith(s, file, o.Tracking)
	}
	if err != nil {
		return nil, opts, nil, err
	}
	if note != "" {
		notes = append(notes, note)
	}
	if note, err = s.ConvertVolume(&o.Rate, gen, "lf"); err != nil {
		return nil, opts, notes, err
	} else if note != "" {
		notes = append(notes, "-rate "+note)
	}
	if opts, err = o.lines(s); err != nil {
		return nil, opts, notes, err
	}
	return gen, opts, notes, nil
}

// lines says which lines of s gen writes (o.Count, o.Duration), paced in real time when o.Rate is set.
func (o GenOptions) lines(s *Scenario) (generator.WriteOptions, error) {
	var opts generator.WriteOptions
	var err error
	rate := o.Rate.PerSecond
	if opts.Count, err = lineCount(s, o.Count, o.Duration, rate); err != nil {
		return opts, err
	}
	if rate > 0 { // only a rate paces in real time; otherwise lines are written as fast as possible
		opts.Pacer = pacer.Constant{Rate: rate, Limit: pacer.Limit{Count: opts.Count, Duration: o.Duration}}
	}
	return opts, nil
}

// restrictFeed keeps only the classes of the log type that feed (a built-in format name) renders.
func restrictFeed(s *Scenario, feed, formatFile string) error {
	if feed == "" {
		if formatFile != "" {
			return fmt.Errorf("-format-file needs -feed to say which log type it renders (%s)", verdict.FeedChoices())
		}
		return nil
	}
	log, err := logOf(feed)
	if err != nil {
		return err
	}
	return s.OnlyFeed(log, feed)
}

// logOf returns the log type of a built-in feed name, or of a bare log type name.
func logOf(feed string) (verdict.Feed, error) {
	if f, err := verdict.ParseFeed(feed); err == nil {
		return f, nil
	}
	f, err := feeds.ByName(feed)
	if err != nil {
		return verdict.FeedUnknown, err
	}
	return f.Log, nil
}

// maxLines bounds the lines a duration may schedule, so that a runaway pacer is an error, not a hang.
const maxLines = 1 << 40

// lineCount returns how many lines gen writes. Without a duration it is count, or 10. With one it is the
// events that the schedule holds before the duration ends, at most count (when set): the schedule is
// a constant rate when rate > 0, else the scenario's own pacer (smoke's 1000/s for 2s is 2000 lines).
func lineCount(s *Scenario, count uint64, duration time.Duration, rate float64) (uint64, error) {
	switch {
	case duration < 0:
		return 0, fmt.Errorf("duration %v must be >= 0", duration)
	case duration == 0 && count == 0:
		return 10, nil
	case duration == 0:
		return count, nil
	}
	lim := pacer.Limit{Duration: duration, Count: count}
	var sched pacer.Pacer = pacer.Constant{Rate: rate, Limit: lim}
	if rate <= 0 {
		var err error
		if sched, err = specPacer(s.Pacer, lim); err != nil {
			return 0, fmt.Errorf("-duration without -rate counts the lines of scenario %s's pacer: %w", s.Name, err)
		}
	}
	n, ok := pacer.Count(sched, maxLines)
	if !ok {
		return 0, fmt.Errorf("%v schedules more than %d lines", sched, uint64(maxLines))
	}
	return n, nil
}

// leaveOutMalformed leaves the malformed classes out of s when every feed the generator renders prints
// JSON (the Cloud NSS feeds, or a JSON format file) or the format file prints no CEF (Zscaler's CSV):
// malforms damage CEF lines, and the generator refuses them for any other format. It reuses ForCloudNSS,
// which then swaps no feed, and returns the note to print ("" when nothing was left out). A scenario left
// with no class at all is an error.
func leaveOutMalformed(s *Scenario, file *feeds.Feed) (string, error) {
	var names []string
	prints := "JSON"
	if file != nil {
		switch file.Encoding {
		case feeds.EncodingCEF:
			return "", nil
		case feeds.EncodingOther:
			prints = "no CEF"
		}
		names = []string{file.Name}
		s.Feeds = nil // the file renders, not the scenario's feeds: ForCloudNSS must not name them
	} else {
		for log, name := range s.Feeds {
			f, err := feeds.ByName(name)
			if err != nil {
				return "", fmt.Errorf("scenario %s: feed %s: %w", s.Name, log, err)
			}
			if f.Encoding != feeds.EncodingJSON {
				return "", nil
			}
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	slices.Sort(names)
	why := "feed " + names[0] + " prints " + prints
	if len(names) > 1 {
		why = "feeds " + strings.Join(names, ", ") + " print " + prints
	}
	notes, err := ForCloudNSS(s)
	if err != nil {
		return "", fmt.Errorf("%s: %w", why, err)
	}
	if len(notes) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s: scenario %s: %s", why, s.Name, strings.Join(notes, ", ")), nil
}

// generatorWith builds the generator: from the scenario's feeds, or rendering file (a format file) when set.
func generatorWith(s *Scenario, file *feeds.Feed, tracking bool) (*generator.Generator, error) {
	if file == nil {
		return GeneratorFor(s, tracking)
	}
	prog, err := file.Compile(feeds.Options{RecordTracking: tracking, Escape: s.FeedEscape})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file.Name, err)
	}
	cfg := generator.Config{Seed: s.Seed, Classes: s.Classes, Users: s.Users, Location: s.TimeZone, Syslog: s.Syslog, Org: s.Org}
	cfg.Programs[file.Log] = prog
	return generator.New(cfg)
}
