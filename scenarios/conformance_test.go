package scenarios

import (
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
)

// TestLibraryConformance renders every library class through Zscaler's CEF formats (with record
// tracking) and checks that the reference pipeline's verdict is the class's expectation: the class
// library's ground truth and the pipeline agree on PIPELINE.md.
func TestLibraryConformance(t *testing.T) {
	lib, err := Library()
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	for _, feed := range verdict.Feeds() {
		f, err := feeds.ByName(feed.Descriptor().Format)
		if err != nil {
			t.Fatal(err)
		}
		if progs[feed], err = f.Compile(feeds.Options{RecordTracking: true}); err != nil {
			t.Fatal(err)
		}
	}
	const maxLine = 64 << 10
	for seed := uint64(1); seed <= 3; seed++ {
		g, err := generator.New(generator.Config{Seed: seed, Classes: lib, Programs: progs, MaxLine: maxLine})
		if err != nil {
			t.Fatal(err)
		}
		d := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{MaxLine: maxLine}).NewDecider()
		seen := make([]int, len(lib))
		var buf []byte
		var v verdict.Verdict
		for s := uint64(0); s < 5000; s++ {
			var l generator.Label
			buf, l = g.Append(buf[:0], s)
			c := &lib[l.Class]
			seen[l.Class]++
			if len(buf) > maxLine {
				d.DecideOversize(&v)
			} else {
				d.Decide(buf, &v)
			}
			if m, ok := c.Expect.Check(&v); !ok {
				t.Fatalf("seed %d seq %d class %s: %s = %q; want %q\n%.300q", seed, s, c.Name, m.Field, m.Got, m.Want, buf)
			}
		}
		for i, n := range seen {
			if n == 0 {
				t.Errorf("seed %d: class %s never drawn in 5000 events", seed, lib[i].Name)
			}
		}
	}
}
