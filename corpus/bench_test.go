package corpus

// Benchmarks. For benchstat:
//
//	go test -run '^$' -bench . -benchmem -count 6 -cpu 1 ./corpus/ | tee new.txt
//
// BenchmarkVerify/records=1M generates its corpus (1 M records of the default scenario, seed 1, zstd,
// about 1.9 GB uncompressed) into a temporary directory once per process, which takes a while, and
// removes it at exit.

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// big is the 1 M-record corpus, made on first use.
var big struct {
	once  sync.Once
	dir   string
	bytes int64 // uncompressed input size
	err   error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

// bigCorpus returns the 1 M-record corpus and its uncompressed input size.
func bigCorpus(b *testing.B) (string, int64) {
	big.once.Do(func() {
		if big.dir, big.err = os.MkdirTemp("", "nssbench-corpus-bench-"); big.err != nil {
			return
		}
		dir := filepath.Join(big.dir, "generated-1M")
		start := time.Now()
		if _, big.err = New(context.Background(), dir, NewOptions{Scenario: "default", Seed: 1, Count: 1_000_000, Compress: true}); big.err != nil {
			return
		}
		big.dir = dir
		big.bytes, big.err = inputSize(dir)
		b.Logf("made %s (%d input bytes) in %v", dir, big.bytes, time.Since(start).Round(time.Second))
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.dir, big.bytes
}

// inputSize returns the uncompressed size of a corpus's input.
func inputSize(dir string) (int64, error) {
	c, err := Load(dir)
	if err != nil {
		return 0, err
	}
	rf, err := openRead(c.Input)
	if err != nil {
		return 0, err
	}
	defer rf.Close()
	return io.Copy(io.Discard, rf)
}

// BenchmarkVerify verifies whole generated corpora in-process: zstd decoding, framing, deciding and
// comparing every record. Target: 1 M records in under 2 s on one core.
func BenchmarkVerify(b *testing.B) {
	for _, bc := range []struct {
		name string
		dir  func(b *testing.B) (string, int64)
	}{
		{"records=100k", func(b *testing.B) (string, int64) {
			n, err := inputSize(generatedDir)
			if err != nil {
				b.Fatal(err)
			}
			return generatedDir, n
		}},
		{"records=1M", bigCorpus},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir, size := bc.dir(b)
			c, err := Load(dir)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(size)
			b.ResetTimer()
			var records uint64
			for b.Loop() {
				res, err := Verify(context.Background(), c, VerifyOptions{})
				if err != nil || !res.OK() || res.Records == 0 {
					b.Fatalf("Verify = %v, %d records, %d mismatches", err, res.Records, res.Mismatched)
				}
				records = res.Records
			}
			b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkCheck measures deciding and comparing one record (no I/O): the byte-equal fast path, the
// parsed path for an expected line in another member order, and a naive baseline that decodes the
// expected line with encoding/json into a map.
func BenchmarkCheck(b *testing.B) {
	rec := &inputRecord{data: []byte(rdpAllow)}
	for _, bc := range []struct{ name, line string }{{"expected=canonical", rdpVerdict}, {"expected=reordered", rdpVerdictReorder}} {
		b.Run(bc.name, func(b *testing.B) {
			k := newRepeatChecker(b, bc.line)
			b.ReportAllocs()
			b.SetBytes(int64(len(rdpAllow)))
			for b.Loop() {
				if err := k.check(rec); err != nil {
					b.Fatal(err)
				}
			}
			if k.res.Mismatched != 0 {
				b.Fatalf("%d mismatches", k.res.Mismatched)
			}
		})
	}
	b.Run("expected=canonical/compare=naive-encoding-json", func(b *testing.B) {
		k := newRepeatChecker(b, rdpVerdict)
		br := bufio.NewReader(&repeatReader{line: []byte(rdpVerdict + "\n")})
		b.ReportAllocs()
		b.SetBytes(int64(len(rdpAllow)))
		for b.Loop() {
			k.dec.Decide(rec.data, &k.v)
			line, _ := br.ReadSlice('\n')
			var want, got map[string]any
			if json.Unmarshal(line, &want) != nil || json.Unmarshal(k.v.AppendJSON(k.got[:0]), &got) != nil {
				b.Fatal("bad JSON")
			}
			for key, w := range want {
				if got[key] != w {
					b.Fatalf("%s: got %v, want %v", key, got[key], w)
				}
			}
		}
	})
}
