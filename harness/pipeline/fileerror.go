package pipeline

import (
	"bytes"
	"strconv"
	"strings"
)

// FileError is a problem in a rules or mappings file: where it is and which field it concerns.
type FileError struct {
	File   string // file name as given to the loader
	Line   int    // 1-based line
	Column int    // 1-based byte column in the line
	Field  string // the field, as a path like "rules[2].name[0]"; empty for JSON syntax errors
	Msg    string
}

// Error returns "file:line:col: field: msg" (without "field: " for syntax errors).
func (e *FileError) Error() string {
	s := e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Msg
}

// fileErrorAt returns a FileError for the byte offset off of data, which starts at line firstLine of
// file.
func fileErrorAt(file string, data []byte, firstLine, off int, field, msg string) *FileError {
	off = min(max(off, 0), len(data))
	line := firstLine + bytes.Count(data[:off], []byte{'\n'})
	col := off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
	return &FileError{File: file, Line: line, Column: col, Field: field, Msg: msg}
}

// syntaxError converts a fastjson parse error about data into a FileError at the byte where parsing
// stopped. fastjson reports that place only as the unparsed tail of the input, quoted and, past 80
// bytes, shortened to its first and last 40 bytes; the tail is always a suffix of data, which gives its
// offset (for a shortened tail, the first place its head occurs with a long enough suffix).
func syntaxError(file string, data []byte, firstLine int, err error) *FileError {
	msg := err.Error()
	off := len(data)
	for i := 0; ; {
		j := strings.Index(msg[i:], "tail: ")
		if j < 0 {
			break
		}
		i += j + len("tail: ")
		tail, uerr := strconv.Unquote(msg[i:])
		if uerr != nil {
			continue
		}
		msg = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(msg[:i-len("tail: ")], "unparsed "), "unexpected "), "; ")
		off = tailOffset(data, tail)
		break
	}
	msg = strings.TrimPrefix(msg, "cannot parse JSON: ")
	if msg == "" {
		msg = "unexpected data after the JSON value"
	}
	return fileErrorAt(file, data, firstLine, off, "", "invalid JSON: "+msg)
}

// tailOffset returns the offset in data of the unparsed tail as fastjson prints it.
func tailOffset(data []byte, tail string) int {
	const half = 40
	if len(tail) <= 2*half {
		if bytes.HasSuffix(data, []byte(tail)) {
			return len(data) - len(tail)
		}
		return len(data)
	}
	head := tail[:half]
	for from := 0; ; {
		i := bytes.Index(data[from:], []byte(head))
		if i < 0 {
			return len(data)
		}
		if from+i+2*half < len(data) {
			return from + i
		}
		from += i + 1
	}
}

// valueOffset returns the offset in data, a valid JSON document, of the value at path: each element is
// an object key (string) or an array index (int). It returns -1 when the path does not exist. Keys are
// compared as written, without unescaping.
func valueOffset(data []byte, path ...any) int {
	pos := skipWS(data, 0)
	for _, step := range path {
		if pos >= len(data) {
			return -1
		}
		switch st := step.(type) {
		case string:
			if data[pos] != '{' {
				return -1
			}
			pos = skipWS(data, pos+1)
			for {
				if pos >= len(data) || data[pos] != '"' {
					return -1
				}
				end := skipValue(data, pos)
				key := data[pos+1 : end-1]
				pos = skipWS(data, end)
				pos = skipWS(data, pos+1) // the ':'
				if string(key) == st {
					break
				}
				pos = skipWS(data, skipValue(data, pos))
				if pos >= len(data) || data[pos] != ',' {
					return -1
				}
				pos = skipWS(data, pos+1)
			}
		case int:
			if data[pos] != '[' {
				return -1
			}
			pos = skipWS(data, pos+1)
			for i := 0; i < st; i++ {
				pos = skipWS(data, skipValue(data, pos))
				if pos >= len(data) || data[pos] != ',' {
					return -1
				}
				pos = skipWS(data, pos+1)
			}
			if pos >= len(data) || data[pos] == ']' {
				return -1
			}
		default:
			panic("BUG: valueOffset path element must be a string or an int")
		}
	}
	return pos
}

func skipWS(data []byte, pos int) int {
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
