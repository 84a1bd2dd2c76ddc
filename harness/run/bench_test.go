package run

import (
	"context"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/scenarios"
)

// BenchmarkGenerateSend is the generator alone pushing lines through one loopback TCP connection into a
// collector that only counts them: generation, framing and the wire, with no pipeline. One op is one line.
func BenchmarkGenerateSend(b *testing.B) {
	for _, feed := range []string{"firewall", "default-mix"} {
		b.Run("feed="+feed, func(b *testing.B) {
			scn, err := scenarios.Builtin("default")
			if err != nil {
				b.Fatal(err)
			}
			if feed != "default-mix" {
				var kept = scn.Classes[:0:0]
				for _, c := range scn.Classes {
					if c.Feed == verdict.FeedFirewall && c.Malform == generator.MalformNone {
						kept = append(kept, c)
					}
				}
				scn.Classes = kept
			}
			gen, err := scenarios.GeneratorFor(scn, true)
			if err != nil {
				b.Fatal(err)
			}
			counter := &collectortest.Counter{}
			ln, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{}, counter.NewHandler)
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			tr, err := transport.Dial(context.Background(), ln.URL(), transport.Options{})
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 0, 64<<10)
			var bytes int64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				line, _ := gen.Append(buf[:0], uint64(i))
				buf = line[:0]
				bytes += int64(len(line) + 1)
				if err := tr.Send(uint64(i), line); err != nil {
					b.Fatal(err)
				}
			}
			if err := tr.Close(); err != nil {
				b.Fatal(err)
			}
			// The counter publishes when the stream closes, so this waits for the whole connection.
			for deadline := time.Now().Add(time.Minute); counter.Closed.Load() < 1; time.Sleep(50 * time.Microsecond) {
				if time.Now().After(deadline) {
					b.Fatal("the collector did not see the connection end")
				}
			}
			if got := counter.Records.Load() + counter.Oversize.Load(); got != int64(b.N) {
				b.Fatalf("counted %d of %d lines", got, b.N)
			}
			b.StopTimer()
			b.SetBytes(bytes / int64(b.N))
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
