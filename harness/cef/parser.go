package cef

import (
	"bytes"
	"math/bits"
	"unicode/utf8"
)

// Parser parses one CEF record per call. Results point into the input line or the parser's scratch
// buffer and are valid until the next Parse. Not safe for concurrent use: one per goroutine.
//
// The zero value is a lenient parser ready to use.
type Parser struct {
	// Strict makes the parser follow the CEF spec to the letter (see the package doc).
	Strict bool

	rec     Record
	err     Error
	scratch []byte // unescaped header fields and values of the current record
	pairs   []Pair // result of Extensions
}

// Record is one parsed CEF line. Its byte slices point into the parsed line or into the parser's scratch
// buffer; they are valid until the parser's next Parse and must not be modified.
type Record struct {
	Prefix                                                               []byte // syslog prefix before "CEF:" (may be empty), e.g. "<134>Jun 11 02:52:44 zscaler-nss"
	Version, Vendor, Product, DeviceVersion, SignatureID, Name, Severity []byte // header fields, unescaped (\| and \\); Version is digits, any number
	Extension                                                            []byte // raw extension text after the 7th header '|'

	p      *Parser // owner of the scratch buffer used by Get; nil for a Record built by hand
	extCol int     // 1-based column of Extension[0] in the line
}

// truncatedMsgs and badEscapeMsgs name the header field an error is in, by field index.
var truncatedMsgs = [7]string{
	"truncated header: line ends in the version field",
	"truncated header: line ends in the device vendor field",
	"truncated header: line ends in the device product field",
	"truncated header: line ends in the device version field",
	"truncated header: line ends in the signature id field",
	"truncated header: line ends in the name field",
	"truncated header: line ends in the severity field",
}

var badEscapeMsgs = [7]string{
	"bad escape in the version field (want \\| or \\\\)",
	"bad escape in the device vendor field (want \\| or \\\\)",
	"bad escape in the device product field (want \\| or \\\\)",
	"bad escape in the device version field (want \\| or \\\\)",
	"bad escape in the signature id field (want \\| or \\\\)",
	"bad escape in the name field (want \\| or \\\\)",
	"bad escape in the severity field (want \\| or \\\\)",
}

// Parse parses line, one CEF record without its line terminator.
//
// On success it returns the parser's record. On failure the error is a *Error owned by the parser, valid
// (like the record) until the next Parse: copy it to keep it. For ErrBadExtension the record is returned
// too, with the header and the raw extension filled in; for every other error the record is nil.
//
// Parse does not allocate once the scratch buffer has grown to the largest header escape seen.
func (p *Parser) Parse(line []byte) (*Record, error) {
	p.scratch = p.scratch[:0]
	p.rec = Record{p: p}
	r := &p.rec

	if !validUTF8(line) {
		return nil, p.fail(ErrInvalidUTF8, invalidUTF8Column(line), "invalid UTF-8")
	}
	sig := signature(line)
	if sig < 0 {
		return nil, p.fail(ErrBadHeader, 1, `no "CEF:" signature`)
	}
	r.Prefix = trimRightBlank(line[:sig])

	pos := sig + len("CEF:")
	var version []byte // the version field once it is read in full, for errors after it
	fields := [7]*[]byte{&r.Version, &r.Vendor, &r.Product, &r.DeviceVersion, &r.SignatureID, &r.Name, &r.Severity}
	bars := barScanner{line: line}
	for i, dst := range fields {
		end, escaped := bars.end(pos)
		if i == 0 && end >= 0 {
			if !isVersion(line[pos:end]) {
				return nil, p.fail(ErrBadVersion, pos+1, "CEF version is not a number")
			}
			version = line[pos:end]
		}
		if end < 0 {
			return nil, p.failVersion(ErrTruncated, len(line)+1, truncatedMsgs[i], version)
		}
		if !escaped {
			*dst = line[pos:end]
		} else {
			v, bad := p.unescapeHeader(line[pos:end])
			if bad >= 0 {
				return nil, p.failVersion(ErrBadHeader, pos+bad+1, badEscapeMsgs[i], version)
			}
			*dst = v
		}
		pos = end + 1
	}
	r.Extension = line[pos:]
	r.extCol = pos + 1

	if p.Strict {
		if err := p.checkStrict(r); err != nil {
			return r, err
		}
		return r, nil
	}
	if col, msg := firstKey(r.Extension); col > 0 {
		return r, p.fail(ErrBadExtension, r.extCol+col-1, msg)
	}
	return r, nil
}

// fail fills the parser's error and returns it.
func (p *Parser) fail(kind ErrorKind, col int, msg string) *Error {
	p.err = Error{Kind: kind, Column: col, Msg: msg}
	return &p.err
}

// failVersion is fail for an error found after the version field was read.
func (p *Parser) failVersion(kind ErrorKind, col int, msg string, version []byte) *Error {
	p.err = Error{Kind: kind, Column: col, Msg: msg, Version: version}
	return &p.err
}

// trimRightBlank is bytes.TrimRight(b, " \t") without building the cutset's set on every call.
func trimRightBlank(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == '\t') {
		n--
	}
	return b[:n]
}

// isVersion reports whether f is a CEF version: one or more ASCII digits.
func isVersion(f []byte) bool {
	if len(f) == 0 {
		return false
	}
	for _, c := range f {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// signature returns the index of the "CEF:" signature in line, or -1. The signature is the first "CEF:"
// anywhere in the line (glued to a host name too, as in "zscaler-nssCEF:0|") that is followed by a
// version (digits) and a '|'. When no "CEF:" is, it is the first one, so that the error is about its
// version or its truncation.
func signature(line []byte) int {
	first := bytes.Index(line, []byte("CEF:"))
	for i := first; i >= 0; {
		if j := bytes.IndexByte(line[i+4:], '|'); j >= 0 && isVersion(line[i+4:i+4+j]) {
			return i
		}
		next := bytes.Index(line[i+1:], []byte("CEF:"))
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return first
}

// headerFieldEnd returns the index of the unescaped '|' that ends the header field starting at pos, or -1,
// and whether the field contains a backslash.
func headerFieldEnd(line []byte, pos int) (end int, escaped bool) {
	rest := line[pos:]
	i := bytes.IndexByte(rest, '|')
	if i < 0 {
		return -1, bytes.IndexByte(rest, '\\') >= 0
	}
	if bytes.IndexByte(rest[:i], '\\') < 0 {
		return pos + i, false
	}
	for j := 0; j < len(rest); j++ {
		switch rest[j] {
		case '\\':
			if j+1 < len(rest) && (rest[j+1] == '|' || rest[j+1] == '\\') {
				j++
			}
		case '|':
			return pos + j, true
		}
	}
	return -1, true
}

// barScanner is headerFieldEnd for the header's fields in order, sped up by the masks of the '|' bytes
// and backslashes of 64-byte windows of the line (headerMasks), each window serving every field that
// starts in it: the first '|' ends a field when no backslash comes before it. Other fields, and those
// of a line too short for a window, go to headerFieldEnd.
type barScanner struct {
	line          []byte
	base          int // line[base:base+64] is the window
	bars, escapes uint64
	ok            bool // the masks hold
}

// end is headerFieldEnd(s.line, pos); pos may only grow from call to call.
func (s *barScanner) end(pos int) (end int, escaped bool) {
	off := pos - s.base
	if !s.ok || off >= 64 {
		if len(s.line)-pos < 64 {
			return headerFieldEnd(s.line, pos)
		}
		s.bars, s.escapes, s.ok = headerMasks(s.line[pos:])
		if !s.ok {
			return headerFieldEnd(s.line, pos)
		}
		s.base, off = pos, 0
	}
	if b := s.bars >> off; b != 0 {
		if k := bits.TrailingZeros64(b); (s.escapes>>off)&(1<<k-1) == 0 {
			return pos + k, false
		}
	}
	return headerFieldEnd(s.line, pos)
}

// unescapeHeader appends the unescaped header field f to the scratch buffer and returns it. In strict mode
// it returns the offset in f of a backslash that escapes neither '|' nor '\'; bad is -1 otherwise.
func (p *Parser) unescapeHeader(f []byte) (v []byte, bad int) {
	start := len(p.scratch)
	for j := 0; j < len(f); j++ {
		c := f[j]
		if c == '\\' {
			if j+1 < len(f) && (f[j+1] == '|' || f[j+1] == '\\') {
				j++
				c = f[j]
			} else if p.Strict {
				return nil, j
			}
		}
		p.scratch = append(p.scratch, c)
	}
	return p.scratch[start:len(p.scratch):len(p.scratch)], -1
}

// invalidUTF8Column returns the 1-based column of the first byte of line that does not start a valid
// UTF-8 sequence.
func invalidUTF8Column(line []byte) int {
	for i := 0; i < len(line); {
		if line[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(line[i:])
		if r == utf8.RuneError && n <= 1 {
			return i + 1
		}
		i += n
	}
	return len(line) + 1
}

// TrimBlank returns b without its leading and trailing spaces and tabs, as a record's alert type (its
// header name) is compared. It is bytes.Trim(b, " \t") without building the cutset's set on every call.
func TrimBlank(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t') {
		j--
	}
	return b[i:j]
}
