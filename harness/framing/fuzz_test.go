package framing

import (
	"bytes"
	"testing"
	"testing/iotest"
)

// refEvents is a slow, whole-buffer reference for Reader: the events Next should produce for data.
// Frame error messages are left empty (sameEvents then compares kinds and offsets only).
func refEvents(data []byte, maxLen int) []event {
	if len(data) == 0 {
		return []event{eof()}
	}
	if c := data[0]; c >= '1' && c <= '9' {
		return refOctet(data, maxLen)
	}
	var out []event
	for off := 0; off < len(data); {
		line := data[off:]
		next := len(data)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
			next = off + i + 1
			line = bytes.TrimSuffix(line, []byte{'\r'})
		}
		if len(line) > maxLen {
			out = append(out, over(int64(off), int64(len(line))))
		} else {
			out = append(out, rec(string(line)))
		}
		off = next
	}
	return append(out, eof())
}

func refOctet(data []byte, maxLen int) []event {
	var out []event
	off := 0
	for off < len(data) {
		p := off
		if data[p] < '0' || data[p] > '9' {
			return append(out, frameErr(int64(p)))
		}
		n := 0
		if data[p] == '0' {
			p++
		} else {
			for p < len(data) && data[p] >= '0' && data[p] <= '9' {
				if p-off == maxLenDigits {
					return append(out, frameErr(int64(p)))
				}
				n = n*10 + int(data[p]-'0')
				p++
			}
		}
		if p == len(data) {
			return append(out, frameErr(int64(len(data))))
		}
		if data[p] != ' ' {
			if data[off] == '0' {
				return append(out, frameErr(int64(off+1)))
			}
			return append(out, frameErr(int64(p)))
		}
		p++
		if len(data)-p < n {
			return append(out, frameErr(int64(len(data))))
		}
		if n > maxLen {
			out = append(out, over(int64(off), int64(n)))
		} else {
			out = append(out, rec(string(data[p:p+n])))
		}
		off = p + n
	}
	return append(out, eof())
}

// FuzzReader feeds any byte stream to a Reader. It must never panic, must agree with refEvents under
// whole and byte-at-a-time reads, and its records must survive re-framing.
func FuzzReader(f *testing.F) {
	seeds := []struct {
		data   string
		maxLen uint16
	}{
		{"CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed\n", 64}, // one NSS line
		{"a\r\nb\n\nc", 64},                         // CRLF, blank line, unterminated tail
		{"abcdefgh\nab\r\n", 3},                     // LF oversize
		{"3 abc0 5 hello", 64},                      // octet counting with an empty frame
		{"3 abc\n3 def", 64},                        // LF between frames: frame error
		{"12345678901 x", 64},                       // too many length digits
		{"9 abc", 2},                                // oversize and truncated
		{"3 ab", 64},                                // truncated frame
		{"0 x\n", 64},                               // leading zero: LF framing
		{"1 \r1 \n", 1},                             // octet frames holding CR and LF
		{"\xff\xfe\x00\n", 64},                      // binary
		{string(bytes.Repeat([]byte("z"), 300)), 8}, // long unterminated oversize
	}
	for _, s := range seeds {
		f.Add([]byte(s.data), s.maxLen)
	}
	f.Fuzz(func(t *testing.T, data []byte, maxLen uint16) {
		m := int(maxLen%512) + 1
		whole := readAll(t, NewReader(bytes.NewReader(data), m), len(data))
		if ref := refEvents(data, m); !sameEvents(whole, ref) {
			t.Fatalf("Next(%q, max %d) = %v; reference %v", data, m, whole, ref)
		}
		bytewise := readAll(t, NewReader(iotest.OneByteReader(bytes.NewReader(data)), m), len(data))
		if !sameEvents(bytewise, whole) {
			t.Fatalf("byte-at-a-time Next(%q) = %v; whole reads %v", data, bytewise, whole)
		}

		// Re-frame the returned records with the detected framing and read them back.
		r := NewReader(bytes.NewReader(data), m)
		var records [][]byte
		for {
			b, err := r.Next()
			if err == nil {
				records = append(records, bytes.Clone(b))
				continue
			}
			if _, ok := err.(*OversizeError); !ok {
				break
			}
		}
		f := r.Framing()
		if f == FramingUnknown || len(records) == 0 {
			return
		}
		if c := records[0]; (f == FramingOctet && len(c) == 0) || (f == FramingLF && len(c) > 0 && c[0] >= '1' && c[0] <= '9') {
			return // the re-framed stream's first byte would make the Reader detect the other framing
		}
		var stream []byte
		for _, rec := range records {
			if f == FramingLF && (bytes.IndexByte(rec, '\n') >= 0 || bytes.HasSuffix(rec, []byte{'\r'})) {
				return // unterminated tail "…\r" (kept as is) cannot be re-framed as a line
			}
			stream = f.Append(stream, rec)
		}
		again := readAll(t, NewReader(bytes.NewReader(stream), m), len(stream))
		want := appendRecs(nil, toStrings(records)...)
		want = append(want, eof())
		if !sameEvents(again, want) {
			t.Fatalf("re-framed %v records = %v; want %v", f, again, want)
		}
	})
}

func toStrings(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}
