package generator_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/reports/golden"
)

// TestFoldedClassesRenderAsUnfolded: the values folded into each class's program (fixed by the class,
// or constant in the feed) are the values its events would render, for every built-in format and every
// class of the library, including the malformed ones.
func TestFoldedClassesRenderAsUnfolded(t *testing.T) {
	for _, name := range feeds.Names() {
		t.Run(name, func(t *testing.T) {
			g, classes := feedGenerator(t, name, 7, func(f *feeds.Feed, c *generator.Class) bool {
				return f.Encoding == feeds.EncodingCEF || c.Malform == generator.MalformNone
			})
			var a, b []byte
			for seq := range uint64(20 * len(classes)) {
				a, _ = g.Append(a[:0], seq)
				b = g.AppendUnfolded(b[:0], seq)
				if !bytes.Equal(a, b) {
					t.Fatalf("event %d (class %s): folded program renders\n%s\nunfolded:\n%s\nfirst difference: %s",
						seq, classes[g.LabelOf(seq).Class].Name, a, b, golden.FirstDiff(a, b))
				}
			}
		})
	}
}

// TestHeadFollowsSeconds: a class's header, rendered once per second and kept, is the one a fresh
// generator renders for that record, whichever order the seconds come in (a sender's wall times go
// back when the records of several shards interleave).
func TestHeadFollowsSeconds(t *testing.T) {
	g, _ := feedGenerator(t, "firewall", 3, nil)
	base := time.Date(2026, 12, 2, 23, 59, 58, 0, time.UTC).UnixNano()
	var a, b []byte
	for i := range uint64(400) {
		ns := base + int64(i%7)*int64(time.Second)/2 - int64(i%3)*int64(time.Second)
		a, _ = g.AppendAt(a[:0], i, ns)
		b, _ = g.Clone().AppendAt(b[:0], i, ns)
		if !bytes.Equal(a, b) {
			t.Fatalf("record %d at %d: rendered\n%s\nfresh generator:\n%s", i, ns, a, b)
		}
	}
}
