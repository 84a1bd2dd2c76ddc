package nssfmt

// Split divides p into two programs that, rendered one after the other with the same Values, give
// p's bytes: head renders the longest run of p's leading fields for which lead reports true, with the
// literal text up to the next field, and tail renders the rest. A caller whose leading fields change
// rarely — a syslog header's time parts change once a second — renders head once per change and
// copies it. head renders no field when p's first field is not a lead field. p itself is unchanged.
func (p *Program) Split(lead func(Field) bool) (head, tail *Program) {
	n := 0
	for n < len(p.ops) && p.ops[n].kind != opLiteral && lead(p.ops[n].field) {
		n++
	}
	head = &Program{src: p.src, ops: append([]op(nil), p.ops[:n]...)}
	tail = &Program{src: p.src, ops: append([]op(nil), p.ops[n:]...)}
	if n < len(p.ops) && p.ops[n].lit != "" {
		// The next op's literal is printed before its field: it belongs to the head.
		head.ops = append(head.ops, op{kind: opLiteral, lit: p.ops[n].lit})
		tail.ops[0].lit = ""
	}
	head.fields, tail.fields = opFields(head.ops), opFields(tail.ops)
	head.pack()
	tail.pack()
	return head, tail
}

// opFields returns the fields ops read, deduplicated, in order of first use.
func opFields(ops []op) []Field {
	var fs []Field
	seen := map[Field]bool{}
	for _, o := range ops {
		if o.kind != opLiteral && !seen[o.field] {
			seen[o.field] = true
			fs = append(fs, o.field)
		}
	}
	return fs
}
