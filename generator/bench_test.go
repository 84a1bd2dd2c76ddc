package generator_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
)

// BenchmarkGenerate measures the whole generator (class draw, values, rendering) per line, written to
// io.Discard, for each built-in CEF feed over the library's well-formed classes of that feed, beside a
// naive fmt.Sprintf generator of the firewall format. MB/s is bytes of generated lines. For benchstat:
//
//	go test -run '^$' -bench BenchmarkGenerate -benchmem -count 6 ./generator/
func BenchmarkGenerate(b *testing.B) {
	for _, name := range []string{"web", "web-short", "firewall", "dns"} {
		b.Run("feed="+name, func(b *testing.B) {
			g, _ := feedGenerator(b, name, 1, func(_ *feeds.Feed, c *generator.Class) bool { return wellFormed(c) })
			b.SetBytes(int64(averageLine(func(dst []byte, seq uint64) []byte { dst, _ = g.Append(dst, seq); return dst })))
			b.ReportAllocs()
			buf := make([]byte, 0, 1<<14)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var l generator.Label
				buf, l = g.Append(buf[:0], uint64(i))
				if len(buf) < 100 || l.Seq != uint64(i) {
					b.Fatalf("Append(%d) = %d bytes, label %+v", i, len(buf), l)
				}
				_, _ = io.Discard.Write(buf)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
	b.Run("feed=firewall-naive-fmt", func(b *testing.B) {
		n := newNaiveFirewall(1)
		b.SetBytes(int64(averageLine(func(dst []byte, seq uint64) []byte { return append(dst, n.line(seq)...) })))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			line := n.line(uint64(i))
			if len(line) < 100 {
				b.Fatalf("naive line %d: %d bytes", i, len(line))
			}
			_, _ = io.WriteString(io.Discard, line)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
}

// averageLine returns the mean length of 1000 lines of gen.
func averageLine(gen func(dst []byte, seq uint64) []byte) int {
	total := 0
	var buf []byte
	for s := uint64(0); s < 1000; s++ {
		buf = gen(buf[:0], 1_000_000+s)
		total += len(buf)
	}
	return total / 1000
}

// naiveFirewall is the straightforward way to write a generator: math/rand, time.Format and one
// fmt.Sprintf of the firewall format per line. It is the baseline BenchmarkGenerate compares with.
type naiveFirewall struct {
	seed                   uint64
	users, rules, services []string
}

func newNaiveFirewall(seed uint64) *naiveFirewall {
	n := &naiveFirewall{seed: seed}
	for i := 0; i < 500; i++ {
		n.users = append(n.users, fmt.Sprintf("user%d@example.com", i))
	}
	n.rules = []string{"Default Firewall Filtering Rule", "Zscaler Proxy Traffic", "Office 365 One Click Rule", "RDP Allow"}
	n.services = []string{"HTTPS", "QUIC", "DNS", "HTTP"}
	return n
}

func (n *naiveFirewall) line(seq uint64) string {
	r := rand.New(rand.NewPCG(n.seed, seq))
	t := time.Date(2024, 6, 11, 2, 52, 44, 0, time.UTC).Add(time.Duration(seq) * time.Millisecond)
	action := "Allow"
	if r.IntN(4) == 0 {
		action = "Drop"
	}
	rule := n.rules[r.IntN(len(n.rules))]
	sessions := 1 + r.IntN(20)
	dur := r.IntN(100000)
	return fmt.Sprintf("%s zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|%s|%s|3| Severity=3 name=%s deviceEventClassId=%s act=%s suser=%s src=%s spt=%d dst=%s dpt=%d deviceTranslatedAddress=%s deviceTranslatedPort=%d destinationTranslatedAddress=%s destinationTranslatedPort=%d sourceTranslatedAddress=%s sourceTranslatedPort=%d proto=%s tunnelType=%s dnat=%s stateful=%s spriv=%s reason=%s in_bytes=%d in=%d out=%d deviceDirection=1 cs1=%s cs1Label=dept cs2=%s cs2Label=nwService cs3=%s cs3Label=nwApp cs4=%s cs4Label=aggregated cs5=%s cs5Label=threatcat cs6=%s cs6label=threatname cn1=%d cn1Label=durationms cn2=%d cn2Label=numsessions flexString1Label=ipCat flexString1=%s destCountry=%s avgduration=%d externalId=%d",
		t.Format("Jan 02 15:04:05"), action, rule, rule, action, action, n.users[r.IntN(len(n.users))],
		fmt.Sprintf("10.10.%d.%d", r.IntN(256), r.IntN(256)), 49152+r.IntN(16000),
		fmt.Sprintf("192.0.2.%d", 1+r.IntN(254)), 443, "198.51.100.200", r.IntN(65535), "192.0.2.10", 443,
		"203.0.113.10", 0, "TCP", "ZscalerClientConnector", "No", "Yes", "Road Warrior", rule,
		r.IntN(100000), r.IntN(100000), r.IntN(10000), "Engineering", n.services[r.IntN(len(n.services))], "https",
		"No", "None", "None", dur, sessions, "Miscellaneous or Unknown", "United States", dur/sessions, 7000000000000000000+seq)
}
