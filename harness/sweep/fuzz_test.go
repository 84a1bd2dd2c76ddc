package sweep

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzDecode checks that Decode never panics and that what it accepts survives JSON unchanged:
// decode → encode → decode is a fixed point.
func FuzzDecode(f *testing.F) {
	var sample bytes.Buffer
	if err := JSON.Render(&sample, sampleResult(f)); err != nil {
		f.Fatal(err)
	}
	f.Add(sample.Bytes())                                             // a converged sweep
	f.Add([]byte(`{"schema":"nssbench.sweep/v1"}`))                   // the least that decodes
	f.Add([]byte(`{"schema":"nssbench.sweep/v1","stop":"max_rate"}`)) // another stop reason
	f.Add([]byte(`{"schema":"nssbench.sweep/v1","steps":[{"phase":"bisect","thresholds":null}]}`))
	f.Add([]byte(`{"schema":"nssbench.report/v1"}`)) // another schema
	f.Add([]byte(`{"schema":"nssbench.sweep/v1","stop":"bored"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := JSON.Render(&buf, res); err != nil {
			t.Fatalf("JSON of a decoded result: %v", err)
		}
		again, err := Decode(&buf)
		if err != nil {
			t.Fatalf("Decode(JSON(Decode(%q))): %v", data, err)
		}
		if !reflect.DeepEqual(again, res) {
			t.Fatalf("round trip changed the result:\n%+v\n%+v", res, again)
		}
	})
}
