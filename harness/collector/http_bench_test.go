package collector_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

// BenchmarkHTTPPost posts one Cloud NSS batch of 1,000 objects (the testdata samples repeated) per op
// over a loopback keep-alive connection, plain and gzip, to a Listener whose handler only counts: the
// whole HTTP listener path, admission and limits included. Run:
//
//	go test -run '^$' -bench HTTPPost -benchmem -count 6 ./harness/collector/ | tee new.txt && benchstat new.txt
func BenchmarkHTTPPost(b *testing.B) {
	data, err := os.ReadFile("testdata/cloud-nss.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	objs := strings.Split(strings.TrimSpace(string(data)), "\n")
	const n = 1000
	batch := make([]string, n)
	for i := range batch {
		batch[i] = objs[i%len(objs)]
	}
	plain := []byte("[" + strings.Join(batch, ",") + "]")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	for _, tc := range []struct {
		name, encoding string
		body           []byte
	}{{"encoding=identity", "", plain}, {"encoding=gzip", "gzip", gz.Bytes()}} {
		b.Run(tc.name, func(b *testing.B) {
			var cnt collectortest.Counter
			l, err := collector.Listen("http://127.0.0.1:0", collector.Config{}, cnt.NewHandler)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			hc := &http.Client{}
			b.SetBytes(int64(len(plain)))
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequest("POST", l.URL(), bytes.NewReader(tc.body))
				if tc.encoding != "" {
					req.Header.Set("Content-Encoding", tc.encoding)
				}
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
