package html_test

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/nssbench/nssbench/reports/html"
)

// BenchmarkRender measures a whole page: building the view, decoding four HDR histograms for the
// percentile curves, executing the template and inlining uPlot. The renderer runs once per report, off
// every hot path; the figure shows it stays negligible next to a run, and how the page grows with the
// timeline. For benchstat:
//
//	go test -run '^$' -bench Render -benchmem -count 6 ./reports/html
func BenchmarkRender(b *testing.B) {
	for _, seconds := range []int{30, 600} {
		rep := sampleReport(b, sampleConfig{seconds: seconds, peak: 800})
		b.Run("seconds="+strconv.Itoa(seconds), func(b *testing.B) {
			var buf bytes.Buffer
			if err := html.HTML.Render(&buf, rep); err != nil {
				b.Fatal(err)
			}
			size := buf.Len()
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				buf.Reset()
				if err := html.HTML.Render(&buf, rep); err != nil {
					b.Fatal(err)
				}
				if buf.Len() != size {
					b.Fatalf("page is %d bytes; want %d", buf.Len(), size)
				}
			}
			b.ReportMetric(float64(size), "page-bytes")
		})
	}
}
