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
				if err := s.Send(rec); err != nil {
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
