// Package nssfmt compiles Zscaler NSS "feed output format" strings and renders records with them.
//
// A format is compiled once into literal and field ops; Program.Append then renders one record per
// call into a caller's buffer without allocating. Field values come from a Values implementation
// (the event model); this package owns only the format grammar, the field table and the encodings
// NSS applies to values.
//
// # Grammar
//
// (ZHELP general-guidelines-nss-feeds-and-feed-formats; zia-formats.md §1.4)
//
//	format    = { literal | escape | directive | linebreak }
//	directive = "%%" | "%" { "-" | "0" } [ width ] [ "l" | "ll" ] conv "{" name "}"
//	conv      = "s" | "d" | "u" | "x" | "X"
//	width     = decimal digits, at most 255
//	name      = 1*( letter | digit | "_" )
//	escape    = `\{` | `\}` | `\\` | `\t` | `\n` | `\r`
//	linebreak = LF | CR          (dropped: see below)
//
// The rules, in detail:
//
//   - %s prints the value's text; %d a signed decimal; %u unsigned decimal; %x and %X hex of the
//     value as uint64. "l" and "ll" (as in Zscaler's %ld{inbytes}, %lu{spi}, %llu{recordid}) are
//     accepted and change nothing: values are 64-bit.
//   - A width pads with spaces on the left; "-" pads on the right; "0" pads numbers with zeros after
//     the sign (%05d of -42 is "-0042"). "0" with %s and "l" with %s are errors.
//   - Literal braces must be written \{ and \}; a bare { or } is an error, which catches typos such
//     as "%s {host}". A literal % is %%. Any other backslash sequence is an error.
//   - Line breaks: NSS lets a format "span multiple lines for readability", so a raw LF or CR in
//     the source is layout, not output: it is dropped (other whitespace is kept as written). To
//     print a line break, write \n. NSS itself ends every record with a line feed, which is the
//     framer's job, not the format's; a format that ends in \n prints an extra one, as NSS would.
//   - Errors name the 1-based line and byte column; unknown fields list near names.
//
// # Field names and variants
//
// The field table (Fields, FieldByName) holds every field Zscaler's published CEF and Cloud NSS
// formats use plus documented fields they do not (time, tz, epochtime, url, host, referer…), then the
// fields a feed added to the registry declares in its descriptor (verdict.Descriptor.Fields), and a
// few documented aliases (department → dept, yyyy → yy). A name resolves as follows (Lookup):
//
//   - a field or alias name is that field, printed plain ("epochtime" and "eedone" are fields);
//   - otherwise "e" + a field or alias is its Encoded variant ("ehost", "eurl", "elogin",
//     "edepartment", "ednsreq");
//   - otherwise "o" + a field or alias is its Obfuscated variant ("ologin",
//     "ourlfilterrulelabel", "ocip");
//   - otherwise "b64" + a field or alias is its Base64 variant ("b64ua", "b64url", "b64dept"; the
//     web page's "b64 Fields" list, for values "where URL encoding is not suitable"; the firewall
//     and DNS pages list none).
//
// # Encodings
//
// All encoding is applied to string values only (%s), never to literal text or numbers; a number
// conversion of an Encoded or Base64 variant (%d{ehost}) prints the field's number:
//
//   - Encoded variants, and URL, host and referer fields even in plain form (url, host, referer,
//     refererhost, refererpath, urlpath; ZHELP: "Any URL character that is less than or equal to
//     0x20, or greater than or equal to 0x7F, is encoded as %HH"), encode every byte <= 0x20 or
//     >= 0x7F as %HH with upper-case hex: a space is %20, a line feed %0A, "é" is %C3%A9. "%" itself
//     is not encoded, so values that are already percent-encoded URLs are not encoded twice.
//   - The feed's escape characters (Options.Escape) are encoded in every string value as %hh with
//     lower-case hex, as NSS prints an escaped comma "%2c" (SEKOIA web sample). A byte that is
//     both in the control range and an escape character gets upper-case hex.
//   - Obfuscated variants print a deterministic keyed 64-bit hash of the value's text as a decimal
//     number below 10^10 (Zscaler's samples show values such as "4094304256"); the empty markers
//     "", "None", "NA" and "N/A" print unchanged (Zscaler's sample has "ourlfilterrulelabel":"None").
//     A number conversion of an obfuscated variant (%d{ocip}) prints that number, 0 for a marker.
//   - Base64 variants print the value's bytes (the raw value: a URL field is not %HH-encoded
//     first) in standard base64, RFC 4648 §4: the alphabet A–Z a–z 0–9 + / with = padding, so
//     "curl/7.68.0" prints "Y3VybC83LjY4LjA=". Zscaler's page names no alphabet; the standard padded
//     one is what "base64" means unqualified and what decoders (encoding/base64.StdEncoding,
//     Python's b64decode) read by default, and a padded value also decodes in decoders that accept
//     missing padding, whereas an unpadded or URL-safe one is rejected by strict standard decoders.
//     Every value is encoded, empty markers too ("None" prints "Tm9uZQ=="): the page documents no
//     exception. The feed's escape characters still apply to the result, as to every string value,
//     so a feed that escapes "=" prints padding as %3d.
//   - Widths apply after encoding and count bytes.
package nssfmt
