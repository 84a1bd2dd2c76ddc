package corpus

import (
	"github.com/nssbench/nssbench/scenarios/jsonpos"

	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/nssbench/nssbench/harness/framing"
	"github.com/valyala/fastjson"
)

// inputRecord is one input record as a source yields it.
type inputRecord struct {
	data     []byte // the record without its framing; valid until the source's next call
	oversize bool   // a record over the line limit, skipped by the framer (data is nil)
	size     int64  // the oversize record's length in bytes; 0 when unknown
}

// source yields a corpus's input records in order.
type source interface {
	// next fills r with the next record. It returns io.EOF after the last one, and an *Error of kind
	// ErrInput when the input cannot be read on.
	next(r *inputRecord) error
	close() error
}

// sendMaxLine is the framer limit when records are read to be sent over a socket: records longer than
// the collector's limit must be sent whole, so that the collector is the one to cut them.
const sendMaxLine = 16 << 20

// openSource opens the corpus's input. maxLine is the framer's limit for CEF input (longer records come
// back as oversize).
func openSource(c *Corpus, maxLine int) (source, error) {
	rf, err := openRead(c.Input)
	if err != nil {
		return nil, &Error{Kind: ErrMissing, File: c.Input, Msg: "cannot open", Err: err}
	}
	if c.Format() == FormatCEF {
		want, _ := framing.ParseFraming(c.Framing())
		s := &cefSource{file: c.Input, rf: rf, tail: tailReader{r: rf}, want: want}
		s.fr = framing.NewReader(&s.tail, maxLine)
		return s, nil
	}
	br := bufio.NewReaderSize(rf, 64<<10)
	first, err := peekNonSpace(br)
	if err != nil && err != io.EOF {
		rf.Close()
		return nil, &Error{Kind: ErrInput, File: c.Input, Line: 1, Msg: "cannot read", Err: err}
	}
	if first == '[' {
		s, err := newArraySource(c.Input, br)
		rf.Close()
		return s, err
	}
	return &ndjsonSource{file: c.Input, rf: rf, lr: lineReader{br: br}}, nil
}

// peekNonSpace returns the first byte of br that is not JSON whitespace, without consuming it.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for i := 1; ; i++ {
		b, err := br.Peek(i)
		if len(b) < i {
			return 0, err
		}
		if c := b[i-1]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c, nil
		}
		if i == br.Size() {
			return 0, nil
		}
	}
}

// cefSource reads framed CEF records.
type cefSource struct {
	file    string
	rf      *readFile
	tail    tailReader // rf, watched for its last byte
	fr      *framing.Reader
	want    framing.Framing
	n       uint64
	checked bool
}

// tailReader passes reads through and remembers the last byte read, so that the end of a LF-framed
// input can be checked: the framer returns an unterminated last line as a record, as a collector must,
// but in a corpus file it is a record cut short.
type tailReader struct {
	r    io.Reader
	last byte // the last byte read; meaningful once any is set
	any  bool
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.last, t.any = p[n-1], true
	}
	return n, err
}

func (s *cefSource) next(r *inputRecord) error {
	rec, err := s.fr.Next()
	if !s.checked && s.fr.Framing() != framing.FramingUnknown {
		s.checked = true
		if got := s.fr.Framing(); got != s.want {
			return &Error{Kind: ErrInput, File: s.file, Line: 1, Msg: fmt.Sprintf(
				"corpus.json declares %s framing, but the collector reads this input as %s (a stream starting with a digit 1-9 is octet counting)",
				s.want, got)}
		}
	}
	if err == nil {
		s.n++
		r.data, r.oversize, r.size = rec, false, 0
		return nil
	}
	return s.fail(r, err)
}

// fail handles an error of the framer: an oversize record, the end, or a broken input.
func (s *cefSource) fail(r *inputRecord, err error) error {
	var oe *framing.OversizeError
	switch {
	case errors.As(err, &oe):
		s.n++
		r.data, r.oversize, r.size = nil, true, oe.Len
		return nil
	case err == io.EOF && s.fr.Framing() == framing.FramingLF && s.tail.any && s.tail.last != '\n':
		return &Error{Kind: ErrInput, File: s.file, Line: s.n,
			Msg: "input ends without a line terminator: the last record may be truncated"}
	case err == io.EOF:
		return io.EOF
	}
	return &Error{Kind: ErrInput, File: s.file, Line: s.n + 1, Msg: "cannot read record", Err: err}
}

func (s *cefSource) close() error { return s.rf.Close() }

// ndjsonSource reads one Cloud NSS JSON object per line; blank lines are skipped.
type ndjsonSource struct {
	file string
	rf   *readFile
	lr   lineReader
}

func (s *ndjsonSource) next(r *inputRecord) error {
	for {
		line, err := s.lr.next()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return &Error{Kind: ErrInput, File: s.file, Line: s.lr.line + 1, Msg: "cannot read", Err: err}
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' {
			return &Error{Kind: ErrInput, File: s.file, Line: s.lr.line, Msg: "want one JSON object per line"}
		}
		if err := fastjson.ValidateBytes(line); err != nil {
			return &Error{Kind: ErrInput, File: s.file, Line: s.lr.line, Msg: "invalid JSON object", Err: err}
		}
		r.data, r.oversize = line, false
		return nil
	}
}

func (s *ndjsonSource) close() error { return s.rf.Close() }

// arraySource yields the objects of a JSON array input, read whole (Cloud NSS batches are small).
type arraySource struct {
	objs [][]byte
	i    int
}

func newArraySource(file string, r io.Reader) (*arraySource, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{Kind: ErrInput, File: file, Msg: "cannot read", Err: err}
	}
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	if err != nil {
		return nil, &Error{Kind: ErrInput, File: file, Msg: "invalid JSON", Err: err}
	}
	arr, _ := v.Array()
	s := &arraySource{}
	for i, e := range arr {
		if e.Type() != fastjson.TypeObject {
			return nil, &Error{Kind: ErrInput, File: file, Line: lineAt(data, jsonpos.ValueOffset(data, i)), Field: fmt.Sprintf("[%d]", i),
				Msg: "want a JSON object, got " + e.Type().String()}
		}
		s.objs = append(s.objs, e.MarshalTo(nil))
	}
	return s, nil
}

func (s *arraySource) next(r *inputRecord) error {
	if s.i == len(s.objs) {
		return io.EOF
	}
	r.data, r.oversize = s.objs[s.i], false
	s.i++
	return nil
}

func (s *arraySource) close() error { return nil }

// lineReader reads LF-terminated lines of any length, stripping the LF and a CR before it. An
// unterminated last line is returned as a line. It does not allocate per line once its scratch space
// holds the longest line longer than the bufio.Reader's buffer.
type lineReader struct {
	br   *bufio.Reader
	line uint64 // lines returned so far
	long []byte
}

// next returns the next line, valid until the next call; io.EOF at the end, or the reader's error.
func (r *lineReader) next() ([]byte, error) {
	b, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = r.br.ReadSlice('\n')
			r.long = append(r.long, b...)
		}
		b = r.long
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if len(b) == 0 {
		return nil, io.EOF
	}
	r.line++
	if b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
		if len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
	}
	return b, nil
}

// expectedReader reads a corpus's expected verdicts line by line.
type expectedReader struct {
	file string
	rf   *readFile
	lineReader
}

// openExpected opens the expected file at path.
func openExpected(path string) (*expectedReader, error) {
	rf, err := openRead(path)
	if err != nil {
		return nil, &Error{Kind: ErrMissing, File: path, Msg: "cannot open", Err: err}
	}
	return &expectedReader{file: path, rf: rf, lineReader: lineReader{br: bufio.NewReaderSize(rf, 64<<10)}}, nil
}

// next returns the next verdict line; io.EOF at the end; an *Error of kind ErrExpected when the file
// cannot be read on (a truncated or corrupt zstd stream) or a line is blank.
func (e *expectedReader) next() ([]byte, error) {
	line, err := e.lineReader.next()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, &Error{Kind: ErrExpected, File: e.file, Line: e.line + 1, Msg: "cannot read", Err: err}
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, &Error{Kind: ErrExpected, File: e.file, Line: e.line, Msg: "blank line (want one verdict record per line)"}
	}
	return line, nil
}

func (e *expectedReader) close() error { return e.rf.Close() }

// base is filepath.Base, for messages.
func base(p string) string { return filepath.Base(p) }
