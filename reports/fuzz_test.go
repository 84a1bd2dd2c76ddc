package reports

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// FuzzDecode: any input is rejected with an error or decodes into a report that merges, renders in every
// format and survives a JSON round trip.
func FuzzDecode(f *testing.F) {
	r := NewRecorder(RecorderConfig{Classes: sampleClasses[:2], Start: testStart, MaxExamples: 1})
	feedAll(r, sampleStream(5, 50, 10*time.Millisecond))
	var buf bytes.Buffer
	if err := JSON.Render(&buf, r.Report(testMeta)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())                           // a valid report
	f.Add([]byte(`{"schema":"` + Schema + `"}`)) // the smallest valid report
	f.Add([]byte(`{"schema":"` + Schema + `","timeline":[{"unix":3,"e2e":[[1,2]]},{"unix":9}]}`))
	f.Add([]byte(`{"schema":"` + Schema + `","drops":[{"stage":"collector","reason":"reason(7)","count":1}]}`))
	f.Add([]byte(`{"schema":"nssbench.report/v0"}`)) // wrong schema
	f.Add([]byte(`{`))                               // truncated
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		m, err := Merge(rep)
		if err != nil {
			t.Fatalf("a decoded report does not merge: %v", err)
		}
		for _, rd := range []Renderer{Text, Markdown, JSON} {
			if err := rd.Render(io.Discard, m); err != nil {
				t.Fatalf("%T: %v", rd, err)
			}
		}
		var out bytes.Buffer
		if err := JSON.Render(&out, m); err != nil {
			t.Fatal(err)
		}
		again, err := Decode(&out)
		if err != nil {
			t.Fatalf("a merged report does not decode: %v", err)
		}
		if m2, err := Merge(again); err != nil || m2.Counts != m.Counts {
			t.Fatalf("second merge: %v, counts %+v vs %+v", err, m2.Counts, m.Counts)
		}
	})
}
