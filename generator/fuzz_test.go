package generator_test

import (
	"bytes"
	"testing"

	"github.com/nssbench/nssbench/generator"
)

// FuzzAppend checks, for any seed and event number, that Append never panics, never emits a line
// break (the framing) and is a pure function of (seed, seq).
func FuzzAppend(f *testing.F) {
	f.Add(uint64(1), uint64(0))
	f.Add(uint64(0), uint64(1<<63))              // huge seq: record ids and the clock must not overflow badly
	f.Add(uint64(1<<64-1), uint64(1<<64-1))      // all ones
	f.Add(uint64(0x9e3779b97f4a7c15), uint64(7)) // the splitmix increment itself
	gens := map[uint64]*generator.Generator{}
	f.Fuzz(func(t *testing.T, seed, seq uint64) {
		g, ok := gens[seed]
		if !ok {
			g = newGen(t, seed, func(c *generator.Class) bool { return c.Malform != generator.MalformOversize })
			if len(gens) < 64 {
				gens[seed] = g
			}
		}
		a, la := g.Append(nil, seq)
		b, lb := g.Clone().Append(nil, seq)
		if !bytes.Equal(a, b) || la != lb || la.Seq != seq {
			t.Fatalf("seed %d seq %d: not deterministic or wrong label %+v", seed, seq, la)
		}
		if len(a) == 0 || bytes.ContainsAny(a, "\r\n") {
			t.Fatalf("seed %d seq %d: bad line %q", seed, seq, a)
		}
	})
}
