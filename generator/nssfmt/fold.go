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
				one := Program{ops: []op{o}} // the op alone, its literal included
				carry = one.Append(carry, constValues{c})
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
	out.pack()
	return out
}

// constValues gives every field the same constant value; Fold asks it for one field at a time.
type constValues struct{ c Constant }

func (v constValues) AppendText(dst []byte, _ Field) []byte { return append(dst, v.c.Text...) }
func (v constValues) Number(Field) int64                    { return v.c.Number }
