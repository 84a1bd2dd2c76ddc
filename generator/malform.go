package generator

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
)

// Malform is a way of damaging a valid rendered CEF line. Each maps to one malformed detail of
// PIPELINE.md's collector rule C1 (see Detail):
//
//	Malform                 damage                                                   C1 detail
//	MalformTruncated        line cut after the product, before the 7th header '|'    truncated
//	MalformBadHeader        the "CEF:" signature removed                             bad_header
//	MalformBadVersion       "CEF:0|" becomes "CEF:1|"                                bad_version
//	MalformUnknownProduct   product "NSS…log" becomes "NSSFooLog"                    unknown_feed
//	MalformBinary           the line replaced by binary bytes (a TLS record header   bad_header
//	                        then 0x00–0x7F without LF, CR or ':'; valid UTF-8 on
//	                        purpose, so that the missing signature is its only defect)
//	MalformOversize         the line padded with " filler=xxx…" past Config.MaxLine  oversize
//	MalformInvalidUTF8      bytes 0xff 0xfe inserted after the first extension '='   invalid_utf8
//	MalformBadExtension     the extension replaced by "garbage without pairs"        bad_extension
//
// No damage ever produces an LF or CR byte: those are the framing.
type Malform uint8

// Malforms.
const (
	MalformNone Malform = iota
	MalformTruncated
	MalformBadHeader
	MalformBadVersion
	MalformUnknownProduct
	MalformBinary
	MalformOversize
	MalformInvalidUTF8
	MalformBadExtension
	numMalforms
)

var malformNames = [numMalforms]string{"none", "truncated", "bad_header", "bad_version", "unknown_product", "binary", "oversize", "invalid_utf8", "bad_extension"}

var malformDetails = [numMalforms]verdict.Detail{
	verdict.DetailNone, verdict.DetailTruncated, verdict.DetailBadHeader, verdict.DetailBadVersion,
	verdict.DetailUnknownFeed, verdict.DetailBadHeader, verdict.DetailOversize, verdict.DetailInvalidUTF8,
	verdict.DetailBadExtension,
}

// Malforms lists every damage kind, without MalformNone.
func Malforms() []Malform {
	out := make([]Malform, 0, numMalforms-1)
	for m := MalformTruncated; m < numMalforms; m++ {
		out = append(out, m)
	}
	return out
}

// String returns the malform's name as ParseMalform reads it, e.g. "bad_header".
func (m Malform) String() string {
	if m < numMalforms {
		return malformNames[m]
	}
	return fmt.Sprintf("malform(%d)", uint8(m))
}

// Detail returns the malformed detail the reference collector gives a line damaged this way.
func (m Malform) Detail() verdict.Detail {
	if m < numMalforms {
		return malformDetails[m]
	}
	return verdict.DetailNone
}

// ParseMalform parses a malform name as String writes it.
func ParseMalform(s string) (Malform, error) {
	for m := MalformNone; m < numMalforms; m++ {
		if s == malformNames[m] {
			return m, nil
		}
	}
	return MalformNone, fmt.Errorf("unknown malform %q (want one of %s)", s, strings.Join(malformNames[:], ", "))
}

// header locates the CEF signature and the seven header separators of a rendered line.
type header struct {
	sig   int    // index of "CEF:"
	pipes [7]int // indexes of the seven unescaped '|' after the signature
}

// cefSig returns the index of the signature of a rendered line, the first "CEF:" at its start or after a
// space, or -1.
func cefSig(line []byte) int {
	for from := 0; ; {
		i := bytes.Index(line[from:], []byte("CEF:"))
		if i < 0 {
			return -1
		}
		i += from
		if i == 0 || line[i-1] == ' ' {
			return i
		}
		from = i + 4
	}
}

// cefHeader finds the header of line: its signature (cefSig), then seven '|'.
func cefHeader(line []byte) (header, bool) {
	var h header
	if h.sig = cefSig(line); h.sig < 0 {
		return h, false
	}
	n := 0
	for i := h.sig + 4; i < len(line) && n < 7; i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			h.pipes[n] = i
			n++
		}
	}
	return h, n == 7
}

var (
	unknownProduct = []byte("NSSFooLog")
	badExtension   = []byte("garbage without pairs")
	invalidUTF8    = []byte{0xff, 0xfe}
	fillerKey      = []byte(" filler=")
)

// damage applies malform mf to the line dst[start:] in place and returns dst. The line must have a
// CEF header (New checks that every malformed class's format renders one).
func (m *model) damage(dst []byte, start int, mf Malform, r *rng) []byte {
	line := dst[start:]
	h, ok := cefHeader(line)
	if !ok && mf != MalformBinary && mf != MalformOversize {
		return dst
	}
	switch mf {
	case MalformTruncated:
		lo, hi := h.pipes[2]+1, h.pipes[6]
		return dst[:start+lo+r.intn(hi-lo)]
	case MalformBadHeader:
		return splice(dst, start+h.sig, start+h.sig+4, nil)
	case MalformBadVersion:
		line[h.sig+4] = '1'
		if line[h.sig+5] != '|' { // a multi-digit version: keep exactly one digit
			return splice(dst, start+h.sig+5, start+h.pipes[0], nil)
		}
		return dst
	case MalformUnknownProduct:
		return splice(dst, start+h.pipes[1]+1, start+h.pipes[2], unknownProduct)
	case MalformBinary:
		dst = append(dst[:start], 0x16, 0x03, 0x01)
		n := 16 + r.intn(497)
		for i := 0; i < n; i++ {
			b := byte(r.next() >> 57) // 0x00–0x7f
			if b == '\n' || b == '\r' || b == ':' {
				b = 0
			}
			dst = append(dst, b)
		}
		return dst
	case MalformOversize:
		pad := m.maxLine + 1 - len(line) - len(fillerKey) + r.intn(1024)
		dst = append(dst, fillerKey...)
		for pad > 0 {
			k := min(pad, len(filler))
			dst = append(dst, filler[:k]...)
			pad -= k
		}
		return dst
	case MalformInvalidUTF8:
		at := h.pipes[6] + 1
		if eq := bytes.IndexByte(line[at:], '='); eq >= 0 {
			at += eq + 1
		}
		return splice(dst, start+at, start+at, invalidUTF8)
	case MalformBadExtension:
		return append(dst[:start+h.pipes[6]+1], badExtension...)
	}
	return dst
}

var filler = bytes.Repeat([]byte{'x'}, 4096)

// splice replaces dst[i:j] with repl, shifting the tail, without allocating when dst has capacity.
func splice(dst []byte, i, j int, repl []byte) []byte {
	tail := len(dst) - j
	n := i + len(repl) + tail
	if n > len(dst) {
		dst = append(dst, make([]byte, n-len(dst))...)
	}
	copy(dst[i+len(repl):n], dst[j:j+tail])
	copy(dst[i:], repl)
	return dst[:n]
}
