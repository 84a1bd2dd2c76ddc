// Package jsonpos finds where things are in a JSON document, for error messages that name a file's
// line and column: Index (Scan) the offset of every value by its path and of the first syntax error;
// ValueOffset the offset of one value, found by a path of keys and indexes; LineCol the line and
// column of an offset. It serves positions, not decoding (fastjson decodes).
//
// It is a leaf package under scenarios (layer 4) so that scenarios, harness/pipeline and corpus, its
// users, may all import it.
package jsonpos

import "bytes"

// LineCol returns the 1-based line and byte column of offset off in data; offsets outside data are
// clamped to it.
func LineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = bytes.Count(data[:off], []byte{'\n'}) + 1
	return line, off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
}

// ValueOffset returns the offset in data, a valid JSON document, of the value at path: each element is
// an object key (string) or an array index (int). It returns -1 when the path does not exist. Keys are
// compared as written, without unescaping.
func ValueOffset(data []byte, path ...any) int {
	s := &scanner{data: data}
	s.ws()
	for _, step := range path {
		if s.off >= len(data) {
			return -1
		}
		switch st := step.(type) {
		case string:
			if !s.member(st) {
				return -1
			}
		case int:
			if !s.element(st) {
				return -1
			}
		default:
			panic("BUG: ValueOffset path element must be a string or an int")
		}
	}
	return s.off
}

// member moves from the object at s.off to the value of its member key.
func (s *scanner) member(key string) bool {
	if s.data[s.off] != '{' {
		return false
	}
	s.off++
	for {
		s.ws()
		if s.off >= len(s.data) || s.data[s.off] != '"' {
			return false
		}
		start := s.off
		s.str()
		k := s.data[start+1 : max(s.off-1, start+1)]
		s.ws()
		if s.err != nil || s.off >= len(s.data) || s.data[s.off] != ':' {
			return false
		}
		s.off++
		s.ws()
		if string(k) == key {
			return true
		}
		if !s.next() {
			return false
		}
	}
}

// element moves from the array at s.off to its element i.
func (s *scanner) element(i int) bool {
	if s.data[s.off] != '[' {
		return false
	}
	s.off++
	s.ws()
	for ; i > 0; i-- {
		if !s.next() {
			return false
		}
		s.ws()
	}
	return s.off < len(s.data) && s.data[s.off] != ']'
}

// next skips the value at s.off and the ',' after it.
func (s *scanner) next() bool {
	s.value("")
	s.ws()
	if s.err != nil || s.off >= len(s.data) || s.data[s.off] != ',' {
		return false
	}
	s.off++
	return true
}

// SkipSpace returns the offset of the first byte at or after pos that is not JSON whitespace.
func SkipSpace(data []byte, pos int) int {
	for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r') {
		pos++
	}
	return pos
}
