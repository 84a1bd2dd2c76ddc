// Package cef parses ArcSight Common Event Format records (CEF rev 25), one line at a time, as the
// Zscaler NSS feeds write them.
//
// A line is an optional syslog prefix, the "CEF:" signature, seven '|'-separated header fields and the
// extension:
//
//	[prefix ]CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension
//
// The prefix is whatever precedes the signature: nothing, "<PRI>", an RFC 3164 timestamp and host
// ("Jun 11 02:52:44 zscaler-nss", NSS's own form), "host tag:", or an RFC 5424 header with or without
// structured data ("<134>1 2024-06-11T02:52:44Z host app - - - "). The signature is the first "CEF:"
// that starts the line or follows a space, a tab or the '>' closing a PRI. Parse returns the prefix with
// its trailing blanks removed and does not interpret it.
//
// # Header
//
// In header fields "\|" stands for '|' and "\\" for '\'. Only Version "0" is accepted. Parse reports,
// in this order: invalid UTF-8 anywhere in the line (ErrInvalidUTF8), no signature (ErrBadHeader), a
// complete version field other than "0" (ErrBadVersion), fewer than seven header separators
// (ErrTruncated).
//
// # Extension
//
// The extension is a space-separated list of key=value pairs. Keys are made of the characters
// [A-Za-z0-9_.-[]]. In values "\=" stands for '=', "\\" for '\', "\n" for a line feed and "\r" for a
// carriage return; a value may contain spaces. A value ends at the next boundary: a space followed by
// key characters and an '=', or the end of the line. The boundary space is the separator; any other
// spaces, including trailing ones, belong to the value. A non-empty extension must start, after
// leading spaces, with key=; otherwise it is ErrBadExtension in both modes. A key that occurs twice is
// returned twice by Parser.Extensions; Record.Get returns the first occurrence.
//
// Two modes differ only in how much of the spec they demand of values and header fields:
//
//   - Lenient (the default, Parser.Strict == false) reads what NSS really sends. NSS does not
//     backslash-escape values, so URLs carry raw '=' and '|': a raw '=' that is not part of a
//     " key=" boundary stays in the value, and a backslash before any character other than the
//     escapable ones is kept as a literal backslash. Parse checks only the header and the first key
//     of the extension; the rest is split lazily by Record.Get or in full by Parser.Extensions.
//   - Strict (Parser.Strict == true) follows the spec to the letter: an unescaped '=' in a value
//     that does not start a new key, or a backslash that starts no valid escape, is ErrBadExtension;
//     a backslash in a header field that escapes neither '|' nor '\' is ErrBadHeader. Parse checks
//     the whole extension, so a record that parses strictly also splits without error.
//
// A record accepted in strict mode gives the same header fields and pairs in lenient mode.
//
// # Allocation
//
// Parse and Record.Get do not allocate once the parser's scratch buffer has grown to the largest
// unescaped text seen; results point into the input line or that buffer and stay valid until the next
// Parse. Errors are parser-owned too (see Parser.Parse).
package cef
