package corpus

import "bytes"

// valueOffset returns the byte offset in data, a valid JSON document, of the value at path, whose
// elements are object keys (string) or array indexes (int); -1 when the path does not exist. It serves
// error positions, not decoding: keys are compared as written.
func valueOffset(data []byte, path ...any) int {
	pos := skipSpace(data, 0)
	for _, step := range path {
		if pos >= len(data) {
			return -1
		}
		switch st := step.(type) {
		case string:
			if data[pos] != '{' {
				return -1
			}
			pos = skipSpace(data, pos+1)
			for {
				if pos >= len(data) || data[pos] != '"' {
					return -1
				}
				end := skipJSON(data, pos)
				key := data[pos+1 : end-1]
				pos = skipSpace(data, end)
				pos = skipSpace(data, pos+1) // the ':'
				if string(key) == st {
					break
				}
				pos = skipSpace(data, skipJSON(data, pos))
				if pos >= len(data) || data[pos] != ',' {
					return -1
				}
				pos = skipSpace(data, pos+1)
			}
		case int:
			if data[pos] != '[' {
				return -1
			}
			pos = skipSpace(data, pos+1)
			for range st {
				pos = skipSpace(data, skipJSON(data, pos))
				if pos >= len(data) || data[pos] != ',' {
					return -1
				}
				pos = skipSpace(data, pos+1)
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

// lineAt returns the 1-based line of byte offset off in data (line 1 for a negative offset).
func lineAt(data []byte, off int) uint64 {
	off = min(max(off, 0), len(data))
	return uint64(bytes.Count(data[:off], []byte{'\n'})) + 1
}

// skipSpace returns the offset of the first non-whitespace byte at or after pos.
func skipSpace(data []byte, pos int) int {
	for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r') {
		pos++
	}
	return pos
}

// skipJSON returns the offset just past the valid JSON value starting at pos.
func skipJSON(data []byte, pos int) int {
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
				i = skipJSON(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(data)
	}
	for pos < len(data) && bytes.IndexByte([]byte(",]} \t\r\n"), data[pos]) < 0 {
		pos++
	}
	return pos
}
