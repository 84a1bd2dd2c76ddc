package nssfmt

import (
	"bytes"
	"testing"
)

// TestAppendShort: appendShort appends exactly s, on the block path and off it: values of every length
// around 32, with and without capacity to spare, into buffers with and without room.
func TestAppendShort(t *testing.T) {
	src := []byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	for n := 0; n <= 40; n++ {
		for _, c := range []int{n, 32, 48} {
			if c < n {
				continue
			}
			s := src[:n:c]
			for _, room := range []int{0, 1, 31, 32, 100} {
				dst := make([]byte, 3, 3+room)
				copy(dst, "pre")
				got := appendShort(dst, s)
				if want := append([]byte("pre"), s...); !bytes.Equal(got, want) {
					t.Fatalf("len %d cap %d room %d: %q; want %q", n, c, room, got, want)
				}
			}
		}
	}
}

// TestPackedLiterals: every literal a program prints has the capacity appendShort's block copy needs,
// after Compile, Fold and Split.
func TestPackedLiterals(t *testing.T) {
	p := MustCompile("a %s{action} bb %d{csport} a much longer piece of literal text, well over 32 bytes %s{login} end", Options{})
	action, _ := FieldByName("action")
	folded := p.Fold(func(f Field) (Constant, bool) { return Constant{Text: []byte("Allow")}, f == action })
	head, tail := folded.Split(func(f Field) bool { return f == action })
	for _, q := range []*Program{p, folded, head, tail} {
		for _, o := range q.ops {
			if string(o.litp) != o.lit || cap(o.litp) < 32 {
				t.Errorf("op literal %q packed as %q, capacity %d", o.lit, o.litp, cap(o.litp))
			}
		}
	}
}
