package nssfmt

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestEncodeClean: the 8-bytes-at-once test agrees with the table on words holding each byte value at
// each position among bytes that need nothing, and on random words, for the escape sets NSS feeds use.
func TestEncodeClean(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		control bool
		escape  string
	}{{false, "="}, {true, "="}, {true, `,"\`}, {true, ""}, {false, "\x00\xff|="}, {true, "\x7f\x80"}} {
		tab := newEncodeTable(tc.control, tc.escape)
		bytewise := func(x uint64) bool {
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], x)
			for _, c := range b {
				if tab.t[c] != 0 {
					return false
				}
			}
			return true
		}
		check := func(x uint64) {
			if got, want := tab.clean(x), bytewise(x); got != want {
				t.Fatalf("control %v escape %q: clean(%#016x) = %v; want %v", tc.control, tc.escape, x, got, want)
			}
		}
		base := binary.LittleEndian.Uint64([]byte("abcdefgh"))
		for c := range 256 {
			for pos := range 8 {
				check(base&^(0xff<<(8*pos)) | uint64(c)<<(8*pos))
			}
		}
		for range 100000 {
			check(r.Uint64())
			check(r.Uint64() & 0x7f7f7f7f7f7f7f7f) // ASCII only
		}
	}
}
