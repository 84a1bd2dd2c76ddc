// Package replay makes a recorded feed a record source for the runners (generator.Source): the
// recorded lines themselves, verbatim and in order, each with the verdict it must get — the reference
// pipeline's, computed once up front, or a corpus's expected verdict — and with the recording's own
// pace (its syslog or rt= times, see scenarios.Stamper).
//
// A Recording holds the records in one contiguous buffer with their end offsets: the file is read once
// (a zstd file, recognised by its magic bytes, is decoded once) and the records are compacted in place
// as harness/framing reads them, so its memory is the decoded size plus, per record, 4 bytes of end
// offset, 8 of schedule offset and, once judged, 2 of class, 8 of record id and 4 of id index. A
// decoded recording is at most 4 GiB (MaxSize) and a record at most 64 MiB (MaxRecord); larger ones are
// errors, never cut. Oversize and malformed lines are kept as recorded: they are part of the recording,
// and are judged as the pipeline judges them (a record over the collector's line limit as oversize).
//
// Record ids (the externalId extension, or the sink's id field) are read from each line as a sink
// reads them. Against an external collector with a sink, a record is matched by its id; a line
// without one (or whose id an earlier line already has) is sent but cannot be attributed at the sink:
// it is counted as sent, unobserved, and its arrival as unattributed (without an id, or a duplicate).
package replay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/framing"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/scenarios"
)

// Limits of a Recording.
const (
	MaxSize   = math.MaxUint32 // the largest decoded recording, in bytes
	MaxRecord = 64 << 20       // the longest record kept
	// MaxClasses bounds the distinct expected verdicts of a recording (a Label's Class is 16 bits).
	MaxClasses = math.MaxUint16 + 1
)

// Recording is a recorded feed, read once into memory. It is immutable and safe for concurrent use.
type Recording struct {
	path    string
	framing framing.Framing
	buf     []byte
	ends    []uint32 // record i is buf[ends[i-1]:ends[i]] (from 0 for i=0)
	offsets []time.Duration
}

// Read reads the recording at path: NSS records (a file nssbench gen, corpus record or a collector
// wrote; a corpus's input.log[.zst]), framed LF or with octet counting as harness/framing detects.
func Read(path string) (*Recording, error) {
	data, err := readAll(path)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %d bytes decoded: a recording to replay is at most %d bytes", path, len(data), int64(MaxSize))
	}
	fr := framing.NewReader(bytes.NewReader(data), min(len(data)+1, MaxRecord))
	r := &Recording{path: path}
	var (
		st scenarios.Stamper
		w  int // the records are compacted into data[:w]; the reader has consumed more than w bytes
	)
	for n := 1; ; n++ {
		rec, err := fr.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, framing.ErrOversize) {
			return nil, fmt.Errorf("%s: record %d is longer than %d bytes: too long to replay", path, n, MaxRecord)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", path, n, err)
		}
		if err := st.Add(rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		w += copy(data[w:], rec)
		r.ends = append(r.ends, uint32(w))
	}
	if r.offsets, err = st.Offsets(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r.framing, r.buf = fr.Framing(), data[:w:w]
	return r, nil
}

// readAll returns the file's content, zstd-decoded when it starts with zstd's magic bytes.
func readAll(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if n == 4 && magic == [4]byte{0x28, 0xb5, 0x2f, 0xfd} {
		zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		data, err := io.ReadAll(io.LimitReader(zr, MaxSize+1))
		if err != nil {
			return nil, fmt.Errorf("%s: zstd: %w", path, err)
		}
		return data, nil
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// Len returns the number of records.
func (r *Recording) Len() int { return len(r.ends) }

// Bytes returns the size of the records, without their framing.
func (r *Recording) Bytes() int { return len(r.buf) }

// Framing returns the recording's framing, "lf" or "octet": a replay frames its records the same way.
func (r *Recording) Framing() string { return r.framing.String() }

// Offsets returns each record's time from the first, for a pacer.Replay. The slice is shared: do not
// modify.
func (r *Recording) Offsets() []time.Duration { return r.offsets }

// Record returns record i (0-based) as recorded, without its framing. It is shared: do not modify.
func (r *Recording) Record(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.buf[start:r.ends[i]]
}

// String returns the recording's path.
func (r *Recording) String() string { return r.path }

// Options say how a Source judges its records.
type Options struct {
	// Expected, when set, gives the expected verdict of every record in order (a corpus's expected
	// file: corpus.Corpus.ReadExpected), calling each once per record; it must give exactly one per
	// record. Nil: the Pipeline judges each record.
	Expected func(each func(verdict.Expectation) error) error
	// Pipeline gives the reference verdicts when Expected is nil.
	Pipeline *pipeline.Pipeline
	// MaxLine is the collector's line limit: a longer record is judged oversize (default 64 KiB).
	MaxLine int
	// IDs says how a record's id is read (its IDField; default externalId), as the sink reads it.
	IDs sink.Options
}

// Source is a judged Recording: a generator.Source whose record seq is the recording's seq-th record.
// It is immutable: Fork returns it, and it is safe for concurrent use.
type Source struct {
	rec     *Recording
	classes []generator.Class
	class   []uint16 // per record
	ids     []uint64 // per record: its record id, 0 without one
	byID    []uint32 // the records with an id, sorted by id then position
}

var _ generator.Source = (*Source)(nil)

// Source judges every record (Options) and returns the recording as a record source. Records with the
// same expected verdict make one class, named after it (e.g. "firewall platform/alert/RDP Allow/T1021.001").
func (r *Recording) Source(opts Options) (*Source, error) {
	if opts.MaxLine <= 0 {
		opts.MaxLine = 64 << 10
	}
	s := &Source{rec: r, class: make([]uint16, 0, r.Len()), ids: make([]uint64, r.Len())}
	index := map[verdict.Expectation]uint16{}
	add := func(e verdict.Expectation) error {
		if len(s.class) == r.Len() {
			return fmt.Errorf("%s: more expected verdicts than its %d records", r.path, r.Len())
		}
		c, ok := index[e]
		if !ok {
			if len(s.classes) == MaxClasses {
				return fmt.Errorf("%s: more than %d distinct verdicts", r.path, MaxClasses)
			}
			c = uint16(len(s.classes))
			index[e] = c
			s.classes = append(s.classes, classOf(e))
		}
		s.class = append(s.class, c)
		return nil
	}
	switch {
	case opts.Expected != nil:
		if err := opts.Expected(add); err != nil {
			return nil, err
		}
		if len(s.class) != r.Len() {
			return nil, fmt.Errorf("%s: %d expected verdicts for its %d records", r.path, len(s.class), r.Len())
		}
	case opts.Pipeline != nil:
		dec := opts.Pipeline.NewDecider()
		var v verdict.Verdict
		for i := range r.Len() {
			v.Reset()
			if rec := r.Record(i); len(rec) > opts.MaxLine {
				dec.DecideOversize(&v)
			} else {
				dec.Decide(rec, &v)
			}
			if err := add(expectationOf(&v)); err != nil {
				return nil, err
			}
		}
	default:
		return nil, errors.New("replay: no pipeline and no expected verdicts to judge the records by")
	}
	s.sortClasses()
	x := sink.NewExtractor(opts.IDs)
	for i := range r.Len() {
		if f, err := x.Extract(r.Record(i), sink.FormatCEF); err == nil {
			s.ids[i] = f.ID
			s.byID = append(s.byID, uint32(i))
		}
	}
	slices.SortStableFunc(s.byID, func(a, b uint32) int {
		switch x, y := s.ids[a], s.ids[b]; {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return s, nil
}

// sortClasses orders the classes by name, for the report, and renumbers the records' classes.
func (s *Source) sortClasses() {
	order := make([]uint16, len(s.classes)) // order[new] = old
	for i := range order {
		order[i] = uint16(i)
	}
	slices.SortFunc(order, func(a, b uint16) int { return strings.Compare(s.classes[a].Name, s.classes[b].Name) })
	renum := make([]uint16, len(order)) // renum[old] = new
	sorted := make([]generator.Class, len(order))
	for n, o := range order {
		renum[o], sorted[n] = uint16(n), s.classes[o]
	}
	for i, c := range s.class {
		s.class[i] = renum[c]
	}
	s.classes = sorted
}

// expectationOf is the core of v that a replayed record must get again.
func expectationOf(v *verdict.Verdict) verdict.Expectation {
	e := verdict.Expectation{Feed: v.Feed, Stage: v.Stage, Kind: v.Kind, Reason: v.Reason, Detail: v.Detail}
	if v.Kind == verdict.KindAlert {
		e.AlertType = string(v.AlertType)
		if v.Threat != nil {
			e.ThreatID = v.Threat.ID
		}
	}
	return e
}

// classOf is the class of the records expected to get e.
func classOf(e verdict.Expectation) generator.Class {
	parts := []string{e.Stage.String(), e.Kind.String()}
	for _, p := range []string{e.Reason.String(), e.Detail.String(), e.AlertType, e.ThreatID} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	name := strings.Join(parts, "/")
	if e.Feed != verdict.FeedUnknown {
		name = e.Feed.String() + " " + name
	}
	c := generator.Class{Name: name, Feed: e.Feed, Weight: 1, Expect: e}
	if e.Reason == verdict.ReasonMalformed { // a sink expecting every well-formed record leaves these out
		c.Malform = malformOf(e.Detail)
	}
	return c
}

// malformOf returns the damage that yields detail d, or MalformBadHeader for a detail no damage makes.
func malformOf(d verdict.Detail) generator.Malform {
	for _, m := range generator.Malforms() {
		if m.Detail() == d {
			return m
		}
	}
	return generator.MalformBadHeader
}

// Recording returns the recording the source sends.
func (s *Source) Recording() *Recording { return s.rec }

// Classes implements generator.Source.
func (s *Source) Classes() []generator.Class { return s.classes }

// Append implements generator.Source: it appends record seq as recorded.
func (s *Source) Append(dst []byte, seq uint64) ([]byte, generator.Label) {
	return append(dst, s.rec.Record(int(seq))...), s.LabelOf(seq)
}

// AppendAt implements generator.Source: a recorded record keeps its recorded stamps, so it is Append.
func (s *Source) AppendAt(dst []byte, seq uint64, _ int64) ([]byte, generator.Label) {
	return s.Append(dst, seq)
}

// LabelOf implements generator.Source; RecordID is 0 for a record without an id.
func (s *Source) LabelOf(seq uint64) generator.Label {
	return generator.Label{Seq: seq, RecordID: s.ids[seq], Class: s.class[seq]}
}

// SeqOf implements generator.Source: the first record with id.
func (s *Source) SeqOf(id uint64) (uint64, bool) {
	i, ok := slices.BinarySearchFunc(s.byID, id, func(k uint32, id uint64) int {
		switch x := s.ids[k]; {
		case x < id:
			return -1
		case x > id:
			return 1
		}
		return 0
	})
	if !ok {
		return 0, false
	}
	return uint64(s.byID[i]), true
}

// Fork implements generator.Source: a Source is immutable, so it is itself.
func (s *Source) Fork() generator.Source { return s }

// Unattributable returns the records a sink cannot match by id: without one, or with an earlier
// record's.
func (s *Source) Unattributable() int {
	n := 0
	for seq := range uint64(len(s.class)) {
		if at, ok := s.SeqOf(s.ids[seq]); !ok || at != seq {
			n++
		}
	}
	return n
}
