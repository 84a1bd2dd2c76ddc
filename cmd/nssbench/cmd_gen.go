package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nssbench/nssbench/corpus/zst"
	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/scenarios"
)

const genExamples = `  nssbench gen -count 10                          # 10 lines of the default mix to stdout
  nssbench gen -feed firewall -count 1000000 -o fw.log.zst
  nssbench gen -feed web-short -count 5 -labels truth.jsonl
  nssbench gen -feed firewall -format-file my-nss-format.txt -count 3
  nssbench gen -feed cloud-web -count 5           # Cloud NSS JSON, without the malformed classes
  nssbench gen -scenario smoke -duration 2s       # the 2000 lines smoke's 1000/s schedules in 2 s, at once
  nssbench gen -rate 1000/s -duration 1m | nc 127.0.0.1 5514   # paced in real time
  nssbench gen -syslog rfc5424 -count 3           # RFC 5424 headers instead of NSS's own
`

// genFlags are the flags of 'gen'.
type genFlags struct {
	scenario, feed, formatFile, labels, outPath *string
	count, seed                                 *uint64
	duration                                    *time.Duration
	tracking                                    *bool
	rate                                        rateOrVolume
	shard                                       shardValue
	clock                                       *clockValue
	syslog                                      syslogValue
}

func addGenFlags(fs *flag.FlagSet) *genFlags {
	f := &genFlags{
		scenario:   fs.String("scenario", "default", "built-in scenario name or scenario file: the class mix to draw from"),
		count:      fs.Uint64("count", 0, "number of lines; with -duration, at most this many (default: the lines -duration schedules, or 10)"),
		duration:   fs.Duration("duration", 0, "write the lines that -rate, else the scenario's pacer, schedules in this long (paced in real time only with -rate)"),
		seed:       fs.Uint64("seed", 0, "generator seed (default: the scenario's)"),
		feed:       fs.String("feed", "", "only this feed: a built-in format name ("+strings.Join(feeds.Names(), ", ")+"); the cloud-* feeds print JSON and leave the malformed classes out"),
		formatFile: fs.String("format-file", "", "render with this NSS feed output format instead (with -feed naming its log type)"),
		labels:     fs.String("labels", "", "write each line's ground truth as JSON lines to this file"),
		outPath:    fs.String("o", "", "write to this file instead of stdout (.zst suffix: zstd-compressed)"),
		tracking:   fs.Bool("record-tracking", false, "add externalId=%d{recordid} to firewall and DNS formats"),
	}
	fs.Var(&f.shard, "shard", "write only the i-th of n disjoint parts (events i, i+n, i+2n, …), e.g. 0/4")
	fs.Var(&f.rate, "rate", "pace the output at this rate, e.g. 1000/s, or a volume such as 50GB/day or 2MB/s converted through the mean line size (default: as fast as possible)")
	f.clock = addClockFlag(fs, "virtual; wall stamps each line with its due time with -rate, else the time it is written")
	fs.Var(&f.syslog, "syslog", syslogUsage)
	return f
}

func cmdGen(e *env, args []string) int {
	fs := newFlagSet(e, "gen", "gen [flags]", genExamples)
	f := addGenFlags(fs)
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, "gen", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	gen, opts, err := f.generator(e)
	if err != nil {
		return usageError(e.stderr, "gen", err)
	}
	if err := writeGenerated(e, gen, opts, *f.outPath, *f.labels); err != nil {
		fmt.Fprintf(e.stderr, "nssbench gen: %v\n", err)
		return exitFailure
	}
	if e.ctx.Err() != nil {
		return exitInterrupted
	}
	return exitOK
}

// generator sets up what gen writes: the generator of the scenario (restricted to -feed, rendering
// -format-file) and which of its lines, when; every error is a usage error.
func (f *genFlags) generator(e *env) (*generator.Generator, generator.WriteOptions, error) {
	var opts generator.WriteOptions
	scn, err := scenarios.Open(*f.scenario)
	if err != nil {
		return nil, opts, err
	}
	if *f.seed != 0 {
		scn.Seed = *f.seed
	}
	scn.Syslog = f.syslog.form
	if err := restrictFeed(scn, *f.feed, *f.formatFile); err != nil {
		return nil, opts, err
	}
	var file *feeds.Feed
	if *f.formatFile != "" {
		log, err := logOf(*f.feed)
		if err != nil {
			return nil, opts, err
		}
		if file, err = feeds.FromFile(*f.formatFile, log); err != nil {
			return nil, opts, err
		}
	}
	note, err := leaveOutMalformed(scn, file)
	if err != nil {
		return nil, opts, err
	}
	if note != "" {
		fmt.Fprintf(e.stderr, "nssbench gen: %s\n", note)
	}
	gen, err := genFor(scn, file, *f.tracking)
	if err != nil {
		return nil, opts, err
	}
	if f.rate.bytesPerSecond > 0 { // a volume: lines are as the wire carries them, LF-framed
		mean, err := meanEventSize(gen, "lf")
		if err != nil {
			return nil, opts, err
		}
		note, err := f.rate.convert(mean, scn.Name)
		if err != nil {
			return nil, opts, err
		}
		fmt.Fprintf(e.stderr, "nssbench gen: -rate %s\n", note)
	}
	if opts.Count, err = lineCount(scn, *f.count, *f.duration, f.rate.perSecond); err != nil {
		return nil, opts, err
	}
	opts.Clock = f.clock.resolve("")
	if f.rate.perSecond > 0 { // only -rate paces in real time; otherwise lines are written as fast as possible
		opts.Pacer = pacer.Constant{Rate: f.rate.perSecond, Limit: pacer.Limit{Count: opts.Count, Duration: *f.duration}}
	}
	opts.Index, opts.Stride = uint64(f.shard.index), uint64(max(f.shard.count, 1))
	return gen, opts, err
}

// writeGenerated writes gen's lines to outPath (stdout when empty; .zst: compressed) and their labels
// to labelsPath (none when empty), reporting the first error.
func writeGenerated(e *env, gen *generator.Generator, opts generator.WriteOptions, outPath, labelsPath string) error {
	var out io.WriteCloser = nopCloser{e.stdout}
	if outPath != "" {
		f, err := zst.Create(outPath, zst.Fast)
		if err != nil {
			return err
		}
		out = f
	}
	var labels *os.File
	if labelsPath != "" {
		f, err := os.Create(labelsPath)
		if err != nil {
			out.Close()
			return err
		}
		labels, opts.Labels = f, f
	}
	err := gen.WriteLines(e.ctx, out, opts)
	if labels != nil {
		if cerr := labels.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// nopCloser is stdout as an io.WriteCloser: closing it does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// restrictFeed keeps only the classes of the log type that feed (a built-in format name) renders.
func restrictFeed(scn *scenarios.Scenario, feed, formatFile string) error {
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
	return scn.OnlyFeed(log, feed)
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

// maxLines bounds the lines a -duration may schedule, so that a runaway pacer is an error, not a hang.
const maxLines = 1 << 40

// lineCount returns how many lines gen writes. Without a duration it is count, or 10. With one it is the
// events that the schedule holds before the duration ends, at most count (when set): the schedule is
// a constant rate when rate > 0, else the scenario's own pacer (smoke's 1000/s for 2s is 2000 lines).
// gen paces in real time only with -rate; the scenario's pacer serves here only to count.
func lineCount(scn *scenarios.Scenario, count uint64, duration time.Duration, rate float64) (uint64, error) {
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
		if sched, err = scenarioPacer(scn.Pacer, lim); err != nil {
			return 0, fmt.Errorf("-duration without -rate counts the lines of scenario %s's pacer: %w", scn.Name, err)
		}
	}
	n, ok := pacer.Count(sched, maxLines)
	if !ok {
		return 0, fmt.Errorf("%v schedules more than %d lines", sched, uint64(maxLines))
	}
	return n, nil
}
