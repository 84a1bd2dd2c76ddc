package nssfmt

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Options are the feed settings that change how values print.
type Options struct {
	// Escape is the feed's "Feed Escape Character" setting: every byte of it is %hh-encoded
	// (lower-case hex) wherever it occurs in a string value, e.g. `=` for CEF (XSIAM) or `,"` for
	// JSON. Literal text of the format is never escaped.
	Escape string
}

// maxWidth is the largest field width a directive may ask for.
const maxWidth = 255

// maxErrors is how many problems Compile reports before it gives up.
const maxErrors = 10

// CompileError is a problem in a format, located by 1-based line and byte column of the source.
type CompileError struct {
	Line, Column int
	// Token is the offending text: the field name for an unknown field, else the bad token.
	Token string
	// Msg says what is wrong, without the location.
	Msg string
	// Suggest lists known names near an unknown field name, best first.
	Suggest []string
}

// Error returns e.g. `nssfmt: line 1 col 12: unknown field "hots" (did you mean host, ehost?)`.
func (e *CompileError) Error() string {
	return "nssfmt: line " + strconv.Itoa(e.Line) + " col " + strconv.Itoa(e.Column) + ": " + e.Reason()
}

// Reason returns the message and the suggestions without the location, for callers that print
// the location their own way (a file name and a line offset).
func (e *CompileError) Reason() string {
	if len(e.Suggest) == 0 {
		return e.Msg
	}
	return e.Msg + " (did you mean " + strings.Join(e.Suggest, ", ") + "?)"
}

// ErrorList is what Compile returns when a format has more than one problem: every unknown field
// (up to 10), then the first syntax error if any, in source order. errors.As finds the first
// *CompileError in it.
type ErrorList []*CompileError

// Error returns one problem per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, for errors.As and errors.Is.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// MustCompile is Compile for formats built into the program; it panics if src does not compile.
func MustCompile(src string, opts Options) *Program {
	p, err := Compile(src, opts)
	if err != nil {
		panic("BUG: nssfmt: built-in format does not compile: " + err.Error())
	}
	return p
}

// Compile compiles an NSS feed output format (grammar in the package doc) into a Program. A
// problem is returned as a *CompileError, several as an ErrorList. Compile never panics.
func Compile(src string, opts Options) (*Program, error) {
	c := compiler{src: src, line: 1, seen: make([]bool, len(table))}
	c.plain = newEncodeTable(false, opts.Escape)
	c.control = newEncodeTable(true, opts.Escape)
	c.run()
	if len(c.errs) == 0 && len(c.ops) == 0 {
		c.errs = append(c.errs, &CompileError{Line: 1, Column: 1, Msg: "empty format"})
	}
	switch len(c.errs) {
	case 0:
		p := &Program{src: src, ops: c.ops, fields: c.fields}
		p.pack()
		return p, nil
	case 1:
		return nil, c.errs[0]
	}
	return nil, c.errs
}

// compiler is the state of one Compile.
type compiler struct {
	src       string
	i         int // next byte of src
	line      int // line of src[i]
	lineStart int // offset of the first byte of the line

	plain, control *encodeTable // string-value encodings without and with the control range

	lit    []byte // literal text not yet emitted as an op
	ops    []op
	fields []Field
	seen   []bool // by Field: already in fields
	errs   ErrorList
}

// run scans the whole source, stopping at the first syntax error or at maxErrors problems.
func (c *compiler) run() {
	src := c.src
	for c.i < len(src) && len(c.errs) < maxErrors {
		switch ch := src[c.i]; ch {
		case '\n': // a raw line break only lays the format out; write \n to print one
			c.i++
			c.line++
			c.lineStart = c.i
		case '\r':
			c.i++
		case '\\':
			if !c.escape() {
				return
			}
		case '%':
			if !c.directive() {
				return
			}
		case '{', '}':
			c.fail(c.i, string(ch), "unescaped "+strconv.QuoteRune(rune(ch))+"; write \\"+string(ch)+" for a literal brace")
			return
		default:
			c.lit = append(c.lit, ch)
			c.i++
		}
	}
	c.flush()
}

// escape handles a backslash sequence at c.i. It returns false after a syntax error.
func (c *compiler) escape() bool {
	at := c.i
	if at+1 >= len(c.src) {
		c.fail(at, `\`, `dangling \ at the end of the format; write \\ for a backslash`)
		return false
	}
	var b byte
	switch next := c.src[at+1]; next {
	case '{', '}', '\\':
		b = next
	case 't':
		b = '\t'
	case 'n':
		b = '\n'
	case 'r':
		b = '\r'
	default:
		_, size := utf8.DecodeRuneInString(c.src[at+1:])
		tok := c.src[at : at+1+size]
		c.fail(at, tok, "unknown escape "+quote(tok)+`; want \{ \} \\ \t \n or \r`)
		return false
	}
	c.lit = append(c.lit, b)
	c.i = at + 2
	return true
}

// directive compiles the %-directive at c.i: %% or %[flags][width][l|ll]conv{name}. It returns
// false after a syntax error; an unknown field name is reported and skipped.
func (c *compiler) directive() bool {
	src, at := c.src, c.i
	i := at + 1
	if i < len(src) && src[i] == '%' {
		c.lit = append(c.lit, '%')
		c.i = i + 1
		return true
	}
	var o op
	for ; i < len(src) && (src[i] == '-' || src[i] == '0'); i++ {
		if src[i] == '-' {
			o.left = true
		} else {
			o.zero = true
		}
	}
	width := 0
	for ; i < len(src) && src[i] >= '0' && src[i] <= '9'; i++ {
		if width <= maxWidth {
			width = width*10 + int(src[i]-'0')
		}
	}
	if width > maxWidth {
		c.fail(at, src[at:i], "width "+src[at+1:i]+" too large (at most "+strconv.Itoa(maxWidth)+")")
		return false
	}
	o.width = uint8(width)
	long := 0
	for ; i < len(src) && src[i] == 'l' && long < 2; i++ {
		long++
	}
	if i >= len(src) {
		c.fail(at, src[at:], "incomplete directive "+quote(src[at:])+"; want e.g. %s{field}")
		return false
	}
	conv := src[i]
	switch conv {
	case 's', 'd', 'u', 'x', 'X':
		i++
	default:
		_, size := utf8.DecodeRuneInString(src[i:])
		tok := src[at : i+size]
		c.fail(at, tok, "unknown conversion "+quote(tok)+"; want %s, %d, %u, %x or %X (write %% for a literal %)")
		return false
	}
	tok := src[at:i]
	switch {
	case conv == 's' && long > 0:
		c.fail(at, tok, "length modifier l in "+quote(tok)+" needs a number conversion (%ld, %lu, %lx)")
		return false
	case conv == 's' && o.zero:
		c.fail(at, tok, "flag 0 in "+quote(tok)+" needs a number conversion (%02d)")
		return false
	case i >= len(src) || src[i] != '{':
		c.fail(at, tok, "missing {field} after "+quote(tok))
		return false
	}
	nameAt := i + 1
	j := nameAt
	for j < len(src) && isNameByte(src[j]) {
		j++
	}
	switch {
	case j >= len(src):
		c.fail(at, src[at:], "unterminated field name in "+quote(src[at:])+"; want }")
		return false
	case src[j] != '}':
		_, size := utf8.DecodeRuneInString(src[j:])
		c.fail(j, src[j:j+size], "bad character "+quote(src[j:j+size])+" in field name; want letters, digits, _ and a closing }")
		return false
	case j == nameAt:
		c.fail(at, src[at:j+1], "empty field name in "+quote(src[at:j+1]))
		return false
	}
	name := src[nameAt:j]
	c.i = j + 1
	f, variant, ok := Lookup(name)
	if !ok {
		c.errs = append(c.errs, &CompileError{
			Line: c.line, Column: nameAt - c.lineStart + 1, Token: name,
			Msg: "unknown field " + quote(name), Suggest: suggest(name),
		})
		return true
	}
	o.field, o.variant = f, variant
	if conv == 's' {
		o.kind, o.enc = opText, c.plain
		if variant == Encoded || (f.url() && variant != Base64) {
			o.enc = c.control // a Base64 value has no byte to %HH-encode: only escapes apply
		}
		if variant == Plain && o.enc == nil && o.width == 0 {
			o.kind = opTextFast
		}
	} else {
		o.kind, o.conv = opNum, conv
		if conv == 'd' && variant != Obfuscated && o.width == 0 {
			o.kind = opNumFast
		}
	}
	c.emit(o)
	if !c.seen[f] {
		c.seen[f] = true
		c.fields = append(c.fields, f)
	}
	return true
}

// isNameByte reports whether b may appear in a field name.
func isNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// emit appends o, which prints the pending literal text first.
func (c *compiler) emit(o op) {
	o.lit = string(c.lit)
	c.lit = c.lit[:0]
	c.ops = append(c.ops, o)
}

// flush emits the pending literal text as an op of its own.
func (c *compiler) flush() {
	if len(c.lit) > 0 {
		c.ops = append(c.ops, op{kind: opLiteral, lit: string(c.lit)})
		c.lit = c.lit[:0]
	}
}

// fail records a syntax error at byte offset at of the current line.
func (c *compiler) fail(at int, tok, msg string) {
	c.errs = append(c.errs, &CompileError{Line: c.line, Column: at - c.lineStart + 1, Token: tok, Msg: msg})
}

// quote quotes s for a message, keeping the head and tail of a long s.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max/2] + "…" + s[len(s)-max/2:]
	}
	return strconv.Quote(s)
}
