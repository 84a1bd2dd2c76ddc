package framing

import "strconv"

// AppendLF appends msg and a line feed to dst and returns the extended slice. msg should not contain a
// line feed (a Reader would split it there) and should not end in a CR (a Reader strips it).
func AppendLF(dst, msg []byte) []byte {
	dst = append(dst, msg...)
	return append(dst, '\n')
}

// AppendOctet appends msg with an RFC 6587 length prefix ("LEN SP MSG") to dst and returns the
// extended slice. An empty msg is framed as "0 ", which a Reader accepts anywhere but as the stream's
// first record (where its leading '0' makes the Reader choose LF framing; RFC 6587 has no empty frames).
func AppendOctet(dst, msg []byte) []byte {
	dst = strconv.AppendInt(dst, int64(len(msg)), 10)
	dst = append(dst, ' ')
	return append(dst, msg...)
}

// Append frames msg with f (AppendLF or AppendOctet). It panics on FramingUnknown.
func (f Framing) Append(dst, msg []byte) []byte {
	switch f {
	case FramingLF:
		return AppendLF(dst, msg)
	case FramingOctet:
		return AppendOctet(dst, msg)
	}
	panic("BUG: framing: Append with FramingUnknown")
}
