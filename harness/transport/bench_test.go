package transport_test

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"os"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
	"github.com/nssbench/nssbench/harness/framing"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/scenarios"
)

// benchRecord is a realistic 602-byte NSS firewall CEF record.
func benchRecord(b *testing.B) []byte {
	data, err := os.ReadFile("testdata/fw-600.cef")
	if err != nil {
		b.Fatal(err)
	}
	return bytes.TrimSuffix(data, []byte{'\n'})
}

// waitRecords waits until the counter has seen n records or fails.
func waitRecords(b *testing.B, c *collectortest.Counter, n int64) {
	deadline := time.Now().Add(time.Minute)
	for c.Records.Load() < n {
		if time.Now().After(deadline) {
			b.Fatalf("collector received %d of %d records", c.Records.Load(), n)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// BenchmarkSender measures the wire and framing: one connection from a Sender to a loopback collector
// whose handler only counts. One op is one ~600 B record; the timed part includes the final flush and
// the collector handing over the last record (so it uses a b.N loop, not b.Loop). The
// transport=tcp/writer=bufio case is a baseline: bufio.Writer with AppendLF. UDP counts records sent;
// the kernel may drop some, so it is checked against Written, not the collector. Run:
//
//	go test -run '^$' -bench Sender -benchmem -count 6 ./harness/transport/ | tee new.txt && benchstat new.txt
func BenchmarkSender(b *testing.B) {
	rec := benchRecord(b)
	server, client := collectortest.SelfSigned(b)
	for _, tc := range []struct{ name, scheme, framing string }{
		{"transport=tcp/framing=lf", "tcp", "lf"},
		{"transport=tcp/framing=octet", "tcp", "octet"},
		{"transport=tls/framing=lf", "tls", "lf"},
		{"transport=udp", "udp", "lf"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var c collectortest.Counter
			l, err := collector.Listen(tc.scheme+"://127.0.0.1:0", collector.Config{TLS: server}, c.NewHandler)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			s, err := transport.Dial(context.Background(), l.URL(), transport.Options{Framing: tc.framing, TLS: client})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(rec)))
			b.ResetTimer()
			for range b.N {
				if err := s.Send(0, rec); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			if tc.scheme != "udp" {
				waitRecords(b, &c, int64(b.N))
			}
			b.StopTimer()
			if got := s.Written(); got != int64(b.N) {
				b.Fatalf("Written() = %d; want %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
	b.Run("transport=tcp/writer=bufio", func(b *testing.B) {
		var c collectortest.Counter
		l, err := collector.Listen("tcp://127.0.0.1:0", collector.Config{}, c.NewHandler)
		if err != nil {
			b.Fatal(err)
		}
		defer l.Close()
		conn, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(conn, 64<<10)
		buf := make([]byte, 0, 1024)
		b.ReportAllocs()
		b.SetBytes(int64(len(rec)))
		b.ResetTimer()
		for range b.N {
			buf = framing.AppendLF(buf[:0], rec)
			if _, err := w.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		conn.Close()
		waitRecords(b, &c, int64(b.N))
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}

// countingLedger counts what a Sender reports.
type countingLedger struct{ lostN, riskyN, retriedN uint64 }

func (l *countingLedger) Lost(uint64, string) { l.lostN++ }
func (l *countingLedger) AtRisk(n uint64)     { l.riskyN += n }
func (l *countingLedger) Retried(uint64)      { l.retriedN++ }

// BenchmarkStreamTargetSend frames and writes generated records (the default scenario's mix) to a
// loopback listener that reads and discards, through a stream Sender as an external run uses it: with a
// Ledger, so each buffer carries its records' sequence numbers and every write is followed by an
// acknowledgement sample. Run:
//
//	go test -run '^$' -bench StreamTargetSend -benchmem -count 6 ./harness/transport/ | tee new.txt   # then benchstat old.txt new.txt
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
	discard := collectortest.Discard(b)
	for _, framing := range []string{"lf", "octet"} {
		b.Run("framing="+framing, func(b *testing.B) {
			led := new(countingLedger)
			s, err := transport.Dial(context.Background(), "tcp://"+discard, transport.Options{Framing: framing, WriteTimeout: 10 * time.Second, Ledger: led})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(total / window))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Send(uint64(i), lines[i%window]); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if s.Written() != int64(b.N) || led.lostN != 0 {
				b.Fatalf("%d records written, %d lost; want %d written", s.Written(), led.lostN, b.N)
			}
		})
	}
}
