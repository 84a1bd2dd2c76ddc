package sink

import (
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/scenarios"
)

// smokeGenerator builds the smoke scenario's generator (every library class) with record tracking, on
// the CEF feeds or, with cloud, the Cloud NSS JSON feeds (and no malformed classes).
func smokeGenerator(tb testing.TB, cloud bool) *generator.Generator {
	tb.Helper()
	scn, err := scenarios.Builtin("smoke")
	if err != nil {
		tb.Fatal(err)
	}
	names := map[verdict.Feed]string{}
	for _, f := range verdict.Feeds() {
		names[f] = f.Descriptor().Format
		if cloud {
			names[f] = f.Descriptor().Cloud
		}
	}
	classes := scn.Classes
	if cloud {
		classes = nil
		for _, c := range scn.Classes {
			if c.Malform == generator.MalformNone {
				classes = append(classes, c)
			}
		}
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	for feed, name := range names {
		f, err := feeds.ByName(name)
		if err != nil {
			tb.Fatal(err)
		}
		if progs[feed], err = f.Compile(feeds.Options{RecordTracking: true}); err != nil {
			tb.Fatal(err)
		}
	}
	g, err := generator.New(generator.Config{Seed: scn.Seed, Classes: classes, Programs: progs, Users: scn.Users})
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// testSchedule is a schedule of the smoke generator at 1000 events per second, one connection.
func testSchedule(tb testing.TB, cloud bool) Schedule {
	return Schedule{
		Generator: smokeGenerator(tb, cloud),
		Pacer:     pacer.Constant{Rate: 1000, Limit: pacer.Limit{Count: 100000}},
		Start:     time.Unix(1_700_000_000, 0),
	}
}

// classIndex returns the index of the class called name.
func classIndex(tb testing.TB, g *generator.Generator, name string) uint16 {
	tb.Helper()
	for i, c := range g.Classes() {
		if c.Name == name {
			return uint16(i)
		}
	}
	tb.Fatalf("no class %q", name)
	return 0
}

// seqOfClass returns the first seq >= from of class name.
func seqOfClass(tb testing.TB, g *generator.Generator, name string, from uint64) uint64 {
	tb.Helper()
	ci := classIndex(tb, g, name)
	for seq := from; seq < from+100000; seq++ {
		if g.LabelOf(seq).Class == ci {
			return seq
		}
	}
	tb.Fatalf("no %s record after %d", name, from)
	return 0
}
