package cef

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// naiveASCIIBlocks is asciiBlocks one byte at a time; 0 where asciiBlocks leaves all to utf8.Valid.
func naiveASCIIBlocks(s []byte) int {
	if !vectorASCII {
		return 0
	}
	n := 0
	for n+64 <= len(s) {
		for _, c := range s[n : n+64] {
			if c >= 0x80 {
				return n
			}
		}
		n += 64
	}
	return n
}

// TestASCIIBlocks compares asciiBlocks with naiveASCIIBlocks at every length up to 300 with one high
// byte at every place (and none), and checks that validUTF8 agrees with utf8.Valid there and on the
// same slices with a multi-byte rune, a truncated one or a stray continuation byte at every place.
func TestASCIIBlocks(t *testing.T) { checkASCIIBlocks(t) }

// checkASCIIBlocks is TestASCIIBlocks's body, for each of the vector loops the CPU can run.
func checkASCIIBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	for n := 0; n <= 300; n++ {
		for place := -1; place < n; place++ {
			s := make([]byte, n)
			for i := range s {
				s[i] = byte(rng.IntN(0x80))
			}
			if place >= 0 {
				s[place] = 0x80 | byte(rng.IntN(0x80))
			}
			if got, want := asciiBlocks(s), naiveASCIIBlocks(s); got != want {
				t.Fatalf("asciiBlocks(%q) = %d; want %d", s, got, want)
			}
			if place < 0 {
				continue
			}
			for _, r := range []string{"é", "€", "😀", "\xe2\x82", "\x82", "\xff"} {
				m := append(append(append([]byte{}, s[:place]...), r...), s[place+1:]...)
				if got, want := validUTF8(m), utf8.Valid(m); got != want {
					t.Fatalf("validUTF8(%q) = %v; want %v", m, got, want)
				}
			}
		}
	}
}

// TestASCIIBlocksBounds checks that the vector loop reads nothing past the slice: a high byte in the
// array just behind it is not seen.
func TestASCIIBlocksBounds(t *testing.T) { checkASCIIBlocksBounds(t) }

// checkASCIIBlocksBounds is TestASCIIBlocksBounds's body.
func checkASCIIBlocksBounds(t *testing.T) {
	for n := 0; n <= 200; n++ {
		buf := make([]byte, n+64)
		for i := range buf {
			buf[i] = 0xff
		}
		for i := range n {
			buf[i] = 'x'
		}
		if got, want := asciiBlocks(buf[:n]), naiveASCIIBlocks(buf[:n]); got != want || vectorASCII && got != n&^63 {
			t.Fatalf("n=%d: asciiBlocks = %d; want %d", n, got, want)
		}
	}
}

// TestHeaderMasks compares headerMasks with masks built one byte at a time, on slices of 64 to 200
// bytes of '|', '\' and 'x' (only the first 64 count), and barScanner with headerFieldEnd on the fields
// of each slice from every start.
func TestHeaderMasks(t *testing.T) { checkHeaderMasks(t) }

// checkHeaderMasks is TestHeaderMasks's body, for each of the vector loops the CPU can run.
func checkHeaderMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	for range 300 {
		s := make([]byte, 64+rng.IntN(137))
		for i := range s {
			s[i] = `|\xxxxxxxxx`[rng.IntN(11)]
		}
		var bars, escapes uint64
		for i, c := range s[:64] {
			if c == '|' {
				bars |= 1 << i
			}
			if c == '\\' {
				escapes |= 1 << i
			}
		}
		gb, ge, ok := headerMasks(s)
		if ok != vectorASCII || ok && (gb != bars || ge != escapes) {
			t.Fatalf("headerMasks(%q) = %x, %x, %v; want %x, %x, %v", s, gb, ge, ok, bars, escapes, vectorASCII)
		}
		// barScanner from every start, to the end of the slice, agrees with headerFieldEnd.
		for start := range s {
			bs := barScanner{line: s}
			for pos := start; pos < len(s); {
				end, esc := bs.end(pos)
				if e2, esc2 := headerFieldEnd(s, pos); end != e2 || esc != esc2 {
					t.Fatalf("barScanner.end(%q, %d) = %d, %v; headerFieldEnd: %d, %v", s, pos, end, esc, e2, esc2)
				}
				if end < 0 {
					break
				}
				pos = end + 1
			}
		}
	}
}
