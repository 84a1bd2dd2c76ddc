// Package jsonpos finds where things are in a JSON document, for error messages that name a file's
// line and column: the offset of the value at a path, and the line and column of an offset. It serves
// positions, not decoding (fastjson decodes); keys are compared as written, without unescaping.
package jsonpos

import (
	"bytes"
	"strings"
)

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
	pos := SkipSpace(data, 0)
	for _, step := range path {
		if pos >= len(data) {
			return -1
		}
		switch st := step.(type) {
		case string:
			if data[pos] != '{' {
				return -1
			}
			pos = SkipSpace(data, pos+1)
			for {
				if pos >= len(data) || data[pos] != '"' {
					return -1
				}
				end := skipValue(data, pos)
				key := data[pos+1 : end-1]
				pos = SkipSpace(data, end)
				pos = SkipSpace(data, pos+1) // the ':'
				if string(key) == st {
					break
				}
				pos = SkipSpace(data, skipValue(data, pos))
				if pos >= len(data) || data[pos] != ',' {
					return -1
				}
				pos = SkipSpace(data, pos+1)
			}
		case int:
			if data[pos] != '[' {
				return -1
			}
			pos = SkipSpace(data, pos+1)
			for i := 0; i < st; i++ {
				pos = SkipSpace(data, skipValue(data, pos))
				if pos >= len(data) || data[pos] != ',' {
					return -1
				}
				pos = SkipSpace(data, pos+1)
			}
			if pos >= len(data) || data[pos] == ']' {
				return -1
			}
		default:
			panic("BUG: ValueOffset path element must be a string or an int")
		}
	}
	return pos
}

// SkipSpace returns the offset of the first byte at or after pos that is not JSON whitespace.
func SkipSpace(data []byte, pos int) int {
	for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r') {
		pos++
	}
	return pos
}

// skipValue returns the offset just past the valid JSON value starting at pos.
func skipValue(data []byte, pos int) int {
	if pos >= len(data) {
		return pos
	}
	switch data[pos] {
	case '"':
		for i := pos + 1; i < len(data); i++ {
			switch data[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(data)
	case '{', '[':
		depth := 0
		for i := pos; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = skipValue(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(data)
	}
	for pos < len(data) && !strings.ContainsRune(",]} \t\r\n", rune(data[pos])) {
		pos++
	}
	return pos
}
