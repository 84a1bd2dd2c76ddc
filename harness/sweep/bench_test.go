package sweep

import (
	"bytes"
	"context"
	"strconv"
	"testing"
)

// The sweep runs once per capacity plan, off every hot path: these benchmarks show that the search and
// the renderers cost nothing next to a single step (seconds of load). For benchstat:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./harness/sweep

// BenchmarkSearch measures a whole search against a fake collector: thresholds judged on every step.
func BenchmarkSearch(b *testing.B) {
	for _, capacity := range []float64{10700, 3.3e6} {
		b.Run("capacity="+strconv.FormatFloat(capacity, 'g', -1, 64), func(b *testing.B) {
			b.ReportAllocs()
			var asked []float64
			run := capacityRun(capacity, &asked)
			for b.Loop() {
				asked = asked[:0]
				res, err := Run(context.Background(), Config{Start: 1000, Run: run})
				if err != nil || !res.Converged() || res.Best > capacity || res.Knee <= capacity {
					b.Fatalf("sweep of a %g/s collector: %v, %+v", capacity, err, res)
				}
			}
		})
	}
}

// BenchmarkWrite measures rendering a converged nine-step result in each format; bytes are the output's.
func BenchmarkWrite(b *testing.B) {
	res := sampleResult(b)
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"format=text", func(w *bytes.Buffer) error { return Text.Render(w, res) }},
		{"format=json", func(w *bytes.Buffer) error { return JSON.Render(w, res) }},
		{"format=html", func(w *bytes.Buffer) error { return HTML.Render(w, res) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := f.write(&buf); err != nil {
				b.Fatal(err)
			}
			size := buf.Len()
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := f.write(&buf); err != nil || buf.Len() != size {
					b.Fatalf("wrote %d bytes, %v; want %d", buf.Len(), err, size)
				}
			}
		})
	}
}
