package nssfmt

// Constant is a field value known before rendering: the text `%s{f}` prints (before variants and
// encodings) and the number `%d{f}` prints.
type Constant struct {
	Text   []byte
	Number int64
}

// Fold returns a program that renders exactly like p for every Values that gives the fields constant
// reports the same values, with those fields rendered once, now, into the literal text around them.
// A generator whose event classes fix some fields (a rule label, an action) folds its format once per
// class and then renders fewer, longer pieces per record. p itself is unchanged.
func (p *Program) Fold(constant func(Field) (Constant, bool)) *Program {
	out := &Program{src: p.src, fields: p.fields, ops: make([]op, 0, len(p.ops))}
	var carry []byte // folded text waiting for the next op that still reads a value
	for i := range p.ops {
		o := p.ops[i]
		if o.kind != opLiteral {
			if c, ok := constant(o.field); ok {
				carry = append(carry, o.lit...)
				carry = o.render(carry, constValues{c})
				continue
			}
		}
		if len(carry) > 0 {
			o.lit = string(carry) + o.lit
			carry = carry[:0]
		}
		out.ops = append(out.ops, o)
	}
	if len(carry) > 0 {
		out.ops = append(out.ops, op{kind: opLiteral, lit: string(carry)})
	}
	return out
}

// render appends the field part of o (not its literal) rendered with v.
func (o *op) render(dst []byte, v Values) []byte {
	switch o.kind {
	case opTextFast:
		return v.AppendText(dst, o.field)
	case opNumFast:
		return appendDecimal(dst, v.Number(o.field))
	case opText:
		return o.appendText(dst, v)
	case opNum:
		return o.appendNum(dst, v)
	}
	return dst
}

// constValues gives every field the same constant value; Fold asks it for one field at a time.
type constValues struct{ c Constant }

func (v constValues) AppendText(dst []byte, _ Field) []byte { return append(dst, v.c.Text...) }
func (v constValues) Number(Field) int64                    { return v.c.Number }
