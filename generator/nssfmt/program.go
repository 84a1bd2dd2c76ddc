package nssfmt

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"unsafe"
)

// opKind selects how an op renders. The *Fast kinds are the common cases with no width, flag,
// variant or encoding, split out so the render loop does the least work for them.
type opKind uint8

const (
	opLiteral  opKind = iota // only lit: the literal text after the last field
	opTextFast               // %s{f}: v.AppendText, nothing else
	opText                   // %s{f} with a width, a variant or an encoding
	opNumFast                // %d{f}: decimal of v.Number, nothing else
	opNum                    // %d %u %x %X with flags, a width or a variant
	opTextSlot               // opTextFast bound to a slot (Bind): append *text
	opNumSlot                // opNumFast bound to a slot (Bind): decimal of *num
	opNum2Slot               // %02d bound to a slot (Bind): two digits of *num (time fields)
)

// op is one compiled piece of a format: the literal text before a field directive, and the
// directive; a format's trailing literal text is an op of its own.
type op struct {
	kind    opKind
	room    int     // bytes of room Append keeps before this op: see Append
	litp    []byte  // lit, packed (Program.pack)
	text    *[]byte // opTextSlot: where the value is
	num     *int64  // opNumSlot, opNum2Slot: where the value is
	variant Variant
	conv    byte // number ops: 'd', 'u', 'x' or 'X'
	left    bool // '-' flag: pad on the right
	zero    bool // '0' flag: pad numbers with zeros
	width   uint8
	field   Field
	enc     *encodeTable // text ops: nil when no byte is encoded
	lit     string       // literal text printed before the field
}

// Program is a compiled NSS feed output format. It is immutable and safe for concurrent use.
type Program struct {
	src    string
	ops    []op
	fields []Field
}

// String returns the format source the Program was compiled from.
func (p *Program) String() string { return p.src }

// Fields returns the fields the format reads, deduplicated, in order of first use; variants count
// as their field (`%s{ehost}` reads host). The slice is shared: do not modify it.
func (p *Program) Fields() []Field { return p.fields }

// Append renders one record with the values of v and appends it to dst, returning the extended
// buffer. It adds no line terminator (framing does). It does not allocate beyond growing dst, as
// long as v does not. It may write scratch bytes into dst's spare capacity beyond the returned length.
//
// Rendering keeps one promise, so that the common pieces need no capacity check: before op i, dst has
// room for at least ops[i].room more bytes — every literal still to come, plus a 32-byte window for
// each literal and each value (pack). renderShort copies literals and short values in 32-byte blocks
// and writes numbers below 10^8 as one 8-byte word, without a call; it stops at a value it cannot
// write that way, which appendValue renders, restoring the room if the value was longer than its
// window.
func (p *Program) Append(dst []byte, v Values) []byte {
	ops := p.ops
	if len(ops) == 0 {
		return dst
	}
	if cap(dst)-len(dst) < ops[0].room {
		dst = slices.Grow(dst, ops[0].room)
	}
	for i := 0; ; i++ {
		var l int
		i, l = renderShort(ops, i, unsafe.Pointer(unsafe.SliceData(dst)), len(dst))
		dst = dst[:l]
		if i == len(ops) {
			return dst
		}
		dst = ops[i].appendValue(dst, v)
		if i+1 < len(ops) && cap(dst)-len(dst) < ops[i+1].room {
			dst = slices.Grow(dst, ops[i+1].room)
		}
	}
}

// renderShort renders ops[i:] at dst+l, which has the room ops[i] promises (Append), and returns the
// new length and the index of the first op whose literal it wrote but whose value it left to
// appendValue, or len(ops) when it rendered them all. It calls nothing, so its loop runs in registers.
func renderShort(ops []op, i int, dst unsafe.Pointer, l int) (int, int) {
	for ; i < len(ops); i++ {
		o := &ops[i]
		// The literal: packed, its capacity reaches at least 32 bytes past its end.
		lit := unsafe.Pointer(unsafe.SliceData(o.litp))
		copy32(unsafe.Add(dst, l), lit)
		for at := 32; at < len(o.litp); at += 32 {
			copy32(unsafe.Add(dst, l+at), unsafe.Add(lit, at))
		}
		l += len(o.litp)
		switch o.kind {
		case opLiteral:
			continue
		case opTextSlot:
			if s := *o.text; len(s) <= 32 && cap(s) >= 32 {
				copy32(unsafe.Add(dst, l), unsafe.Pointer(unsafe.SliceData(s)))
				l += len(s)
				continue
			}
		case opNumSlot:
			if n := uint64(*o.num); n < 1e8 {
				// Most numbers are ports, sizes and durations: 8 digits are one word (digits8).
				d := digits8(n)
				z := uint(bits.TrailingZeros64(d|1<<56)) / 8
				binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dst, l))[:], (d+ascii8)>>(8*z))
				l += 8 - int(z)
				continue
			}
		case opNum2Slot:
			if n := uint64(*o.num); n < 100 {
				*(*[2]byte)(unsafe.Add(dst, l)) = [2]byte{byte('0' + n/10), byte('0' + n%10)}
				l += 2
				continue
			}
		}
		return i, l
	}
	return i, l
}

// appendValue renders the value of an op: through v, or from its slot when renderShort could not.
func (o *op) appendValue(dst []byte, v Values) []byte {
	switch o.kind {
	case opTextSlot:
		return append(dst, *o.text...)
	case opNumSlot:
		if n := *o.num; n > 0 {
			// 10^8 or more (renderShort wrote the rest): byte counts, record ids. The window holds 20
			// digits.
			l := len(dst)
			return dst[:l+putLong(unsafe.Add(unsafe.Pointer(unsafe.SliceData(dst)), l), uint64(n))]
		}
		return appendInt(dst, *o.num)
	case opTextFast:
		return v.AppendText(dst, o.field)
	case opNumFast:
		return appendInt(dst, v.Number(o.field))
	case opText:
		return o.appendText(dst, v)
	default: // opNum, and opNum2Slot out of two digits' range (v agrees with the slot)
		return o.appendNum(dst, v)
	}
}

// putLong writes the decimal digits of n >= 10^8 at dst, which has room for 24 bytes, and returns
// how many it wrote: the digits above the low 8 (recursively for n >= 10^16), then those 8 (digits8).
func putLong(dst unsafe.Pointer, n uint64) int {
	hi := n / 1e8
	var w int
	if hi >= 1e8 {
		w = putLong(dst, hi)
	} else {
		d := digits8(hi)
		z := uint(bits.TrailingZeros64(d|1<<56)) / 8
		binary.LittleEndian.PutUint64((*[8]byte)(dst)[:], (d+ascii8)>>(8*z))
		w = 8 - int(z)
	}
	binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dst, w))[:], digits8(n-hi*1e8)+ascii8)
	return w + 8
}

// copy32 copies the 32 bytes at src to dst, as two 16-byte moves (a [32]byte would call memmove).
func copy32(dst, src unsafe.Pointer) {
	*(*[16]byte)(dst) = *(*[16]byte)(src)
	*(*[16]byte)(unsafe.Add(dst, 16)) = *(*[16]byte)(unsafe.Add(src, 16))
}

// Bind returns a program that renders like p, except that the plain %s, %d and %02d directives of the
// fields for which slot returns a place read the value from there instead of asking the Values: text
// from *text, numbers from *num (either may be nil). A caller that keeps a record's values in fixed
// places — its own, so a bound program is for one caller at a time — writes them there before each
// Append and saves a call per field. The Values passed to Append must agree with the slots. p itself
// is unchanged.
func (p *Program) Bind(slot func(f Field) (text *[]byte, num *int64)) *Program {
	out := &Program{src: p.src, fields: p.fields, ops: append([]op(nil), p.ops...)}
	for i := range out.ops {
		o := &out.ops[i]
		twoDigits := o.kind == opNum && o.conv == 'd' && o.zero && !o.left && o.width == 2 && o.variant == Plain
		if o.kind != opTextFast && o.kind != opNumFast && !twoDigits {
			continue
		}
		text, num := slot(o.field)
		switch {
		case o.kind == opTextFast && text != nil:
			o.kind, o.text = opTextSlot, text
		case o.kind == opNumFast && num != nil:
			o.kind, o.num = opNumSlot, num
		case twoDigits && num != nil:
			o.kind, o.num = opNum2Slot, num
		}
	}
	return out
}

// appendText renders a %s op: value, variant, encoding, then width.
func (o *op) appendText(dst []byte, v Values) []byte {
	start := len(dst)
	dst = v.AppendText(dst, o.field)
	switch o.variant {
	case Obfuscated:
		dst = appendObfuscated(dst, start)
	case Base64:
		dst = appendBase64(dst, start)
	}
	if o.enc != nil {
		dst = o.enc.apply(dst, start)
	}
	return o.pad(dst, start, 0, ' ')
}

// appendNum renders a number op. An obfuscated number is the obfuscation of the field's text
// (0 for an empty marker), as `%d{ocip}` prints the obfuscated client IP.
func (o *op) appendNum(dst []byte, v Values) []byte {
	var n int64
	if o.variant == Obfuscated {
		start := len(dst)
		dst = v.AppendText(dst, o.field) // keep the grown buffer; the text is cut off below
		u, _ := obfuscate(dst[start:])
		n = int64(u) // < obfuscatedMax, so it fits
		dst = dst[:start]
	} else {
		n = v.Number(o.field)
	}
	start := len(dst)
	neg := false
	switch o.conv {
	case 'd':
		if n < 0 {
			neg = true
			dst = append(dst, '-')
		}
		u := uint64(n)
		if neg {
			u = -u
		}
		dst = appendUint(dst, u)
	case 'u':
		dst = appendUint(dst, uint64(n))
	default: // 'x', 'X'
		dst = strconv.AppendUint(dst, uint64(n), 16)
		if o.conv == 'X' {
			for i := start; i < len(dst); i++ {
				if c := dst[i]; c >= 'a' {
					dst[i] = c - ('a' - 'A')
				}
			}
		}
	}
	if o.zero && !o.left && neg {
		// Zeros go between the sign and the digits: %05d of -42 is "-0042".
		return o.pad(dst, start+1, 1, '0')
	}
	if o.zero && !o.left {
		return o.pad(dst, start, 0, '0')
	}
	return o.pad(dst, start, 0, ' ')
}

// pad pads dst[start:] to the op's width with fill, after it for '-' and before it otherwise.
// counted bytes before start (a sign) already count toward the width.
func (o *op) pad(dst []byte, start, counted int, fill byte) []byte {
	n := len(dst) - start + counted
	if int(o.width) <= n {
		return dst
	}
	k := int(o.width) - n
	end := len(dst)
	for range k {
		dst = append(dst, fill)
	}
	if o.left {
		return dst
	}
	copy(dst[start+k:], dst[start:end])
	for i := start; i < start+k; i++ {
		dst[i] = fill
	}
	return dst
}
