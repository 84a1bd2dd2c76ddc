package nssfmt

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strconv"
)

// encodeTable says, per byte value, how a string value prints it: as is (0), as %HH with upper-case
// hex (encUpper) or as %hh with lower-case hex (encLower). With at most 4 escape characters, apply
// first skips 8 bytes at a time that need nothing (clean).
type encodeTable struct {
	t       [256]uint8
	control bool    // bytes <= 0x20 and >= 0x7F are encoded
	esc     []uint8 // the escape characters, when there are at most 4 (swar)
	swar    bool
}

const (
	encUpper = 1 + iota
	encLower
)

// newEncodeTable returns the table for a string op: bytes <= 0x20 and >= 0x7F become %HH (upper-case
// hex, as ZHELP's "%0A") when control is set, and the feed's escape characters become %hh (lower-case
// hex, as NSS writes the escaped comma "KHTML%2c" in SEKOIA's web sample). It returns nil when
// nothing is encoded, so the op can skip the scan.
func newEncodeTable(control bool, escape string) *encodeTable {
	if !control && escape == "" {
		return nil
	}
	t := encodeTable{control: control}
	for i := 0; i < len(escape); i++ {
		t.t[escape[i]] = encLower
	}
	if control {
		for c := range 256 {
			if c <= 0x20 || c >= 0x7F {
				t.t[c] = encUpper
			}
		}
	}
	if len(escape) <= 4 {
		t.esc, t.swar = []byte(escape), true
	}
	return &t
}

// apply %HH-encodes, in place, the bytes of dst[start:] that t selects, growing dst as needed.
func (t *encodeTable) apply(dst []byte, start int) []byte {
	s := dst[start:]
	if t.swar {
		for len(s) >= 8 && t.clean(binary.LittleEndian.Uint64(s)) {
			s = s[8:]
		}
	}
	n := 0
	for _, c := range s {
		if t.t[c] != 0 {
			n++
		}
	}
	if n == 0 {
		return dst
	}
	return t.expand(dst, start, n)
}

// Bytes of 8 in a word, for clean: every byte 0x01, every byte 0x80.
const ones, highs = 0x0101010101010101, 0x8080808080808080

// clean reports whether none of the 8 bytes of x is encoded by t (a t with swar set). It tests all 8 at
// once: a byte below n shows in (x - n·ones) &^ x & highs, a zero byte of x^c·ones is a byte c.
func (t *encodeTable) clean(x uint64) bool {
	var hit uint64
	if t.control {
		hit = (x-0x21*ones)&^x | x | zeroBytes(x^0x7F*ones) // <= 0x20, >= 0x80, 0x7F
	}
	for _, c := range t.esc {
		hit |= zeroBytes(x ^ uint64(c)*ones)
	}
	return hit&highs == 0
}

// zeroBytes has the high bit of each zero byte of x set (and maybe of bytes above one), and no other
// high bit: for testing whether x has a zero byte.
func zeroBytes(x uint64) uint64 { return (x - ones) &^ x }

// expand is apply's slow path: n bytes of dst[start:] need encoding. It copies backwards so the
// expansion needs no scratch buffer.
func (t *encodeTable) expand(dst []byte, start, n int) []byte {
	const upper, lower = "0123456789ABCDEF", "0123456789abcdef"
	end := len(dst)
	dst = slices.Grow(dst, 2*n)[:end+2*n]
	w := len(dst)
	for r := end - 1; r >= start; r-- {
		c := dst[r]
		digits := upper
		switch t.t[c] {
		case 0:
			w--
			dst[w] = c
			continue
		case encLower:
			digits = lower
		}
		w -= 3
		dst[w], dst[w+1], dst[w+2] = '%', digits[c>>4], digits[c&0xF]
	}
	return dst
}

// obfuscationKey keys the obfuscation hash, so obfuscated values do not match a plain FNV of the
// value. It is fixed: the same value obfuscates the same way in every run and every program.
const obfuscationKey = 0x6e73736265_6e6368 // "nssbench"

// obfuscatedMax bounds obfuscated numbers to at most 10 decimal digits, the width of the values
// Zscaler's samples show ("ologin":"4094304256", "odevicename":"2175092224").
const obfuscatedMax = 10_000_000_000

// obfuscate returns the obfuscated number of a value, or ok=false when the value is an "empty"
// marker that NSS prints unchanged: "", "None", "NA", "N/A" (Zscaler's cloud-nss sample has
// "ourlfilterrulelabel":"None").
func obfuscate(value []byte) (n uint64, ok bool) {
	switch string(value) {
	case "", "None", "NA", "N/A":
		return 0, false
	}
	h := uint64(14695981039346656037) ^ obfuscationKey // FNV-1a 64, keyed
	for _, c := range value {
		h ^= uint64(c)
		h *= 1099511628211
	}
	// splitmix64 finalizer: spread the FNV state over all bits before the modulo.
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h % obfuscatedMax, true
}

// appendObfuscated replaces the value in dst[start:] with its obfuscated decimal number, leaving
// empty markers as they are.
func appendObfuscated(dst []byte, start int) []byte {
	if n, ok := obfuscate(dst[start:]); ok {
		return strconv.AppendUint(dst[:start], n, 10)
	}
	return dst
}

// appendBase64 replaces the value in dst[start:] with its standard base64 encoding (RFC 4648 §4:
// A–Z a–z 0–9 + /, padded with =), growing dst as needed. The encoding is appended after the value,
// where it cannot overlap it, then moved over it.
func appendBase64(dst []byte, start int) []byte {
	end := len(dst)
	dst = base64.StdEncoding.AppendEncode(dst, dst[start:end])
	n := copy(dst[start:], dst[end:])
	return dst[:start+n]
}
