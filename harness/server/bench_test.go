package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/scenarios"
)

// feedLines generates n distinct lines of one built-in feed from the default scenario's classes.
func feedLines(tb testing.TB, feed string, n int) [][]byte {
	tb.Helper()
	f, err := feeds.ByName(feed)
	if err != nil {
		tb.Fatal(err)
	}
	scn, err := scenarios.Builtin("default")
	if err != nil {
		tb.Fatal(err)
	}
	var classes []generator.Class
	for _, c := range scn.Classes {
		if c.Feed == f.Log && c.Malform == generator.MalformNone {
			classes = append(classes, c)
		}
	}
	prog, err := f.Compile(feeds.Options{RecordTracking: true})
	if err != nil {
		tb.Fatal(err)
	}
	cfg := generator.Config{Seed: 1, Classes: classes}
	cfg.Programs[f.Log] = prog
	g, err := generator.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	lines := make([][]byte, n)
	for i := range lines {
		lines[i], _ = g.Append(nil, uint64(i))
	}
	return lines
}

// BenchmarkCollectorPath measures the whole reference collector path over one loopback TCP connection:
// a sender frames pre-generated NSS lines, the collector reads and frames them, the pipeline parses,
// filters and maps each one, and a counter takes the verdict. One op is one record.
//
//	go test -run '^$' -bench CollectorPath -benchmem -count 6 ./harness/server | benchstat -
func BenchmarkCollectorPath(b *testing.B) {
	for _, feed := range []string{"firewall", "web"} {
		b.Run("feed="+feed, func(b *testing.B) {
			lines := feedLines(b, feed, 4096)
			var size int
			for _, l := range lines {
				size += len(l) + 1
			}
			srv, err := Start(Config{
				Listen:   []string{"tcp://127.0.0.1:0"},
				Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
			})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			tr, err := transport.Dial(context.Background(), srv.URLs()[0], transport.Options{BufferSize: 256 << 10})
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Close()
			b.SetBytes(int64(size / len(lines)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := tr.Send(0, lines[i%len(lines)]); err != nil {
					b.Fatal(err)
				}
			}
			if err := tr.Flush(); err != nil {
				b.Fatal(err)
			}
			want := uint64(b.N)
			for deadline := time.Now().Add(time.Minute); srv.Counters().Received.Load() < want; {
				if time.Now().After(deadline) {
					b.Fatalf("collector decided %d of %d records", srv.Counters().Received.Load(), want)
				}
				time.Sleep(50 * time.Microsecond)
			}
			b.StopTimer()
			c := srv.Counters()
			if c.Alerts.Load()+c.Dropped.Load() != want || c.Detail(verdict.DetailBadHeader) != 0 {
				b.Fatalf("counters do not balance or lines were malformed: %s", c)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func ExampleServer() {
	srv, err := Start(Config{
		Listen:   []string{"tcp://127.0.0.1:0"},
		Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
	})
	if err != nil {
		panic(err)
	}
	tr, _ := transport.Dial(context.Background(), srv.URLs()[0], transport.Options{})
	tr.Send(0, []byte("Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow"))
	tr.Close()
	for srv.Counters().Received.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	srv.Close()
	fmt.Println(srv.Counters())
	// Output: received 1: alerts 1 (mapped 1), dropped 0
}

// BenchmarkUDPRecord measures one UDP record through the server's handler, without sockets: decide,
// count and follow its record id for the gap estimate. One op is one record.
//
//	go test -run '^$' -bench UDPRecord -benchmem -count 6 ./harness/server | benchstat -
func BenchmarkUDPRecord(b *testing.B) {
	lines := feedLines(b, "firewall", 4096)
	s := &Server{cfg: Config{Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})}}
	h := s.newHandler(collector.Conn{ID: 1, Transport: "udp"})
	b.SetBytes(int64(len(lines[0])))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.Record(lines[i%len(lines)], collector.FormatCEF, 0)
		i++
	}
	if _, ok := s.udpIDs.gaps(); !ok {
		b.Fatal("no record id followed")
	}
}
