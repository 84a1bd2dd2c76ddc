package run

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

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
	gen, err := GeneratorFor(scn, true)
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
