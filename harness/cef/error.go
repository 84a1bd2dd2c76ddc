package cef

import (
	"strconv"
)

// ErrorKind classifies why a line is not a well-formed CEF record.
type ErrorKind uint8

// Error kinds. The zero value is not a valid kind.
const (
	ErrBadHeader    ErrorKind = iota + 1 // no "CEF:" signature, or (strict) a bad escape in a header field
	ErrBadVersion                        // a version field that is not a number (any number is a version)
	ErrTruncated                         // the line ends before the seventh header separator
	ErrBadExtension                      // an extension that cannot be split into key=value pairs
	ErrInvalidUTF8                       // bytes that are not UTF-8
)

var errorKindNames = [...]string{
	ErrBadHeader:    "bad_header",
	ErrBadVersion:   "bad_version",
	ErrTruncated:    "truncated",
	ErrBadExtension: "bad_extension",
	ErrInvalidUTF8:  "invalid_utf8",
}

// String returns the kind's name, which is also the name of its malformed detail, e.g. "truncated".
func (k ErrorKind) String() string {
	if k > 0 && int(k) < len(errorKindNames) {
		return errorKindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a parse error: its kind, the 1-based byte column in the line where the problem is (one past
// the last byte when the line ends too early) and a fixed message.
type Error struct {
	Kind   ErrorKind
	Column int
	Msg    string
	// Version is the record's CEF version when the error comes after the version field was read in
	// full (a later header field truncated or, strictly, badly escaped), else nil. It points into the
	// line, like a Record. The pipeline needs it to rank a version other than 0 first (PIPELINE.md C1).
	Version []byte
}

// Error returns "cef: <msg> [col N]".
func (e *Error) Error() string {
	return "cef: " + e.Msg + " [col " + strconv.Itoa(e.Column) + "]"
}
