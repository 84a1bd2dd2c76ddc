package pipeline

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/scenarios/jsonpos"
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
	line, col := jsonpos.LineCol(data, off)
	return &FileError{File: file, Line: firstLine - 1 + line, Column: col, Field: field, Msg: msg}
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
