package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/corpus/zst"
	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/scenarios"
)

// genFlags are the flags of 'gen'; what to write goes straight into scenarios.GenOptions.
type genFlags struct {
	scenario, labels, outPath *string
	gen                       scenarios.GenOptions
	shard                     run.Shard
	clock                     *generator.ClockFlag
}

func addGenFlags(fs *flag.FlagSet) *genFlags {
	f := &genFlags{
		scenario: fs.String("scenario", "default", "built-in scenario name or scenario file: the class mix to draw from"),
		labels:   fs.String("labels", "", "write each line's ground truth as JSON lines to this file"),
		outPath:  fs.String("o", "", "write to this file instead of stdout (.zst suffix: zstd-compressed)"),
	}
	o := &f.gen
	fs.Uint64Var(&o.Seed, "seed", 0, "generator seed (default: the scenario's)")
	fs.Uint64Var(&o.Count, "count", 0, "number of lines, 1 or more; with -duration, at most this many (default: the lines -duration schedules, or 10)")
	fs.DurationVar(&o.Duration, "duration", 0, "write the lines that -rate, else the scenario's pacer, schedules in this long (paced in real time only with -rate)")
	fs.StringVar(&o.Feed, "feed", "", "only this feed: a built-in format name ("+strings.Join(feeds.Names(), ", ")+"); the cloud-* feeds print JSON and leave the malformed classes out")
	fs.StringVar(&o.FormatFile, "format-file", "", "render with this NSS feed output format instead (with -feed naming its log type)")
	fs.BoolVar(&o.Tracking, "record-tracking", false, "add externalId=%d{recordid} to firewall and DNS formats")
	fs.Var(&f.shard, "shard", "write only the i-th of n disjoint parts (events i, i+n, i+2n, …), e.g. 0/4")
	fs.Var(&o.Rate, "rate", "pace the output at this rate, e.g. 1000/s, or a volume such as 50GB/day or 2MB/s converted through the mean line size (default: as fast as possible)")
	f.clock = addClockFlag(fs, "virtual; wall stamps each line with its due time with -rate, else the time it is written")
	fs.Var(&o.Syslog, "syslog", syslogUsage)
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
	out, err := zst.CreateOrStdout(*f.outPath, e.stdout, zst.Fast)
	if err == nil {
		err = gen.WriteFiles(e.ctx, out, *f.labels, opts)
	}
	if err != nil {
		return failure(e.stderr, "gen", err)
	}
	for _, p := range []string{*f.outPath, *f.labels} {
		if p != "" {
			fmt.Fprintf(e.stderr, "nssbench gen: wrote %s\n", p)
		}
	}
	if e.ctx.Err() != nil {
		return exitInterrupted
	}
	return exitOK
}

// generator sets up what gen writes (scenarios.ForGen), printing its notes; every error is a usage
// error.
func (f *genFlags) generator(e *env, fs *flag.FlagSet) (*generator.Generator, generator.WriteOptions, error) {
	if f.gen.Count == 0 && flagsGiven(fs)["count"] {
		return nil, generator.WriteOptions{}, fmt.Errorf("-count 0: want 1 or more (leave it out for the default)")
	}
	scn, err := scenarios.Open(*f.scenario)
	if err != nil {
		return nil, generator.WriteOptions{}, err
	}
	gen, opts, notes, err := scenarios.ForGen(scn, f.gen)
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "nssbench gen: %s\n", n)
	}
	opts.Clock = f.clock.Resolve(false)
	opts.Index, opts.Stride = uint64(f.shard.Index), uint64(max(f.shard.Count, 1))
	return gen, opts, err
}
