package run

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/scenarios"
)

// Benchmarks of the external sender's hot path. Run:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./harness/run/ | tee new.txt   # then benchstat old.txt new.txt

// countingLedger counts what a target reports.
type countingLedger struct{ lostN, riskyN, retriedN uint64 }

func (l *countingLedger) lost(uint64, string) { l.lostN++ }
func (l *countingLedger) atRisk(n uint64)     { l.riskyN += n }
func (l *countingLedger) retried(uint64)      { l.retriedN++ }

// BenchmarkStreamTargetSend frames and writes generated records (the default scenario's mix) to a
// loopback collector that reads and discards, through the stream target: buffering, framing, one write
// and one acknowledgement sample per 64 KiB.
func BenchmarkStreamTargetSend(b *testing.B) {
	scn, err := scenarios.Builtin("default")
	if err != nil {
		b.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		b.Fatal(err)
	}
	const window = 1024
	lines := make([][]byte, window)
	total := 0
	for i := range lines {
		lines[i], _ = gen.Append(nil, uint64(i))
		total += len(lines[i])
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	for _, framing := range []string{"lf", "octet"} {
		b.Run("framing="+framing, func(b *testing.B) {
			led := new(countingLedger)
			cfg := &Config{Target: "tcp://" + ln.Addr().String(), Framing: framing, WriteTimeout: 10 * time.Second}
			tg, err := dialStream(context.Background(), cfg, "tcp", led, func() time.Time { return time.Time{} })
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(total / window))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := tg.send(uint64(i), lines[i%window]); err != nil {
					b.Fatal(err)
				}
			}
			if err := tg.close(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if tg.nWritten != uint64(b.N) || led.lostN != 0 {
				b.Fatalf("%d records written, %d lost; want %d written", tg.nWritten, led.lostN, b.N)
			}
		})
	}
}

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
				if err := tr.Send(line); err != nil {
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

// BenchmarkPacing runs the sender's pacing loop (the pacer's schedule and sleepUntil, with a trivial
// event) for one second at each rate and reports how far the achieved rate is from the target, in
// percent: the events sent over the time from the start to the last event. It measures the pacing
// alone; generating and sending cost what BenchmarkGenerateSend says, so a rate above one connection's
// capacity needs more connections or shards.
func BenchmarkPacing(b *testing.B) {
	for _, rate := range []float64{1e3, 1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("rate=%g", rate), func(b *testing.B) {
			p := pacer.Constant{Rate: rate, Limit: pacer.Limit{Duration: time.Second}}
			var worst float64
			for i := 0; i < b.N; i++ {
				start := time.Now()
				now := func() int64 { return int64(time.Since(start)) }
				var n uint64
				var last time.Duration
				for ; ; n++ {
					due, ok := p.Due(n)
					if !ok {
						break
					}
					sleepUntil(context.Background(), now, due)
					last = time.Since(start)
				}
				achieved := float64(n-1) / last.Seconds()
				if dev := 100 * math.Abs(achieved-rate) / rate; dev > worst {
					worst = dev
				}
			}
			b.ReportMetric(worst, "%off-target")
		})
	}
}
