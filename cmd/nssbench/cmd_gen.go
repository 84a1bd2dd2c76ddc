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
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/scenarios"
)

// genFlags are the flags of 'gen'.
type genFlags struct {
	scenario, feed, formatFile, labels, outPath *string
	count, seed                                 *uint64
	duration                                    *time.Duration
	tracking                                    *bool
	rate                                        pacer.RateOrVolume
	shard                                       run.Shard
	clock                                       *generator.ClockFlag
	syslog                                      generator.Syslog
}

func addGenFlags(fs *flag.FlagSet) *genFlags {
	f := &genFlags{
		scenario:   fs.String("scenario", "default", "built-in scenario name or scenario file: the class mix to draw from"),
		count:      fs.Uint64("count", 0, "number of lines, 1 or more; with -duration, at most this many (default: the lines -duration schedules, or 10)"),
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
	fs := newFlagSet("gen")
	f := addGenFlags(fs)
	if code, ok := parseNoArgs(e, fs, args); !ok {
		return code
	}
	gen, opts, err := f.generator(e, fs)
	if err != nil {
		return usageError(e.stderr, "gen", err)
	}
	if err := writeGenerated(e, gen, opts, *f.outPath, *f.labels); err != nil {
		return failure(e.stderr, "gen", err)
	}
	if e.ctx.Err() != nil {
		return exitInterrupted
	}
	return exitOK
}

// generator sets up what gen writes (scenarios.ForGen); every error is a usage error.
func (f *genFlags) generator(e *env, fs *flag.FlagSet) (*generator.Generator, generator.WriteOptions, error) {
	if *f.count == 0 && given(fs, "count") {
		return nil, generator.WriteOptions{}, fmt.Errorf("-count 0: want 1 or more (leave it out for the default)")
	}
	scn, err := scenarios.Open(*f.scenario)
	if err != nil {
		return nil, generator.WriteOptions{}, err
	}
	if *f.seed != 0 {
		scn.Seed = *f.seed
	}
	scn.Syslog = f.syslog
	o := scenarios.GenOptions{Feed: *f.feed, FormatFile: *f.formatFile, Count: *f.count, Duration: *f.duration, Tracking: *f.tracking}
	gen, note, err := scenarios.ForGen(scn, o)
	if err != nil {
		return nil, generator.WriteOptions{}, err
	}
	if note != "" {
		fmt.Fprintf(e.stderr, "nssbench gen: %s\n", note)
	}
	// A volume: lines are as the wire carries them, LF-framed.
	if note, err = scn.ConvertVolume(&f.rate, gen, "lf"); err != nil {
		return nil, generator.WriteOptions{}, err
	} else if note != "" {
		fmt.Fprintf(e.stderr, "nssbench gen: -rate %s\n", note)
	}
	o.Rate = f.rate.PerSecond
	opts, err := o.Lines(scn)
	opts.Clock = f.clock.Resolve(false)
	opts.Index, opts.Stride = uint64(f.shard.Index), uint64(max(f.shard.Count, 1))
	return gen, opts, err
}

// given reports whether the flag name was given on fs's command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
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
	if err == nil {
		for _, p := range []string{outPath, labelsPath} {
			if p != "" {
				fmt.Fprintf(e.stderr, "nssbench gen: wrote %s\n", p)
			}
		}
	}
	return err
}

// nopCloser is stdout as an io.WriteCloser: closing it does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
