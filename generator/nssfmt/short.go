package nssfmt

// appendShort is append(dst, s...) without a call for the short pieces a record is made of: a
// value or literal of at most 32 bytes whose slice has a capacity of at least 32, appended to a dst
// with room for 32 more bytes, is copied as one 32-byte block, inline; the bytes copied past len(s)
// land in dst's spare capacity, beyond the returned length. Anything else is appended.
func appendShort(dst, s []byte) []byte {
	l := len(dst)
	if len(s) <= 32 && cap(s) >= 32 && cap(dst)-l >= 32 {
		// Two 16-byte halves: the compiler moves each in a register; a [32]byte would call memmove.
		lo, hi := *(*[16]byte)(s[:16]), *(*[16]byte)(s[16:32])
		d := dst[l : l+32]
		*(*[16]byte)(d[:16]), *(*[16]byte)(d[16:]) = lo, hi
		return dst[:l+len(s)]
	}
	return append(dst, s...)
}

// pack lays the literal text of p's ops out in one buffer, each op's litp a slice of it with at
// least 32 bytes of capacity, so that appendShort copies the short ones inline.
func (p *Program) pack() {
	n := 32
	for i := range p.ops {
		n += len(p.ops[i].lit)
	}
	buf := make([]byte, 0, n)
	for i := range p.ops {
		o := &p.ops[i]
		at := len(buf)
		buf = append(buf, o.lit...)
		o.litp = buf[at:len(buf):n]
	}
}
