package generator_test

import (
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports/golden"
)

// goldenGenerator renders built-in feed name over the library classes of its log type (malformed
// classes only for CEF formats; never oversize, whose 64 KiB lines do not belong in a golden file).
func goldenGenerator(t *testing.T, name string) *generator.Generator {
	t.Helper()
	f, err := feeds.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := f.Compile(feeds.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var progs [verdict.NumFeeds]*nssfmt.Program
	progs[f.Log] = prog
	classes := library(t, func(c *generator.Class) bool {
		return c.Feed == f.Log && c.Malform != generator.MalformOversize && (f.Encoding == feeds.EncodingCEF || c.Malform == generator.MalformNone)
	})
	g, err := generator.New(generator.Config{Seed: 1, Classes: classes, Programs: progs})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// goldenLine renders one line as "class<TAB>line", quoting lines that are not printable UTF-8.
func goldenLine(dst []byte, class string, line []byte) []byte {
	dst = append(dst, class...)
	dst = append(dst, '\t')
	printable := utf8.Valid(line)
	for _, c := range line {
		if c < 0x20 || c == 0x7f {
			printable = false
		}
	}
	if printable {
		dst = append(dst, line...)
	} else {
		dst = append(dst, "q:"...)
		dst = strconv.AppendQuote(dst, string(line))
	}
	return append(dst, '\n')
}

// TestGolden pins the first 20 lines of every built-in feed for seed 1. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	for _, name := range feeds.Names() {
		t.Run(name, func(t *testing.T) {
			g := goldenGenerator(t, name)
			var out []byte
			for s := uint64(0); s < 20; s++ {
				line, l := g.Append(nil, s)
				out = goldenLine(out, g.Classes()[l.Class].Name, line)
			}
			golden.File(t, filepath.Join("testdata", "golden", name+".txt"), out)
		})
	}
}
