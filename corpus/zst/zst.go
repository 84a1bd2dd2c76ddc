// Package zst reads and writes the files that a ".zst" suffix marks zstd-compressed: corpus files and
// the output of `nssbench gen -o`. Zstd coders are expensive to make, so they are pooled and reused.
package zst

import (
	"io"
	"os"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Suffix marks a zstd-compressed file.
const Suffix = ".zst"

// Compressed reports whether path names a zstd-compressed file.
func Compressed(path string) bool { return strings.HasSuffix(path, Suffix) }

// Level is how hard a Writer compresses.
type Level int

const (
	// Fast is zstd's default level: for generated output, written as fast as it is made.
	Fast Level = iota
	// Small compresses better at some cost in speed: shipped corpora stay small, and writing 1 M
	// records still takes seconds.
	Small
	// Smallest is zstd's best level: for the golden files shipped in the repository.
	Smallest
)

var (
	decoders = sync.Pool{New: func() any {
		d, err := zstd.NewReader(nil)
		if err != nil {
			panic("BUG: zstd.NewReader: " + err.Error())
		}
		return d
	}}
	encoders = [...]sync.Pool{
		Fast:     {New: func() any { return newEncoder(zstd.SpeedDefault) }},
		Small:    {New: func() any { return newEncoder(zstd.SpeedBetterCompression) }},
		Smallest: {New: func() any { return newEncoder(zstd.SpeedBestCompression) }},
	}
)

func newEncoder(l zstd.EncoderLevel) *zstd.Encoder {
	e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(l))
	if err != nil {
		panic("BUG: zstd.NewWriter: " + err.Error())
	}
	return e
}

// Writer compresses into another writer with a pooled encoder. Close or Discard returns the encoder;
// neither closes the writer underneath.
type Writer struct {
	enc   *zstd.Encoder
	level Level
}

// NewWriter returns a Writer compressing into w at level l.
func NewWriter(w io.Writer, l Level) *Writer {
	enc := encoders[l].Get().(*zstd.Encoder)
	enc.Reset(w)
	return &Writer{enc: enc, level: l}
}

// Write compresses p.
func (z *Writer) Write(p []byte) (int, error) { return z.enc.Write(p) }

// Close writes the end of the compressed stream and returns the encoder to its pool.
func (z *Writer) Close() error {
	if z.enc == nil {
		return nil
	}
	err := z.enc.Close()
	z.release()
	return err
}

// Discard drops what is not written yet and returns the encoder to its pool.
func (z *Writer) Discard() {
	if z.enc != nil {
		z.enc.Reset(io.Discard)
		z.release()
	}
}

func (z *Writer) release() {
	encoders[z.level].Put(z.enc)
	z.enc = nil
}

// Compress appends src, compressed at level l as one zstd frame, to dst.
func Compress(dst, src []byte, l Level) []byte {
	enc := encoders[l].Get().(*zstd.Encoder)
	defer encoders[l].Put(enc)
	return enc.EncodeAll(src, dst)
}

// Create creates the file path for writing, compressed at level l when path ends in ".zst". Close
// ends the compressed stream and closes the file, returning the first error.
func Create(path string, l Level) (io.WriteCloser, error) {
	f, err := os.Create(path)
	switch {
	case err != nil:
		return nil, err
	case !Compressed(path):
		return f, nil
	}
	return &fileWriter{Writer: NewWriter(f, l), f: f}, nil
}

// CreateOrStdout is Create, or stdout when path is "" (closing it then does nothing).
func CreateOrStdout(path string, stdout io.Writer, l Level) (io.WriteCloser, error) {
	if path == "" {
		return nopCloser{stdout}, nil
	}
	return Create(path, l)
}

// nopCloser is a writer whose Close does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// fileWriter is a compressed file being written.
type fileWriter struct {
	*Writer
	f *os.File
}

func (fw *fileWriter) Close() error {
	err := fw.Writer.Close()
	if cerr := fw.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Reader decompresses another reader with a pooled decoder. Close returns the decoder; it does not
// close the reader underneath.
type Reader struct {
	dec *zstd.Decoder
}

// NewReader returns a Reader decompressing r.
func NewReader(r io.Reader) (*Reader, error) {
	dec := decoders.Get().(*zstd.Decoder)
	if err := dec.Reset(r); err != nil {
		decoders.Put(dec)
		return nil, err
	}
	return &Reader{dec: dec}, nil
}

// Read decompresses into p.
func (z *Reader) Read(p []byte) (int, error) { return z.dec.Read(p) }

// Close returns the decoder to its pool.
func (z *Reader) Close() error {
	if z.dec != nil {
		_ = z.dec.Reset(nil) // releases the reader; cannot fail with a nil one
		decoders.Put(z.dec)
		z.dec = nil
	}
	return nil
}
