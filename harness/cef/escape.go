package cef

// AppendHeaderField appends s to dst escaped for a CEF header field: '\' becomes "\\" and '|' becomes
// "\|". It does not allocate when dst has room.
func AppendHeaderField[T string | []byte](dst []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' || c == '|' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return dst
}

// AppendExtensionValue appends s to dst escaped for a CEF extension value: '\' becomes "\\", '=' becomes
// "\=", a line feed "\n" and a carriage return "\r". It does not allocate when dst has room.
func AppendExtensionValue[T string | []byte](dst []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '=':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
