package nssfmt

// pack lays the literal text of p's ops out in one buffer, each op's litp a slice of it whose capacity
// reaches at least 32 bytes past its end, so that Append copies them in 32-byte blocks, and sets each
// op's room: the bytes Append keeps free before it (every literal from that op on, plus a 32-byte
// window for each literal and each value, plus 32).
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
	room := 32
	for i := len(p.ops) - 1; i >= 0; i-- {
		room += len(p.ops[i].lit) + 64
		p.ops[i].room = room
	}
}
