package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/framing"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/valyala/fastjson"
)

// RecordOptions configures Record.
type RecordOptions struct {
	// Rules and Mappings decide the expected verdicts; as for New, they are copied into the corpus.
	Rules, Mappings string
	Count           uint64        // stop after this many records, oversize ones included; 0: no limit
	Duration        time.Duration // stop after this long; 0: no limit
	// Listening, when set, is called with the bound address (e.g. "tcp://127.0.0.1:41234") once the
	// listener is up, before any record arrives.
	Listening   func(url string)
	Description string
}

// RecordStats says what Record captured.
type RecordStats struct {
	URL      string // the address listened on
	Records  uint64 // records written to the corpus, oversize ones included
	Oversize uint64 // of them, records over the line limit: the collector skips them unread, so each is a placeholder
	Streams  uint64 // connections (HTTP requests for Cloud NSS) that sent records
	Framing  string // the input's framing for CEF: "lf", or "octet" when a record could not be written as a line
	// StaleRemoved counts the capture files of an earlier, killed Record removed from the directory
	// before starting (they alone would have made it "not empty").
	StaleRemoved int
	Update       UpdateStats
}

// Record captures a live feed into a new corpus in dir (as for New, created or empty): it listens on
// listenAddr ("tcp://127.0.0.1:5514", "udp://…", or "http://…" for Cloud NSS JSON; the pipeline's
// 64 KiB line limit applies), writes every record the collector hands over to the input in arrival
// order (records of concurrent connections interleave), and stops when Count records have arrived,
// Duration has passed or ctx ends (an interrupt: what has arrived is kept). It then writes corpus.json
// and the expected verdicts of the current pipeline. CEF records are written LF-framed unless one of
// them cannot be a line (it holds a LF, ends with a CR, or the first starts with a digit): then the
// whole input is octet-counted. Cloud NSS objects are written one per line (compacted). Receiving no
// record at all is an error, and leaves no corpus.
//
// A record over the line limit is a record too: it counts towards Count and has its place in the
// input. The collector skips such a record unread, so the input holds a placeholder in its place, an
// oversize record as well, whose verdict is the same (collector/dropped/malformed/oversize): the
// placeholder note (a JSON object holding it for Cloud NSS) padded with '.' to one byte over the limit.
func Record(ctx context.Context, listenAddr, dir string, opts RecordOptions) (RecordStats, error) {
	var st RecordStats
	var err error
	if st.StaleRemoved, err = removeStaleCaptures(dir); err != nil {
		return st, fmt.Errorf("corpus: record: removing a killed record's capture file: %w", err)
	}
	created, err := prepareDir(dir)
	if err != nil {
		return st, err
	}
	ok := false
	defer func() {
		if !ok && created {
			os.RemoveAll(dir)
		}
	}()
	tmp, err := os.CreateTemp(dir, captureTempPattern)
	if err != nil {
		return st, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	tryLock(tmp) // marks the capture file in use, for removeStaleCaptures of another Record

	if opts.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Duration)
		defer cancel()
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	cp := &capture{w: bufio.NewWriterSize(tmp, 256<<10), limit: opts.Count, stop: stop}
	l, err := collector.Listen(listenAddr, collector.Config{MaxLine: pipeline.DefaultMaxLine}, func(collector.Conn) collector.Handler {
		return &captureHandler{cp: cp}
	})
	if err != nil {
		return st, err
	}
	cp.mu.Lock()
	cp.json = l.Transport() == "http" || l.Transport() == "https"
	cp.mu.Unlock()
	st.URL = l.URL()
	if opts.Listening != nil {
		opts.Listening(st.URL)
	}
	<-ctx.Done()
	closeErr := l.Close()
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.done = true
	st.Records, st.Oversize, st.Streams = cp.records, cp.oversize, cp.streams
	if cp.err != nil {
		return st, fmt.Errorf("corpus: record: %w", cp.err)
	}
	if closeErr != nil && !errors.Is(closeErr, collector.ErrClosed) {
		return st, closeErr
	}
	if st.Records == 0 {
		return st, fmt.Errorf("corpus: record: no records arrived at %s", st.URL)
	}

	m := &Manifest{Description: opts.Description, Rules: Builtin, Mappings: Builtin,
		Provenance: Provenance{Source: fmt.Sprintf("recorded from %s at %s: %d records, %d streams",
			st.URL, time.Now().UTC().Format(time.RFC3339), st.Records, st.Streams)}}
	if st.Oversize > 0 {
		m.Provenance.Source += fmt.Sprintf("; %d of them oversize, skipped unread by the collector, so each is a placeholder (%q padded to %d bytes)",
			st.Oversize, placeholderNote, pipeline.DefaultMaxLine+1)
	}
	if m.Description == "" {
		m.Description = "a live feed recorded with 'nssbench corpus record'"
	}
	if m.Rules, err = copyInto(dir, opts.Rules, "rules"); err != nil {
		return st, err
	}
	if m.Mappings, err = copyInto(dir, opts.Mappings, "mappings"); err != nil {
		return st, err
	}
	if err := cp.w.Flush(); err != nil {
		return st, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return st, err
	}
	if cp.json {
		m.Format = FormatJSON
		err = writeCapturedJSON(bufio.NewReader(tmp), filepath.Join(dir, "input.jsonl"))
	} else {
		m.Format = FormatCEF
		m.Framing = "lf"
		if cp.needOctet {
			m.Framing = "octet"
		}
		st.Framing = m.Framing
		err = writeCapturedCEF(bufio.NewReader(tmp), filepath.Join(dir, "input.log"), cp.needOctet)
	}
	if err != nil {
		return st, err
	}
	if err := writeManifest(dir, m); err != nil {
		return st, err
	}
	c, err := Load(dir)
	if err != nil {
		return st, err
	}
	if st.Update, err = Update(context.WithoutCancel(ctx), c, nil); err != nil {
		return st, err
	}
	ok = true
	return st, nil
}

// capture is the shared state of one recording: records of every stream go, each behind its length
// plus one as a uvarint so that any byte survives, into one temporary file; a zero length stands for an
// oversize record.
type capture struct {
	mu        sync.Mutex
	w         *bufio.Writer
	buf       []byte
	limit     uint64
	stop      context.CancelFunc
	records   uint64 // oversize ones included
	oversize  uint64
	streams   uint64
	json      bool
	needOctet bool
	done      bool
	err       error
}

// captureHandler is one stream of a recording.
type captureHandler struct {
	cp   *capture
	seen bool
}

func (h *captureHandler) Record(rec []byte, f collector.Format, _ int64) {
	cp := h.cp
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if !h.take() {
		return
	}
	if f != collector.FormatJSON && (bytes.IndexByte(rec, '\n') >= 0 || (len(rec) > 0 && rec[len(rec)-1] == '\r') ||
		(cp.records == 0 && len(rec) > 0 && rec[0] >= '1' && rec[0] <= '9')) {
		cp.needOctet = true
	}
	cp.buf = append(binary.AppendUvarint(cp.buf[:0], uint64(len(rec))+1), rec...)
	h.write()
}

func (h *captureHandler) Oversize(int64) {
	cp := h.cp
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if !h.take() {
		return
	}
	cp.oversize++
	cp.buf = binary.AppendUvarint(cp.buf[:0], 0)
	h.write()
}

// take reports whether the recording takes another record, counting the stream at its first. The
// caller holds cp.mu.
func (h *captureHandler) take() bool {
	cp := h.cp
	if cp.done || cp.err != nil || (cp.limit > 0 && cp.records >= cp.limit) {
		return false
	}
	if !h.seen {
		h.seen = true
		cp.streams++
	}
	return true
}

// write appends cp.buf, one encoded record, to the capture and counts it, stopping the recording at
// its limit or on a write error. The caller holds cp.mu.
func (h *captureHandler) write() {
	cp := h.cp
	if _, err := cp.w.Write(cp.buf); err != nil {
		cp.err = err
		cp.stop()
		return
	}
	if cp.records++; cp.limit > 0 && cp.records >= cp.limit {
		cp.stop()
	}
}

func (h *captureHandler) Close(error) {}

// nextCaptured reads the next record of the temporary capture file into buf; oversize reports an
// oversize record, whose bytes the capture does not have.
func nextCaptured(br *bufio.Reader, buf []byte) (rec []byte, oversize bool, err error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return buf, false, err // io.EOF at the end
	}
	if n == 0 {
		return buf[:0], true, nil
	}
	buf = append(buf[:0], make([]byte, n-1)...)
	if _, err := io.ReadFull(br, buf); err != nil {
		return buf, false, fmt.Errorf("corpus: record: re-reading the capture: %w", err)
	}
	return buf, false, nil
}

// placeholderNote opens the placeholder Record writes for an oversize record.
const placeholderNote = "nssbench corpus record: placeholder for an oversize record, which the collector skips unread"

// placeholderStart is how a placeholder starts: the note, or for Cloud NSS the JSON object holding it.
func placeholderStart(asJSON bool) string {
	if asJSON {
		return `{"nssbench":"` + placeholderNote + `","pad":"`
	}
	return placeholderNote + " "
}

// appendPlaceholder appends a placeholder for an oversize record: placeholderStart padded with '.' to
// one byte over the pipeline's line limit (and closed, for JSON), an oversize record itself.
func appendPlaceholder(dst []byte, asJSON bool) []byte {
	start, end := placeholderStart(asJSON), ""
	if asJSON {
		end = `"}`
	}
	dst = append(dst, start...)
	for range pipeline.DefaultMaxLine + 1 - len(start) - len(end) {
		dst = append(dst, '.')
	}
	return append(dst, end...)
}

// writeCapturedCEF writes the captured records to path, LF-framed unless octet is set.
func writeCapturedCEF(tmp *bufio.Reader, path string, octet bool) error {
	out, err := createWrite(path)
	if err != nil {
		return err
	}
	defer out.Abort()
	var rec, buf []byte
	for {
		var oversize bool
		rec, oversize, err = nextCaptured(tmp, rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if oversize {
			rec = appendPlaceholder(rec[:0], false)
		}
		if octet {
			buf = framing.AppendOctet(buf[:0], rec)
		} else {
			buf = framing.AppendLF(buf[:0], rec)
		}
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
	return out.Commit()
}

// writeCapturedJSON writes the captured Cloud NSS objects to path, one compacted object per line.
func writeCapturedJSON(tmp *bufio.Reader, path string) error {
	out, err := createWrite(path)
	if err != nil {
		return err
	}
	defer out.Abort()
	var (
		jp       fastjson.Parser
		rec, buf []byte
	)
	for {
		var oversize bool
		rec, oversize, err = nextCaptured(tmp, rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if oversize {
			buf = append(appendPlaceholder(buf[:0], true), '\n')
			if _, err := out.Write(buf); err != nil {
				return err
			}
			continue
		}
		v, err := jp.ParseBytes(rec)
		if err != nil {
			return fmt.Errorf("corpus: record: a captured object is not JSON: %w", err)
		}
		buf = append(v.MarshalTo(buf[:0]), '\n')
		if _, err := out.Write(buf); err != nil {
			return err
		}
	}
	return out.Commit()
}

var _ collector.Handler = (*captureHandler)(nil)
