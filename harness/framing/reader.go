package framing

import (
	"bytes"
	"io"
	"strconv"
)

const (
	// DefaultMaxLen is the record length limit NewReader uses when given maxLen <= 0 (PIPELINE.md's
	// default collector line limit).
	DefaultMaxLen = 64 << 10

	blockSize      = 256 << 10 // smallest read buffer: one read takes many records
	maxLenDigits   = 10        // longest octet-counting length prefix accepted, in digits
	maxEmptyReads  = 100       // consecutive (0, nil) reads before io.ErrNoProgress, as bufio does
	octetHeaderMax = maxLenDigits + 1
)

// Reader splits a byte stream into records, detecting LF framing or octet counting from the stream's
// first byte (see the package comment).
//
// It reads blocks of at least 256 KiB into one buffer it owns, returns records as slices of that
// buffer and carries a partial record over to the next read, so it does not allocate per record. A
// Reader is not safe for concurrent use; use one per stream.
type Reader struct {
	rd      io.Reader
	max     int
	buf     []byte
	start   int   // buf[start:end] holds bytes not yet returned
	end     int   //
	scan    int   // LF framing: buf[start:scan] is known to hold no line feed
	base    int64 // stream offset of buf[0]
	framing Framing
	err     error // read error, surfaced once the buffered records are returned
	fatal   error // *FrameError: returned from every call once set

	// Skipping an oversize record.
	skipping bool
	skipOff  int64 // the record's offset
	skipLen  int64 // LF: bytes skipped so far; octet: the declared length
	skipLeft int64 // octet: bytes still to skip
	skipCR   bool  // LF: the last skipped byte was a CR
}

// NewReader returns a Reader of r that reports records longer than maxLen bytes (without their
// terminator or length prefix) as *OversizeError instead of returning them. maxLen <= 0 means
// DefaultMaxLen. Its buffer is max(256 KiB, maxLen+13) bytes.
func NewReader(r io.Reader, maxLen int) *Reader {
	if maxLen <= 0 {
		maxLen = DefaultMaxLen
	}
	rd := &Reader{max: maxLen, buf: make([]byte, max(blockSize, maxLen+octetHeaderMax+2))}
	rd.Reset(r)
	return rd
}

// Reset makes the Reader read a new stream from r, keeping its buffer and limit. The framing is
// detected afresh.
func (r *Reader) Reset(rd io.Reader) {
	*r = Reader{rd: rd, max: r.max, buf: r.buf}
}

// Framing returns the stream's framing: FramingUnknown until Next has seen the first byte.
func (r *Reader) Framing() Framing { return r.framing }

// MaxLen returns the record length limit.
func (r *Reader) MaxLen() int { return r.max }

// Next returns the next record, without its line feed (and a CR before it) or its length prefix. The
// record is valid until the next call to Next or Reset; the caller may modify it in place.
//
// Errors:
//   - io.EOF at a clean end of the stream. With LF framing an unterminated last line is a clean end:
//     it is returned as a record (as is, no CR stripped) before io.EOF.
//   - *OversizeError (errors.Is ErrOversize) for a record over the limit. It has been skipped and the
//     stream continues: call Next again.
//   - *FrameError for broken octet counting, including a stream that ends inside a frame. It is final:
//     later calls return it again.
//   - the underlying reader's error, once the records completely read before it have been returned;
//     a partial record read before a non-EOF error is discarded.
func (r *Reader) Next() ([]byte, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	if r.framing == FramingUnknown {
		for r.start == r.end {
			if r.err != nil {
				return nil, r.err
			}
			r.fill()
		}
		if c := r.buf[r.start]; c >= '1' && c <= '9' {
			r.framing = FramingOctet
		} else {
			r.framing = FramingLF
		}
	}
	if r.framing == FramingOctet {
		return r.nextOctet()
	}
	return r.nextLF()
}

func (r *Reader) nextLF() ([]byte, error) {
	for {
		if i := bytes.IndexByte(r.buf[r.scan:r.end], '\n'); i >= 0 {
			eol := r.scan + i
			off := r.base + int64(r.start)
			line := r.buf[r.start:eol]
			r.start = eol + 1
			r.scan = r.start
			if r.skipping {
				r.skipping = false
				n := r.skipLen + int64(len(line))
				if (len(line) > 0 && line[len(line)-1] == '\r') || (len(line) == 0 && r.skipCR) {
					n--
				}
				return nil, &OversizeError{Offset: r.skipOff, Len: n, Max: r.max}
			}
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			if len(line) > r.max {
				return nil, &OversizeError{Offset: off, Len: int64(len(line)), Max: r.max}
			}
			return line, nil
		}
		r.scan = r.end
		// No line feed in the window. A window longer than max+1 (a record plus a CR) is oversize
		// whatever follows: drop it and skip to the next line feed.
		if r.skipping || r.end-r.start > r.max+1 {
			if !r.skipping {
				r.skipping = true
				r.skipOff = r.base + int64(r.start)
				r.skipLen = 0
			}
			if r.end > r.start {
				r.skipLen += int64(r.end - r.start)
				r.skipCR = r.buf[r.end-1] == '\r'
			}
			r.start = r.end
		}
		if r.err != nil {
			return r.lfTail()
		}
		r.fill()
	}
}

// lfTail ends a LF-framed stream: the unterminated last line is a record at io.EOF.
func (r *Reader) lfTail() ([]byte, error) {
	if r.err != io.EOF {
		r.start, r.scan, r.skipping = r.end, r.end, false
		return nil, r.err
	}
	if r.skipping {
		r.skipping = false
		return nil, &OversizeError{Offset: r.skipOff, Len: r.skipLen, Max: r.max}
	}
	if r.start == r.end {
		return nil, io.EOF
	}
	off := r.base + int64(r.start)
	line := r.buf[r.start:r.end]
	r.start, r.scan = r.end, r.end
	if len(line) > r.max {
		return nil, &OversizeError{Offset: off, Len: int64(len(line)), Max: r.max}
	}
	return line, nil
}

func (r *Reader) nextOctet() ([]byte, error) {
	for {
		if r.skipping {
			n := int(min(r.skipLeft, int64(r.end-r.start)))
			r.start += n
			r.skipLeft -= int64(n)
			if r.skipLeft == 0 {
				r.skipping = false
				return nil, &OversizeError{Offset: r.skipOff, Len: r.skipLen, Max: r.max}
			}
			if r.err != nil {
				return nil, r.truncated("stream ended inside an oversize record of " +
					strconv.FormatInt(r.skipLen, 10) + " bytes")
			}
			r.fill()
			continue
		}
		if r.start == r.end {
			if r.err != nil {
				return nil, r.err
			}
			r.fill()
			continue
		}
		rec, complete, err := r.parseOctet()
		if err != nil {
			r.fatal = err
			return nil, err
		}
		if complete {
			return rec, nil
		}
		if r.skipping {
			continue
		}
		if r.err != nil {
			return nil, r.truncated("stream ended " + strconv.Itoa(r.end-r.start) + " bytes into a frame")
		}
		r.fill()
	}
}

// parseOctet parses the frame at buf[start:end]. complete is false when more bytes are needed; for an
// oversize length it starts skipping and returns complete=false.
func (r *Reader) parseOctet() (rec []byte, complete bool, err error) {
	b := r.buf[r.start:r.end]
	c := b[0]
	if c < '0' || c > '9' {
		return nil, false, r.frameError(r.start, "expected a length digit, got "+strconv.QuoteRune(rune(c)))
	}
	var n int64
	p := 0
	if c == '0' {
		// RFC 6587 lengths start with 1-9; "0 " (an empty record) is accepted after detection.
		p = 1
		if len(b) > 1 && b[1] != ' ' {
			return nil, false, r.frameError(r.start+1, "length has a leading zero")
		}
	} else {
		for p < len(b) && b[p] >= '0' && b[p] <= '9' {
			if p == maxLenDigits {
				return nil, false, r.frameError(r.start+p, "length has more than "+strconv.Itoa(maxLenDigits)+" digits")
			}
			n = n*10 + int64(b[p]-'0')
			p++
		}
	}
	if p == len(b) {
		return nil, false, nil
	}
	if b[p] != ' ' {
		return nil, false, r.frameError(r.start+p, "expected a space after the length, got "+strconv.QuoteRune(rune(b[p])))
	}
	p++
	if n > int64(r.max) {
		r.skipping = true
		r.skipOff = r.base + int64(r.start)
		r.skipLen = n
		r.skipLeft = n
		r.start += p
		return nil, false, nil
	}
	if int64(len(b)-p) < n {
		return nil, false, nil
	}
	rec = b[p : p+int(n)]
	r.start += p + int(n)
	return rec, true, nil
}

func (r *Reader) frameError(at int, msg string) error {
	return &FrameError{Offset: r.base + int64(at), Msg: msg}
}

// truncated reports a stream that ended inside a frame: a FrameError at io.EOF, else the read error.
func (r *Reader) truncated(msg string) error {
	if r.err != io.EOF {
		r.start = r.end
		r.skipping = false
		return r.err
	}
	r.fatal = &FrameError{Offset: r.base + int64(r.end), Msg: msg}
	return r.fatal
}

// fill moves the unread bytes to the front of the buffer and reads once more into the rest, recording
// a read error in r.err.
func (r *Reader) fill() {
	if r.start > 0 {
		n := copy(r.buf, r.buf[r.start:r.end])
		r.base += int64(r.start)
		r.scan -= r.start
		r.end = n
		r.start = 0
	}
	if r.end == len(r.buf) {
		panic("BUG: framing: Reader buffer full")
	}
	for range maxEmptyReads {
		n, err := r.rd.Read(r.buf[r.end:])
		if n < 0 || n > len(r.buf)-r.end {
			panic("BUG: framing: reader returned an invalid count " + strconv.Itoa(n))
		}
		r.end += n
		if err != nil {
			r.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	r.err = io.ErrNoProgress
}
