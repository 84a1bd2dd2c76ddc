package nssfmt

import (
	"encoding/binary"
	"math/bits"
	"strconv"
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
)

// op is one compiled piece of a format: the literal text before a field directive, and the
// directive; a format's trailing literal text is an op of its own.
type op struct {
	kind    opKind
	variant Variant
	conv    byte // number ops: 'd', 'u', 'x' or 'X'
	left    bool // '-' flag: pad on the right
	zero    bool // '0' flag: pad numbers with zeros
	width   uint8
	field   Field
	enc     *encodeTable // text ops: nil when no byte is encoded
	lit     string       // literal text printed before the field
	litp    []byte       // lit, packed (Program.pack)
	text    *[]byte      // opTextSlot: where the value is
	num     *int64       // opNumSlot: where the value is
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
func (p *Program) Append(dst []byte, v Values) []byte {
	for i := range p.ops {
		o := &p.ops[i]
		dst = appendShort(dst, o.litp)
		switch o.kind {
		case opTextSlot:
			dst = appendShort(dst, *o.text)
		case opNumSlot:
			n := uint64(*o.num)
			if l := len(dst); n < 1e8 && cap(dst)-l >= 8 {
				// appendUint's common case, inline: most numbers are ports, sizes and durations.
				d := digits8(n)
				z := uint(bits.TrailingZeros64(d|1<<56)) / 8
				binary.LittleEndian.PutUint64(dst[l:l+8], (d+ascii8)>>(8*z))
				dst = dst[:l+8-int(z)]
			} else {
				dst = appendInt(dst, int64(n))
			}
		case opTextFast:
			dst = v.AppendText(dst, o.field)
		case opNumFast:
			dst = appendInt(dst, v.Number(o.field))
		case opText:
			dst = o.appendText(dst, v)
		case opNum:
			dst = o.appendNum(dst, v)
		}
	}
	return dst
}

// Bind returns a program that renders like p, except that the plain %s and %d directives of the
// fields for which slot returns a place read the value from there instead of asking the Values: text
// from *text, numbers from *num (either may be nil). A caller that keeps a record's values in fixed
// places — its own, so a bound program is for one caller at a time — writes them there before each
// Append and saves a call per field. The Values passed to Append must agree with the slots. p itself
// is unchanged.
func (p *Program) Bind(slot func(f Field) (text *[]byte, num *int64)) *Program {
	out := &Program{src: p.src, fields: p.fields, ops: append([]op(nil), p.ops...)}
	for i := range out.ops {
		o := &out.ops[i]
		if o.kind != opTextFast && o.kind != opNumFast {
			continue
		}
		text, num := slot(o.field)
		switch {
		case o.kind == opTextFast && text != nil:
			o.kind, o.text = opTextSlot, text
		case o.kind == opNumFast && num != nil:
			o.kind, o.num = opNumSlot, num
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
