package jsonpos

import (
	"fmt"
	"strconv"
)

// Index maps the path of every value in a JSON document (in the notation of Key and Elem, e.g.
// `pacer.rate`, `mix["alert.foo"]`, `classes[2].set.reason`) to the byte offset where the value
// starts, so that a validator naming a path can name its line.
type Index struct {
	data []byte
	at   map[string]int
}

// SyntaxError is the first syntax error of a document, at byte Offset. fastjson does not say where its
// errors are; this does.
type SyntaxError struct {
	Offset int
	Msg    string
}

// Error returns the message.
func (e *SyntaxError) Error() string { return e.Msg }

// Scan indexes data. A syntax error stops the scan and is returned as a *SyntaxError, with the index
// of what came before it.
func Scan(data []byte) (*Index, error) {
	s := &scanner{data: data, strict: true, at: map[string]int{}}
	s.ws()
	s.value("")
	if s.err == nil {
		s.ws()
		if s.off < len(data) {
			s.fail("unexpected data after the top-level value")
		}
	}
	x := &Index{data: data, at: s.at}
	if s.err != nil {
		return x, s.err
	}
	return x, nil
}

// Offset returns the offset of the value at path, and false when the document has none.
func (x *Index) Offset(path string) (int, bool) {
	off, ok := x.at[path]
	return off, ok
}

// Line returns the 1-based line of the value at path or, for a path the document lacks (a missing
// key), of the longest indexed path that is a prefix of it: the enclosing object.
func (x *Index) Line(path string) int {
	off, ok := x.at[path]
	if !ok {
		best := -1
		for k, o := range x.at {
			if len(k) > best && len(k) < len(path) && path[:len(k)] == k {
				best, off = len(k), o
			}
		}
	}
	line, _ := LineCol(x.data, off)
	return line
}

// Key appends an object key to the path parent: `parent.key` for identifier-like keys,
// `parent["key"]` otherwise.
func Key(parent, key string) string {
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

// Elem appends an array index to the path parent.
func Elem(parent string, i int) string { return parent + "[" + strconv.Itoa(i) + "]" }

// scanner walks one JSON document. Strict, it checks the syntax (stopping at the first error) and, with
// at set, records the offset of every value by its path; lenient, it only skips values of a document
// already known to be valid.
type scanner struct {
	data   []byte
	off    int
	strict bool
	at     map[string]int // nil: record nothing
	err    *SyntaxError
}

func (s *scanner) fail(format string, args ...any) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: s.off, Msg: fmt.Sprintf(format, args...)}
	}
}

func (s *scanner) ws() { s.off = SkipSpace(s.data, s.off) }

// value scans the value at s.off, whose path is path (unused when nothing is recorded).
func (s *scanner) value(path string) {
	if s.err != nil {
		return
	}
	if s.off >= len(s.data) {
		s.fail("unexpected end of input")
		return
	}
	if s.at != nil {
		s.at[path] = s.off
	}
	switch c := s.data[s.off]; {
	case c == '{':
		s.object(path)
	case c == '[':
		s.array(path)
	case c == '"':
		s.str()
	case !s.strict:
		s.scalar()
	case c == '-' || c >= '0' && c <= '9':
		s.number()
	case c == 't':
		s.literal("true")
	case c == 'f':
		s.literal("false")
	case c == 'n':
		s.literal("null")
	default:
		s.fail("unexpected character %q", c)
	}
}

// child returns the path of a member or element, or "" when nothing is recorded.
func (s *scanner) child(path string, key string, i int) string {
	switch {
	case s.at == nil:
		return ""
	case i < 0:
		return Key(path, key)
	}
	return Elem(path, i)
}

func (s *scanner) object(path string) {
	s.off++ // '{'
	s.ws()
	if s.off < len(s.data) && s.data[s.off] == '}' {
		s.off++
		return
	}
	for s.err == nil {
		s.ws()
		if s.off >= len(s.data) || s.data[s.off] != '"' {
			s.fail("expected a quoted object key")
			return
		}
		key := s.str()
		s.ws()
		if s.off >= len(s.data) || s.data[s.off] != ':' {
			s.fail("expected ':' after object key %q", key)
			return
		}
		s.off++
		s.ws()
		s.value(s.child(path, key, -1))
		s.ws()
		if s.off >= len(s.data) {
			s.fail("unexpected end of input inside an object")
			return
		}
		switch s.data[s.off] {
		case ',':
			s.off++
		case '}':
			s.off++
			return
		default:
			s.fail("expected ',' or '}' in object")
			return
		}
	}
}

func (s *scanner) array(path string) {
	s.off++ // '['
	s.ws()
	if s.off < len(s.data) && s.data[s.off] == ']' {
		s.off++
		return
	}
	for i := 0; s.err == nil; i++ {
		s.ws()
		s.value(s.child(path, "", i))
		s.ws()
		if s.off >= len(s.data) {
			s.fail("unexpected end of input inside an array")
			return
		}
		switch s.data[s.off] {
		case ',':
			s.off++
		case ']':
			s.off++
			return
		default:
			s.fail("expected ',' or ']' in array")
			return
		}
	}
}

// str scans a string starting at its opening quote. Recording, it returns the unescaped value (keys
// only need the common escapes; values are decoded by fastjson); otherwise "".
func (s *scanner) str() string {
	start := s.off
	s.off++
	for s.off < len(s.data) {
		switch c := s.data[s.off]; {
		case c == '"':
			s.off++
			if s.at == nil {
				return ""
			}
			u, err := strconv.Unquote(string(s.data[start:s.off]))
			if err != nil {
				return string(s.data[start+1 : s.off-1])
			}
			return u
		case c == '\\':
			s.off += 2
		case c < 0x20 && s.strict:
			s.fail("control character in string")
			return ""
		default:
			s.off++
		}
	}
	s.off = min(s.off, len(s.data))
	s.fail("unterminated string")
	return ""
}

func (s *scanner) number() {
	start := s.off
	for s.off < len(s.data) {
		c := s.data[s.off]
		if c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9' {
			s.off++
			continue
		}
		break
	}
	if _, err := strconv.ParseFloat(string(s.data[start:s.off]), 64); err != nil {
		s.off = start
		s.fail("malformed number")
	}
}

func (s *scanner) literal(lit string) {
	if len(s.data)-s.off < len(lit) || string(s.data[s.off:s.off+len(lit)]) != lit {
		s.fail("invalid literal, want %s", lit)
		return
	}
	s.off += len(lit)
}

// scalar skips a number or literal of a document known to be valid: up to the next delimiter.
func (s *scanner) scalar() {
	for s.off < len(s.data) {
		switch s.data[s.off] {
		case ',', ']', '}', ' ', '\t', '\r', '\n':
			return
		}
		s.off++
	}
}
