package generator

// AppendUnfolded renders event seq like Append, but through the feed's program as configured rather
// than the class's folded one.
func (g *Generator) AppendUnfolded(dst []byte, seq uint64) []byte {
	dst, _ = g.append(dst, seq, false)
	return dst
}
