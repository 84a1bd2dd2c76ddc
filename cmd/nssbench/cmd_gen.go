package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/scenarios"
)

func cmdGen(e *env, args []string) int {
	fs := newFlagSet(e, "gen", "gen [flags]", `  nssbench gen -count 10                          # 10 lines of the default mix to stdout
  nssbench gen -feed firewall -count 1000000 -o fw.log.zst
  nssbench gen -feed web-short -count 5 -labels truth.jsonl
  nssbench gen -feed firewall -format-file my-nss-format.txt -count 3
  nssbench gen -feed cloud-web -count 5           # Cloud NSS JSON, without the malformed classes
  nssbench gen -scenario smoke -duration 2s       # the 2000 lines smoke's 1000/s schedules in 2 s, at once
  nssbench gen -rate 1000/s -duration 1m | nc 127.0.0.1 5514   # paced in real time
`)
	var (
		scenario   = fs.String("scenario", "default", "built-in scenario name or scenario file: the class mix to draw from")
		count      = fs.Uint64("count", 0, "number of lines; with -duration, at most this many (default: the lines -duration schedules, or 10)")
		duration   = fs.Duration("duration", 0, "write the lines that -rate, else the scenario's pacer, schedules in this long (paced in real time only with -rate)")
		seed       = fs.Uint64("seed", 0, "generator seed (default: the scenario's)")
		feed       = fs.String("feed", "", "only this feed: a built-in format name ("+strings.Join(feeds.Names(), ", ")+"); the cloud-* feeds print JSON and leave the malformed classes out")
		formatFile = fs.String("format-file", "", "render with this NSS feed output format instead (with -feed naming its log type)")
		labels     = fs.String("labels", "", "write each line's ground truth as JSON lines to this file")
		outPath    = fs.String("o", "", "write to this file instead of stdout (.zst suffix: zstd-compressed)")
		tracking   = fs.Bool("record-tracking", false, "add externalId=%d{recordid} to firewall and DNS formats")
		rate       rateValue
		shard      shardValue
	)
	fs.Var(&shard, "shard", "write only the i-th of n disjoint parts (events i, i+n, i+2n, …), e.g. 0/4")
	fs.Var(&rate, "rate", "pace the output at this rate, e.g. 1000/s (default: as fast as possible)")
	if code, ok := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e.stderr, "gen", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	scn, err := loadScenario(*scenario)
	if err != nil {
		return usageError(e.stderr, "gen", err)
	}
	if *seed != 0 {
		scn.Seed = *seed
	}
	if err := restrictFeed(scn, *feed, *formatFile); err != nil {
		return usageError(e.stderr, "gen", err)
	}
	n, err := lineCount(scn, *count, *duration, rate.perSecond)
	if err != nil {
		return usageError(e.stderr, "gen", err)
	}
	var file *feeds.Feed
	if *formatFile != "" {
		log, err := logOf(*feed)
		if err != nil {
			return usageError(e.stderr, "gen", err)
		}
		if file, err = feeds.FromFile(*formatFile, log); err != nil {
			return usageError(e.stderr, "gen", err)
		}
	}
	note, err := leaveOutMalformed(scn, file)
	if err != nil {
		return usageError(e.stderr, "gen", err)
	}
	if note != "" {
		fmt.Fprintf(e.stderr, "nssbench gen: %s\n", note)
	}
	gen, err := genFor(scn, file, *tracking)
	if err != nil {
		return usageError(e.stderr, "gen", err)
	}
	var pc pacer.Pacer // only -rate paces in real time; otherwise lines are written as fast as possible
	if rate.perSecond > 0 {
		pc = pacer.Constant{Rate: rate.perSecond, Limit: pacer.Limit{Count: n, Duration: *duration}}
	}

	out, closeOut, err := openOutput(e, *outPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "nssbench gen: %v\n", err)
		return exitFailure
	}
	var lw *bufio.Writer
	var closeLabels func() error
	if *labels != "" {
		f, err := os.Create(*labels)
		if err != nil {
			fmt.Fprintf(e.stderr, "nssbench gen: %v\n", err)
			return exitFailure
		}
		lw, closeLabels = bufio.NewWriterSize(f, 256<<10), f.Close
	}
	werr := writeLines(e, gen, pc, n, shard, out, lw)
	if lw != nil {
		if err := lw.Flush(); werr == nil {
			werr = err
		}
		if err := closeLabels(); werr == nil {
			werr = err
		}
	}
	if err := closeOut(); werr == nil {
		werr = err
	}
	if werr != nil {
		fmt.Fprintf(e.stderr, "nssbench gen: %v\n", werr)
		return exitFailure
	}
	if e.ctx.Err() != nil {
		return exitInterrupted
	}
	return exitOK
}

// restrictFeed keeps only the classes of the log type that feed (a built-in format name) renders.
func restrictFeed(scn *scenarios.Scenario, feed, formatFile string) error {
	if feed == "" {
		if formatFile != "" {
			return fmt.Errorf("-format-file needs -feed to say which log type it renders (web, firewall or dns)")
		}
		return nil
	}
	log, err := logOf(feed)
	if err != nil {
		return err
	}
	var kept []generator.Class
	for _, c := range scn.Classes {
		if c.Feed == log {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return fmt.Errorf("scenario %s has no %s classes", scn.Name, log)
	}
	scn.Classes = kept
	scn.Feeds = map[verdict.Feed]string{log: feed}
	return nil
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

// leaveOutMalformed leaves the malformed classes out of scn when every feed gen renders prints JSON (the
// Cloud NSS feeds, or a JSON format file): malforms damage CEF lines, and the generator refuses them for
// any other format. It reuses scenarios.ForCloudNSS, which then swaps no feed, and returns the note to print
// ("" when nothing was left out). A scenario left with no class at all is an error.
func leaveOutMalformed(scn *scenarios.Scenario, file *feeds.Feed) (string, error) {
	var names []string
	if file != nil {
		if file.Encoding != feeds.EncodingJSON {
			return "", nil
		}
		names = []string{file.Name}
		scn.Feeds = nil // the file renders, not the scenario's feeds: ForCloudNSS must not name them
	} else {
		for log, name := range scn.Feeds {
			f, err := feeds.ByName(name)
			if err != nil {
				return "", fmt.Errorf("scenario %s: feed %s: %w", scn.Name, log, err)
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
	why := "feed " + names[0] + " prints JSON"
	if len(names) > 1 {
		why = "feeds " + strings.Join(names, ", ") + " print JSON"
	}
	notes, err := scenarios.ForCloudNSS(scn)
	if err != nil {
		return "", fmt.Errorf("%s: %w", why, err)
	}
	if len(notes) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s: scenario %s: %s", why, scn.Name, strings.Join(notes, ", ")), nil
}

// genFor builds the generator: from the scenario's feeds, or rendering file (a -format-file) when set.
func genFor(scn *scenarios.Scenario, file *feeds.Feed, tracking bool) (*generator.Generator, error) {
	if file == nil {
		return scenarios.GeneratorFor(scn, tracking)
	}
	prog, err := file.Compile(feeds.Options{RecordTracking: tracking, Escape: scn.FeedEscape})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file.Name, err)
	}
	cfg := generator.Config{Seed: scn.Seed, Classes: scn.Classes, Users: scn.Users, Location: scn.TimeZone}
	cfg.Programs[file.Log] = prog
	return generator.New(cfg)
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
		if sched, err = scenarios.PacerFor(scn.Pacer, lim); err != nil {
			return 0, fmt.Errorf("-duration without -rate counts the lines of scenario %s's pacer: %w", scn.Name, err)
		}
	}
	n, ok := pacer.Count(sched, maxLines)
	if !ok {
		return 0, fmt.Errorf("%v schedules more than %d lines", sched, uint64(maxLines))
	}
	return n, nil
}

// openOutput opens stdout or a file; a .zst suffix compresses with zstd.
func openOutput(e *env, path string) (io.Writer, func() error, error) {
	if path == "" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasSuffix(path, ".zst") {
		return f, f.Close, nil
	}
	zw, err := zstd.NewWriter(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return zw, func() error {
		err := zw.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

// writeLines generates n lines (paced by pc when it is set) and writes them with their labels.
// With a shard, the k-th line written is event k·count+index of the whole stream, due at its own time.
func writeLines(e *env, gen *generator.Generator, pc pacer.Pacer, n uint64, sh shardValue, out io.Writer, labels *bufio.Writer) error {
	stride, first := uint64(max(sh.count, 1)), uint64(sh.index)
	w := bufio.NewWriterSize(out, 256<<10)
	classes := gen.Classes()
	buf := make([]byte, 0, 64<<10)
	lbuf := make([]byte, 0, 256)
	start := time.Now()
	for seq := first; seq < n; seq += stride {
		if pc != nil {
			due, ok := pc.Due(seq)
			if !ok {
				break
			}
			if wait := due - time.Since(start); wait > 0 {
				if err := w.Flush(); err != nil {
					return err
				}
				select {
				case <-e.ctx.Done():
				case <-time.After(wait):
				}
			}
		}
		if seq&1023 == 0 && e.ctx.Err() != nil {
			break
		}
		line, label := gen.Append(buf[:0], seq)
		buf = line[:0]
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
		if labels != nil {
			lbuf = appendLabel(lbuf[:0], label, &classes[label.Class])
			if _, err := labels.Write(lbuf); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}
