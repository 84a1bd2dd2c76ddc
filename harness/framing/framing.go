// Package framing splits a byte stream into records and frames records for the wire. It knows
// nothing about the records' grammar (syslog, CEF, JSON): message grammar and transport framing stay
// apart and compose.
//
// Two framings are supported, as NSS senders and syslog relays use them over TCP:
//
//   - LF: one record per line, terminated by a line feed (NSS appends one after the last field). A
//     carriage return just before the line feed is stripped.
//   - Octet counting (RFC 6587 §3.4.1): "MSG-LEN SP MSG", MSG-LEN a decimal byte count of MSG.
//
// A Reader detects which one a stream uses from its first byte: a digit 1-9 means octet counting,
// anything else LF. A LF-framed stream whose first record starts with a digit 1-9 is therefore
// misread as octet counting; NSS records start with "<PRI>", a month name or "CEF:", so this does not
// happen with NSS formats.
package framing

import (
	"errors"
	"strconv"
)

// Framing names how records are delimited in a stream.
type Framing uint8

// The framings. FramingUnknown is a Reader's framing before it has seen the stream's first byte.
const (
	FramingUnknown Framing = iota
	FramingLF              // LF-terminated lines, CR before LF stripped
	FramingOctet           // RFC 6587 octet counting: "LEN SP MSG"
)

// String returns "lf", "octet" or "unknown".
func (f Framing) String() string {
	switch f {
	case FramingLF:
		return "lf"
	case FramingOctet:
		return "octet"
	default:
		return "unknown"
	}
}

// ParseFraming parses "lf" or "octet" (the names String returns).
func ParseFraming(s string) (Framing, error) {
	switch s {
	case "lf":
		return FramingLF, nil
	case "octet":
		return FramingOctet, nil
	}
	return FramingUnknown, errors.New("framing: unknown framing " + strconv.Quote(s) + `; want "lf" or "octet"`)
}

// ErrOversize is matched (errors.Is) by every *OversizeError.
var ErrOversize = errors.New("framing: record exceeds the maximum length")

// OversizeError reports a record longer than the Reader's maximum length. The record has been skipped
// up to its end and the stream continues: the next call to Next returns the record after it.
type OversizeError struct {
	Offset int64 // stream offset of the record's first byte (of its length prefix for octet counting)
	Len    int64 // the record's length in bytes, without its terminator or length prefix
	Max    int   // the Reader's maximum length
}

// Error describes the oversize record.
func (e *OversizeError) Error() string {
	return "framing: record at offset " + strconv.FormatInt(e.Offset, 10) + " is " +
		strconv.FormatInt(e.Len, 10) + " bytes, over the maximum of " + strconv.Itoa(e.Max)
}

// Is reports whether target is ErrOversize.
func (e *OversizeError) Is(target error) bool { return target == ErrOversize }

// FrameError reports broken octet counting: a length that is not a decimal number, a missing space
// after it, or a stream that ends inside a frame. The stream cannot be resynchronised after it (there is
// no delimiter to search for), so a Reader returns the same error from every later call to Next; a
// collector should close the connection.
type FrameError struct {
	Offset int64  // stream offset of the offending byte
	Msg    string // what was wrong
}

// Error returns "framing: octet counting at offset N: msg".
func (e *FrameError) Error() string {
	return "framing: octet counting at offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Msg
}
