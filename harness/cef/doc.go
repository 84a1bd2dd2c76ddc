// Package cef parses ArcSight Common Event Format records (the extension rules of the CEF specification,
// rev. 27), one line at a time, as the Zscaler NSS feeds write them.
//
// A line is an optional syslog prefix, the "CEF:" signature, seven '|'-separated header fields and the
// extension:
//
//	[prefix ]CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension
//
// The prefix is whatever precedes the signature: nothing, "<PRI>", an RFC 3164 timestamp and host
// ("Jun 11 02:52:44 zscaler-nss", NSS's own form), "host tag:", or an RFC 5424 header with or without
// structured data ("<134>1 2024-06-11T02:52:44Z host app - - - "). The signature is the first "CEF:"
// anywhere in the line that is followed by a version and a '|', even one glued to a host name
// ("zscaler-nssCEF:0|"). Parse returns the prefix with its trailing blanks removed and does not
// interpret it.
//
// # Header
//
// In header fields "\|" stands for '|' and "\\" for '\'. The version is one or more digits, any number:
// CEF:1 and CEF:26 parse like CEF:0 and Record.Version says which it is (whether another version is
// acceptable is the caller's decision; the reference pipeline drops it). Parse reports, in this order:
// invalid UTF-8 anywhere in the line (ErrInvalidUTF8), no signature (ErrBadHeader), a complete version
// field that is not a number (ErrBadVersion), fewer than seven header separators (ErrTruncated).
//
// # Extension
//
// The extension is a list of key=value pairs. Keys are made of the characters [A-Za-z0-9_.,[]]: the
// specification's alphanumerics plus what ArcSight's own connectors write ("ad.Error_,Code",
// "ad.Key[0]"). In values "\=" stands for '=', "\\" for '\', "\n" for a line feed and "\r" for a
// carriage return; a backslash before any other character is kept (lenient) or rejected (strict). A
// value may contain blanks (spaces and tabs) and may be empty. It ends at the next boundary: a separator
// followed by key characters and an '=', or the end of the line. The separator is the one space (or, in
// the lenient reading, tab) just before the key; every other blank before the key belongs to the prior
// value ("a=x   b=y" gives a="x  ", as rev. 27 says), and the final value loses its trailing blanks. A
// non-empty extension must start, after leading spaces, with key=; otherwise it is ErrBadExtension in
// both modes. Parser.Extensions returns every pair in order, a key that occurs twice twice; Record.Get
// returns the last occurrence (the last duplicate wins, as in a map built from the pairs).
//
// Two modes differ only in how much of the specification they demand of values and header fields:
//
//   - Lenient (the default, Parser.Strict == false) reads what NSS really sends. NSS does not
//     backslash-escape values, so URLs carry raw '=' and '|': a raw '=' that is not part of a
//     boundary stays in the value, and a backslash before any character other than the escapable
//     ones is kept as a literal backslash. A tab before key= is a separator too. Parse checks only the
//     header and the first key of the extension; the rest is split lazily by Record.Get or in full by
//     Parser.Extensions.
//   - Strict (Parser.Strict == true) follows the specification to the letter: an unescaped '=' in a
//     value that does not start a new key, or a backslash that starts no valid escape, is
//     ErrBadExtension; only a space separates pairs, so "msg=a\tsrc=1" has an unescaped '=' in its
//     value and is rejected; a backslash in a header field that escapes neither '|' nor '\' is
//     ErrBadHeader. Parse checks the whole extension, so a record that parses strictly also splits
//     without error.
//
// A record accepted in strict mode gives the same header fields and pairs in lenient mode.
//
// # Where real parsers disagree
//
// The readings nssbench takes, and the parser that agrees:
//
//   - A tab before key=: lenient ends the value there, as logstash-codec-cef does (its values are
//     "non-blank, or blanks not followed by key="); strict rejects the record, as beats' decode_cef
//     does (its values may not hold an unescaped '='). NSS writes tabs only inside values, if at all.
//   - Several blanks before a key: all but the separator stay in the prior value, as rev. 27
//     specifies. logstash and beats drop them all; syslog-ng's kv-parser() strips every value. The
//     NSS feeds never write two blanks before a key, so the readings agree on real traffic.
//   - Raw '=' in a value: kept (lenient), as logstash and syslog-ng's kv-parser() read NSS URLs; beats
//     and strict mode reject it.
//   - Key characters: beats' set [A-Za-z0-9_.,[]] (beats also wants the first one alphanumeric or
//     '_'). logstash accepts more after a '.' (any byte but '.', '=', blanks, '|', '\' and
//     brackets, so "ad.x-y"); '-' is not a key character here, so " x-y=1" stays in a value, as in
//     beats.
//   - Escapes: \n and \r become a line feed and a carriage return, as in beats and the specification;
//     logstash resolves only \= and \\.
//   - Duplicate keys: the last wins, as in logstash (which sets the event field again).
//   - The signature: the first "CEF:" anywhere, as beats' decode_cef finds it, so "zscaler-nssCEF:0|…"
//     (a syslog template without the space) is read as the record it is; a "CEF:" that no version and
//     '|' follow is passed over for a later one. logstash's codec splits a syslog prefix off the first
//     header field at its last space and removes a leading "CEF:", so it reads the version of
//     "zscaler-nssCEF:0|" as "zscaler-nssCEF:0".
//   - Versions: beats reads any CEF:<digits>, logstash any first field; nssbench any number.
//
// # Allocation
//
// Parse, Record.Get and Record.GetKey do not allocate once the parser's scratch buffer has grown to the
// largest unescaped text seen; results point into the input line or that buffer and stay valid until the
// next Parse. Errors are parser-owned too (see Parser.Parse).
package cef
