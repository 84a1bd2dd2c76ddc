package nssfmt

import "testing"

// TestPackedLiterals: every literal a program prints has the capacity Append's block copies need, and
// every op the room Append keeps before it (its literal and those after it, with a 32-byte window
// for each literal and value), after Compile, Fold and Split.
func TestPackedLiterals(t *testing.T) {
	p := MustCompile("a %s{action} bb %d{csport} a much longer piece of literal text, well over 32 bytes %s{login} end", Options{})
	action, _ := FieldByName("action")
	folded := p.Fold(func(f Field) (Constant, bool) { return Constant{Text: []byte("Allow")}, f == action })
	head, tail := folded.Split(func(f Field) bool { return f == action })
	for _, q := range []*Program{p, folded, head, tail} {
		room := 32
		for i := len(q.ops) - 1; i >= 0; i-- {
			room += len(q.ops[i].lit) + 64
			if q.ops[i].room != room {
				t.Errorf("op %d (%q): room %d; want %d", i, q.ops[i].lit, q.ops[i].room, room)
			}
		}
		for _, o := range q.ops {
			if string(o.litp) != o.lit || cap(o.litp) < len(o.lit)+32 {
				t.Errorf("op literal %q packed as %q, capacity %d", o.lit, o.litp, cap(o.litp))
			}
		}
	}
}
