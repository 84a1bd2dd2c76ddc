package generator_test

import (
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/scenarios"
)

// programs compiles one built-in format per feed, with record tracking so that every line carries
// externalId.
func programs(t testing.TB, names map[verdict.Feed]string) [verdict.NumFeeds]*nssfmt.Program {
	t.Helper()
	var progs [verdict.NumFeeds]*nssfmt.Program
	for feed, name := range names {
		f, err := feeds.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		progs[feed], err = f.Compile(feeds.Options{RecordTracking: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	return progs
}

// cefFeeds are the feeds' default CEF formats (verdict.Descriptor.Format), one per feed.
var cefFeeds = func() map[verdict.Feed]string {
	out := map[verdict.Feed]string{}
	for _, f := range verdict.Feeds() {
		out[f] = f.Descriptor().Format
	}
	return out
}()

// library returns the class library, optionally only the classes accepted by keep, at weight 1.
func library(t testing.TB, keep func(c *generator.Class) bool) []generator.Class {
	t.Helper()
	lib, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	var out []generator.Class
	for _, c := range lib {
		if keep == nil || keep(&c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatal("no classes selected")
	}
	return out
}

func wellFormed(c *generator.Class) bool { return c.Malform == generator.MalformNone }

// newGen builds a generator over the whole class library with Zscaler's CEF formats.
func newGen(t testing.TB, seed uint64, keep func(c *generator.Class) bool) *generator.Generator {
	t.Helper()
	g, err := generator.New(generator.Config{Seed: seed, Classes: library(t, keep), Programs: programs(t, cefFeeds)})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// feedGenerator builds a generator for one built-in feed, with record tracking, over the library's
// classes of that feed that keep accepts (all of them when keep is nil). It returns the classes too.
func feedGenerator(t testing.TB, name string, seed uint64, keep func(f *feeds.Feed, c *generator.Class) bool) (*generator.Generator, []generator.Class) {
	t.Helper()
	f, err := feeds.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := f.Compile(feeds.Options{RecordTracking: true})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[f.Log] = prog
	classes := library(t, func(c *generator.Class) bool { return c.Feed == f.Log && (keep == nil || keep(f, c)) })
	g, err := generator.New(generator.Config{Seed: seed, Classes: classes, Programs: progs})
	if err != nil {
		t.Fatal(err)
	}
	return g, classes
}
