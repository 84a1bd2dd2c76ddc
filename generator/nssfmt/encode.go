package nssfmt

import (
	"encoding/base64"
	"slices"
	"strconv"
)

// encodeTable says, per byte value, how a string value prints it: as is (0), as %HH with upper-case
// hex (encUpper) or as %hh with lower-case hex (encLower).
type encodeTable [256]uint8

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
	var t encodeTable
	for i := 0; i < len(escape); i++ {
		t[escape[i]] = encLower
	}
	if control {
		for c := range 256 {
			if c <= 0x20 || c >= 0x7F {
				t[c] = encUpper
			}
		}
	}
	return &t
}

// apply %HH-encodes, in place, the bytes of dst[start:] that t selects, growing dst as needed.
func (t *encodeTable) apply(dst []byte, start int) []byte {
	n := 0
	for _, c := range dst[start:] {
		if t[c] != 0 {
			n++
		}
	}
	if n == 0 {
		return dst
	}
	return t.expand(dst, start, n)
}

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
		switch t[c] {
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
