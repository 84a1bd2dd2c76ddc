package collector_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

// cloudObjects reads the Cloud NSS JSON samples in testdata, one object per line.
func cloudObjects(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/cloud-nss.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	objs := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(objs) != 5 {
		t.Fatalf("testdata/cloud-nss.jsonl has %d objects; want 5", len(objs))
	}
	return objs
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHTTP posts Cloud NSS batches in every accepted shape and several broken ones.
func TestHTTP(t *testing.T) {
	objs := cloudObjects(t)
	array := "[" + strings.Join(objs, ",") + "]"
	ndjson := strings.Join(objs, "\n") + "\n"
	tests := []struct {
		name     string
		method   string
		encoding string
		body     []byte
		status   int
		want     []string // records handed over; nil with a non-200 status means no Handler at all
		oversize int
	}{
		// happy
		{name: "array", body: []byte(array), status: 200, want: objs},
		{name: "array-spaced", body: []byte(" [\n" + strings.Join(objs[:2], " ,\r\n") + "\n]\n"), status: 200, want: objs[:2]},
		{name: "ndjson", body: []byte(ndjson), status: 200, want: objs},
		{name: "ndjson-crlf-no-final-newline", body: []byte(strings.Join(objs[:3], "\r\n")), status: 200, want: objs[:3]},
		{name: "gzip-array", encoding: "gzip", body: gzipped(t, array), status: 200, want: objs},
		{name: "gzip-ndjson", encoding: "gzip", body: gzipped(t, ndjson), status: 200, want: objs},
		{name: "x-gzip", encoding: "x-gzip", body: gzipped(t, objs[0]), status: 200, want: objs[:1]},
		{name: "empty-array", body: []byte("[]"), status: 200, want: []string{}},
		{name: "empty-body", body: nil, status: 200, want: []string{}},
		{name: "nested-and-escapes", body: []byte(`[{"a":{"b":[1,{"c":"}]\"{"}]},"d":"\\"}]`), status: 200,
			want: []string{`{"a":{"b":[1,{"c":"}]\"{"}]},"d":"\\"}`}},
		{name: "oversize-object", body: []byte(`[{"a":1},{"long":"` + strings.Repeat("x", 5000) + `"},{"b":2}]`), status: 200,
			want: []string{`{"a":1}`, `{"b":2}`}, oversize: 1},
		// sad
		{name: "truncated-array", body: []byte(array[:len(array)-1]), status: 400},
		{name: "truncated-object", body: []byte(ndjson[:len(ndjson)-5]), status: 400},
		{name: "invalid-object", body: []byte(`[{"a":1},{"a":}]`), status: 400},
		{name: "not-an-object", body: []byte(`[{"a":1},2]`), status: 400},
		{name: "trailing-data", body: []byte(`[{"a":1}] x`), status: 400},
		{name: "missing-comma", body: []byte(`[{"a":1} {"b":2}]`), status: 400},
		{name: "too-deep", body: []byte(`[` + strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100) + `]`), status: 400},
		{name: "corrupt-gzip", encoding: "gzip", body: []byte("not gzip"), status: 400},
		{name: "get", method: "GET", status: 405},
		{name: "unknown-encoding", encoding: "br", body: []byte(array), status: 415},
		{name: "too-large", body: []byte(`[{"a":"` + strings.Repeat("x", 70_000) + `"}]`), status: 413},
		{name: "too-large-gzip", encoding: "gzip", body: gzipped(t, `[{"a":"`+strings.Repeat("x", 70_000)+`"}]`), status: 413},
	}
	for _, scheme := range []string{"http", "https"} {
		server, client := collectortest.SelfSigned(t)
		hc := &http.Client{Timeout: waitFor, Transport: &http.Transport{TLSClientConfig: client}}
		for _, tc := range tests {
			t.Run(scheme+"/"+tc.name, func(t *testing.T) {
				var rec collectortest.Recorder
				l := listen(t, scheme+"://127.0.0.1:0", collector.Config{MaxLine: 4096, MaxBody: 64 << 10, TLS: server}, rec.NewHandler)
				method := tc.method
				if method == "" {
					method = "POST"
				}
				req, err := http.NewRequest(method, l.URL()+"/nss/zia", bytes.NewReader(tc.body))
				if err != nil {
					t.Fatal(err)
				}
				if tc.encoding != "" {
					req.Header.Set("Content-Encoding", tc.encoding)
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Fatalf("status = %d (%s); want %d", resp.StatusCode, msg, tc.status)
				}
				if err := l.Close(); err != nil {
					t.Fatalf("Close() = %v", err)
				}
				streams := rec.Streams()
				st := l.Stats()
				if tc.status != 200 {
					if len(streams) != 0 {
						t.Errorf("%d handlers made for a %d; want none", len(streams), tc.status)
					}
					if tc.status == 405 && resp.Header.Get("Allow") != "POST" {
						t.Errorf("Allow = %q; want POST", resp.Header.Get("Allow"))
					}
					bad, rejected := int64(0), int64(1)
					if tc.status == 400 {
						bad, rejected = 1, 0
					}
					if st.HTTPBadRequests != bad || st.HTTPRejected != rejected || st.Records != 0 || st.HTTPBatches != 0 {
						t.Errorf("Stats() = %+v; want %d bad, %d rejected, no records", st, bad, rejected)
					}
					return
				}
				if len(streams) != 1 {
					t.Fatalf("%d handlers; want 1 per request", len(streams))
				}
				s := streams[0]
				if !slices.Equal(s.Records, tc.want) || s.Oversize != tc.oversize || !s.Closed || s.Err != nil {
					t.Errorf("records = %q, oversize %d, Close(%v); want %q, %d, Close(nil)", s.Records, s.Oversize, s.Err, tc.want, tc.oversize)
				}
				for _, f := range s.Formats {
					if f != collector.FormatJSON {
						t.Errorf("format = %v; want json", f)
					}
				}
				if s.Conn.Transport != scheme || s.Conn.Remote == nil {
					t.Errorf("Conn = %+v; want %s with a remote", s.Conn, scheme)
				}
				if st.HTTPBatches != 1 || st.HTTPRequests != 1 || st.Records != int64(len(tc.want)) ||
					st.Oversize != int64(tc.oversize) || st.Bytes != int64(len(tc.body)) {
					t.Errorf("Stats() = %+v; want 1 batch, %d records, %d bytes", st, len(tc.want), len(tc.body))
				}
			})
		}
	}
}

// TestHTTPCloseWaits: Close lets a request being handed over finish, and it is answered 200.
func TestHTTPCloseWaits(t *testing.T) {
	objs := cloudObjects(t)
	rec := collectortest.Recorder{Delay: 20 * time.Millisecond}
	l := listen(t, "http://127.0.0.1:0", collector.Config{}, rec.NewHandler)
	status := make(chan int, 1)
	go func() {
		resp, err := http.Post(l.URL(), "application/json", strings.NewReader("["+strings.Join(objs, ",")+"]"))
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	waitUntil(t, func() bool { return len(rec.Streams()) == 1 })
	if err := l.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if s := rec.Streams()[0]; len(s.Records) != len(objs) || !s.Closed {
		t.Errorf("after Close: %d records, closed %t; want %d, true", len(s.Records), s.Closed, len(objs))
	}
	select {
	case code := <-status:
		if code != 200 {
			t.Errorf("status = %d; want 200", code)
		}
	case <-time.After(waitFor):
		t.Fatal("no response")
	}
}
