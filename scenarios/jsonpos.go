package scenarios

import (
	"fmt"
	"strconv"
)

// positions maps the path of every JSON value in a document (as pathOf writes it, e.g.
// `pacer.rate`, `mix["alert.foo"]`, `classes[2].set.reason`) to the byte offset where the value
// starts. fastjson decodes the values; this scanner only finds where they are, so that validation
// errors can name a line. It also finds the offset of a syntax error, which fastjson does not report.
type positions struct {
	data   []byte
	at     map[string]int
	err    error // first syntax error, with its offset in errOff
	errOff int
	off    int
}

// scanPositions scans data. A syntax error stops the scan; it is kept in p.err with its offset.
func scanPositions(data []byte) *positions {
	p := &positions{data: data, at: map[string]int{}}
	p.ws()
	p.value("")
	if p.err == nil {
		p.ws()
		if p.off < len(p.data) {
			p.fail("unexpected data after the top-level value")
		}
	}
	return p
}

// line returns the 1-based line of byte offset off.
func (p *positions) line(off int) int {
	n := 1
	for i := 0; i < off && i < len(p.data); i++ {
		if p.data[i] == '\n' {
			n++
		}
	}
	return n
}

// lineOf returns the line of the value at path or, for a path the document lacks (a missing key),
// of the longest recorded path that is a prefix of it: the enclosing object.
func (p *positions) lineOf(path string) int {
	if off, ok := p.at[path]; ok {
		return p.line(off)
	}
	best, off := -1, 0
	for k, o := range p.at {
		if len(k) > best && len(k) < len(path) && path[:len(k)] == k {
			best, off = len(k), o
		}
	}
	return p.line(off)
}

// pathOf appends key to parent: `parent.key` for identifier-like keys, `parent["key"]` otherwise.
func pathOf(parent, key string) string {
	ident := key != ""
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && i > 0) {
			ident = false
			break
		}
	}
	switch {
	case !ident:
		return parent + "[" + strconv.Quote(key) + "]"
	case parent == "":
		return key
	}
	return parent + "." + key
}

// indexPath appends an array index to parent.
func indexPath(parent string, i int) string { return parent + "[" + strconv.Itoa(i) + "]" }

func (p *positions) fail(format string, args ...any) {
	if p.err == nil {
		p.err, p.errOff = fmt.Errorf(format, args...), p.off
	}
}

func (p *positions) ws() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

func (p *positions) value(path string) {
	if p.err != nil {
		return
	}
	if p.off >= len(p.data) {
		p.fail("unexpected end of input")
		return
	}
	p.at[path] = p.off
	switch c := p.data[p.off]; {
	case c == '{':
		p.object(path)
	case c == '[':
		p.array(path)
	case c == '"':
		p.str()
	case c == '-' || c >= '0' && c <= '9':
		p.number()
	case c == 't':
		p.literal("true")
	case c == 'f':
		p.literal("false")
	case c == 'n':
		p.literal("null")
	default:
		p.fail("unexpected character %q", c)
	}
}

func (p *positions) object(path string) {
	p.off++ // '{'
	p.ws()
	if p.off < len(p.data) && p.data[p.off] == '}' {
		p.off++
		return
	}
	for p.err == nil {
		p.ws()
		if p.off >= len(p.data) || p.data[p.off] != '"' {
			p.fail("expected a quoted object key")
			return
		}
		key := p.str()
		p.ws()
		if p.off >= len(p.data) || p.data[p.off] != ':' {
			p.fail("expected ':' after object key %q", key)
			return
		}
		p.off++
		p.ws()
		p.value(pathOf(path, key))
		p.ws()
		if p.off >= len(p.data) {
			p.fail("unexpected end of input inside an object")
			return
		}
		switch p.data[p.off] {
		case ',':
			p.off++
		case '}':
			p.off++
			return
		default:
			p.fail("expected ',' or '}' in object")
			return
		}
	}
}

func (p *positions) array(path string) {
	p.off++ // '['
	p.ws()
	if p.off < len(p.data) && p.data[p.off] == ']' {
		p.off++
		return
	}
	for i := 0; p.err == nil; i++ {
		p.ws()
		p.value(indexPath(path, i))
		p.ws()
		if p.off >= len(p.data) {
			p.fail("unexpected end of input inside an array")
			return
		}
		switch p.data[p.off] {
		case ',':
			p.off++
		case ']':
			p.off++
			return
		default:
			p.fail("expected ',' or ']' in array")
			return
		}
	}
}

// str scans a string starting at its opening quote and returns its unescaped value (keys only need
// the common escapes; values are decoded by fastjson).
func (p *positions) str() string {
	start := p.off
	p.off++
	for p.off < len(p.data) {
		switch c := p.data[p.off]; {
		case c == '"':
			p.off++
			s, err := strconv.Unquote(string(p.data[start:p.off]))
			if err != nil {
				return string(p.data[start+1 : p.off-1])
			}
			return s
		case c == '\\':
			p.off += 2
		case c < 0x20:
			p.fail("control character in string")
			return ""
		default:
			p.off++
		}
	}
	p.fail("unterminated string")
	return ""
}

func (p *positions) number() {
	start := p.off
	for p.off < len(p.data) {
		c := p.data[p.off]
		if c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9' {
			p.off++
			continue
		}
		break
	}
	if _, err := strconv.ParseFloat(string(p.data[start:p.off]), 64); err != nil {
		p.off = start
		p.fail("malformed number")
	}
}

func (p *positions) literal(lit string) {
	if len(p.data)-p.off < len(lit) || string(p.data[p.off:p.off+len(lit)]) != lit {
		p.fail("invalid literal, want %s", lit)
		return
	}
	p.off += len(lit)
}
