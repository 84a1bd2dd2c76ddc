package framing

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"testing"
)

// benchRecords returns the derived NSS firewall and DNS CEF lines in testdata (898 and 697 bytes, about
// the size of a typical NSS record; the 3 KB web line is left out).
func benchRecords(tb testing.TB) [][]byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/derived-cef.log")
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		if len(line) < 1024 {
			out = append(out, line)
		}
	}
	if len(out) != 2 {
		tb.Fatalf("testdata/derived-cef.log: %d records under 1 KiB; want 2", len(out))
	}
	return out
}

// benchStream frames n records, cycling through recs.
func benchStream(recs [][]byte, f Framing, n int) []byte {
	var stream []byte
	for i := range n {
		stream = f.Append(stream, recs[i%len(recs)])
	}
	return stream
}

// BenchmarkReader reads a 4 MB stream of ~800 B NSS records with each framing, beside bufio.Scanner as
// a LF baseline. Run:
//
//	go test -run '^$' -bench Reader -benchmem -count 6 ./harness/framing/ | tee new.txt && benchstat new.txt
func BenchmarkReader(b *testing.B) {
	recs := benchRecords(b)
	const n = 5000
	for _, f := range []Framing{FramingLF, FramingOctet} {
		stream := benchStream(recs, f, n)
		b.Run("framing="+f.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(stream)))
			br := bytes.NewReader(stream)
			r := NewReader(br, 0)
			for b.Loop() {
				br.Reset(stream)
				r.Reset(br)
				got := 0
				for {
					rec, err := r.Next()
					if err != nil {
						break
					}
					if len(rec) < 600 {
						b.Fatalf("record %d is %d bytes", got, len(rec))
					}
					got++
				}
				if got != n {
					b.Fatalf("read %d records; want %d", got, n)
				}
			}
		})
	}
	for _, f := range []Framing{FramingLF, FramingOctet} {
		stream := benchStream(recs, f, n)
		b.Run("framing="+f.String()+"/input=half-oversize", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(stream)))
			br := bytes.NewReader(stream)
			r := NewReader(br, 700) // the 898 B firewall lines are oversize, the 697 B DNS lines not
			for b.Loop() {
				br.Reset(stream)
				r.Reset(br)
				got, over := 0, 0
				for {
					_, err := r.Next()
					if err == nil {
						got++
						continue
					}
					if errors.Is(err, ErrOversize) {
						over++
						continue
					}
					break
				}
				if got != n/2 || over != n/2 {
					b.Fatalf("read %d records, %d oversize; want %d each", got, over, n/2)
				}
			}
		})
	}
	stream := benchStream(recs, FramingLF, n)
	b.Run("framing=lf/reader=bufio.Scanner", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(stream)))
		buf := make([]byte, 64<<10)
		for b.Loop() {
			sc := bufio.NewScanner(bytes.NewReader(stream))
			sc.Buffer(buf, len(buf))
			got := 0
			for sc.Scan() {
				got++
			}
			if got != n {
				b.Fatalf("read %d records; want %d", got, n)
			}
		}
	})
}

// BenchmarkAppend frames one ~800 B record.
func BenchmarkAppend(b *testing.B) {
	rec := benchRecords(b)[0]
	for _, f := range []Framing{FramingLF, FramingOctet} {
		b.Run("framing="+f.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(rec)))
			dst := make([]byte, 0, 2048)
			for b.Loop() {
				dst = f.Append(dst[:0], rec)
				if len(dst) <= len(rec) {
					b.Fatalf("framed %d bytes", len(dst))
				}
			}
		})
	}
}
