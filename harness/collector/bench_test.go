package collector

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkSplitBatch splits and validates a Cloud NSS batch (the five testdata objects, as an array
// and as NDJSON), beside encoding/json decoding the array into raw messages as a baseline. Run:
//
//	go test -run '^$' -bench SplitBatch -benchmem -count 6 ./harness/collector/ | tee new.txt && benchstat new.txt
func BenchmarkSplitBatch(b *testing.B) {
	data, err := os.ReadFile("testdata/cloud-nss.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	objs := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	bodies := map[string][]byte{
		"body=array":  append(append([]byte{'['}, bytes.Join(objs, []byte{','})...), ']'),
		"body=ndjson": data,
	}
	for _, name := range []string{"body=array", "body=ndjson"} {
		body := bodies[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			var spans []span
			for b.Loop() {
				spans, err = splitBatch(spans[:0], body, 0)
				if err != nil || len(spans) != len(objs) {
					b.Fatalf("splitBatch = %d spans, %v; want %d", len(spans), err, len(objs))
				}
			}
		})
	}
	b.Run("body=array/decoder=encoding-json", func(b *testing.B) {
		body := bodies["body=array"]
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var raw []json.RawMessage
			if err := json.Unmarshal(body, &raw); err != nil || len(raw) != len(objs) {
				b.Fatalf("json.Unmarshal = %d objects, %v", len(raw), err)
			}
		}
	})
}
