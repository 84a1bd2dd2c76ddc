package generator

// Source is what a run sends: record seq's bytes and its ground truth, by sequence number. A
// *Generator is one; a replayed recording (package harness/replay) is another, whose records are the
// recorded lines themselves. Implementations render without allocating once dst has room.
type Source interface {
	// Classes returns the classes a Label's Class indexes; the slice is shared: do not modify.
	Classes() []Class
	// Append appends record seq to dst, without a trailing newline, and returns its label.
	Append(dst []byte, seq uint64) ([]byte, Label)
	// AppendAt is Append with the record stamped at unixNano, where the source stamps records at all
	// (a recording sends its recorded stamps and ignores unixNano).
	AppendAt(dst []byte, seq uint64, unixNano int64) ([]byte, Label)
	// LabelOf returns record seq's label without rendering it; safe for concurrent use.
	LabelOf(seq uint64) Label
	// SeqOf returns the record whose record id is id, false when no record has it; safe for
	// concurrent use. A record is matched by id at a sink only if SeqOf(LabelOf(seq).RecordID) is seq.
	SeqOf(id uint64) (uint64, bool)
	// Fork returns a Source that renders the same records and may be used concurrently with this one.
	Fork() Source
}

var _ Source = (*Generator)(nil)

// Fork implements Source: it returns a Clone.
func (g *Generator) Fork() Source { return g.Clone() }
