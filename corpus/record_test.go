package corpus

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
)

// recordAsync starts Record on 127.0.0.1 and returns its bound address and a channel with its result.
func recordAsync(t *testing.T, ctx context.Context, addr, dir string, opts RecordOptions) (string, chan error, *RecordStats) {
	t.Helper()
	urls := make(chan string, 1)
	opts.Listening = func(u string) { urls <- u }
	done := make(chan error, 1)
	st := &RecordStats{}
	go func() {
		var err error
		*st, err = Record(ctx, addr, dir, opts)
		done <- err
	}()
	select {
	case u := <-urls:
		return u, done, st
	case err := <-done:
		t.Fatalf("Record ended before listening: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("Record did not listen within 5s")
	}
	return "", nil, nil
}

// waitRecord waits for Record's result.
func waitRecord(t *testing.T, done chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Record did not finish within 10s")
	}
}

// TestRecord captures the filters corpus sent over TCP in both framings and over Cloud NSS HTTP; the
// recorded corpus has the same input and the same expected verdicts.
func TestRecord(t *testing.T) {
	src := filepath.Join("golden", "filters")
	lines := inputLines(t, src)
	for _, fr := range []string{"lf", "octet"} {
		t.Run("tcp-"+fr, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "rec")
			url, done, st := recordAsync(t, context.Background(), "tcp://127.0.0.1:0", dir, RecordOptions{Count: uint64(len(lines)),
				Mappings: filepath.Join(src, "mappings.txt")})
			s, err := transport.Dial(context.Background(), url, transport.Options{Framing: fr})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if err := s.Send(0, []byte(l)); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			waitRecord(t, done)
			if st.Records != uint64(len(lines)) || st.Framing != "lf" || st.Update.Changed != st.Records {
				t.Errorf("Record = %+v; want %d records in lf framing", st, len(lines))
			}
			if got, want := readAll(t, filepath.Join(dir, "input.log")), readAll(t, filepath.Join(src, "input.log")); !bytes.Equal(got, want) {
				t.Errorf("recorded input differs from what was sent")
			}
			if got, want := readAll(t, filepath.Join(dir, ExpectedFile)), readAll(t, filepath.Join(src, ExpectedFile)); !bytes.Equal(got, want) {
				t.Errorf("recorded expected verdicts differ from the filters corpus's:\n%s", got)
			}
		})
	}
	t.Run("octet-only records", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "rec")
		recs := []string{"CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3|act=Allow msg=two\nlines", "CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3|act=Allow"}
		url, done, st := recordAsync(t, context.Background(), "tcp://127.0.0.1:0", dir, RecordOptions{Count: 2})
		s, err := transport.Dial(context.Background(), url, transport.Options{Framing: "octet"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			s.Send(0, []byte(r))
		}
		s.Close()
		waitRecord(t, done)
		c := mustLoad(t, dir)
		if st.Framing != "octet" || c.Framing() != "octet" {
			t.Errorf("framing %q, corpus %q; want octet for a record holding a LF", st.Framing, c.Framing())
		}
		if res, err := Verify(context.Background(), c, VerifyOptions{}); err != nil || res.Records != 2 || !res.OK() {
			t.Errorf("Verify(recorded) = %v, %+v", err, res)
		}
	})
	t.Run("cloud-nss", func(t *testing.T) {
		src := filepath.Join("golden", "seed-alerts-cloud")
		body := readAll(t, filepath.Join(src, "input.jsonl"))
		dir := filepath.Join(t.TempDir(), "rec")
		url, done, st := recordAsync(t, context.Background(), "http://127.0.0.1:0", dir, RecordOptions{Count: 10})
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		waitRecord(t, done)
		c := mustLoad(t, dir)
		if st.Records != 10 || c.Format() != FormatJSON {
			t.Errorf("Record = %+v, format %s; want 10 Cloud NSS records", st, c.Format())
		}
		if got, want := readAll(t, c.Expected), readAll(t, filepath.Join(src, ExpectedFile)); !bytes.Equal(got, want) {
			t.Errorf("recorded expected verdicts differ from seed-alerts-cloud's:\n%s", got)
		}
	})
}

// TestRecordStops: recording stops on its duration and on the context; no records is an error and
// leaves nothing behind.
func TestRecordStops(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	start := time.Now()
	_, err := Record(context.Background(), "tcp://127.0.0.1:0", dir, RecordOptions{Duration: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no records arrived") {
		t.Errorf("Record(nothing sent) = %v; want no records", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("Record with a 100ms duration took %v", time.Since(start))
	}
	if _, err := Load(dir); err == nil {
		t.Error("an empty recording left a corpus")
	}

	ctx, cancel := context.WithCancel(context.Background())
	url, done, st := recordAsync(t, ctx, "udp://127.0.0.1:0", dir, RecordOptions{})
	s, err := transport.Dial(context.Background(), url, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	line := []byte("CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed externalId=5")
	for range 5 {
		if err := s.Send(0, line); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	cancel() // Ctrl-C: what arrived is kept
	waitRecord(t, done)
	s.Close()
	if st.Records == 0 {
		t.Fatal("no datagram was recorded")
	}
	res, err := Verify(context.Background(), mustLoad(t, dir), VerifyOptions{})
	if err != nil || !res.OK() || res.Records != st.Records {
		t.Errorf("Verify(recorded) = %v, %+v", err, res)
	}
}

// TestRecordOversize: a record over the line limit, which the collector skips unread, counts towards
// Count and has its place in the corpus as a placeholder with the oversize verdict, over TCP in both
// framings and over Cloud NSS HTTP; the corpus verifies, in-process and over loopback.
func TestRecordOversize(t *testing.T) {
	long := "CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Malware block: malicious file|3|act=Blocked externalId=2 msg=" + strings.Repeat("x", 200<<10)
	cefRecs := []string{
		"CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3|act=Allow externalId=1",
		long,
		"CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3|act=Allow externalId=3",
	}
	jsonRecs := []string{
		`{"product":"NSSFWlog","act":"Allow","name":"RDP Allow","externalId":"1"}`,
		`{"product":"NSSWeblog","act":"Blocked","name":"Malware block: malicious file","externalId":"2","msg":"` + strings.Repeat("x", 200<<10) + `"}`,
		`{"product":"NSSFWlog","act":"Allow","name":"RDP Allow","externalId":"3"}`,
	}
	tests := []struct {
		name, listen, framing string
		input                 string
	}{
		{"tcp-lf", "tcp://127.0.0.1:0", "lf", "input.log"},
		{"tcp-octet", "tcp://127.0.0.1:0", "octet", "input.log"},
		{"cloud-nss", "http://127.0.0.1:0", "", "input.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			dir := filepath.Join(t.TempDir(), "rec")
			url, done, st := recordAsync(t, ctx, tt.listen, dir, RecordOptions{Count: 3})
			if tt.framing == "" {
				resp, err := http.Post(url, "application/x-ndjson", strings.NewReader(strings.Join(jsonRecs, "\n")))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			} else {
				s, err := transport.Dial(ctx, url, transport.Options{Framing: tt.framing})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range cefRecs {
					if err := s.Send(0, []byte(r)); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			waitRecord(t, done)
			if st.Records != 3 || st.Oversize != 1 {
				t.Errorf("Record = %+v; want 3 records, 1 of them oversize", st)
			}
			lines := strings.Split(strings.TrimSuffix(string(readAll(t, filepath.Join(dir, tt.input))), "\n"), "\n")
			if len(lines) != 3 || len(lines[1]) != pipeline.DefaultMaxLine+1 || !strings.Contains(lines[1], placeholderNote) {
				t.Errorf("recorded input has %d records, the second of %d bytes; want 3, the second a placeholder of %d bytes",
					len(lines), len(lines[min(1, len(lines)-1)]), pipeline.DefaultMaxLine+1)
			}
			exp := expectedRecords(t, dir)
			if len(exp) != 3 || exp[1]["reason"] != "malformed" || exp[1]["detail"] != "oversize" || exp[1]["line"] != 2.0 ||
				exp[0]["recordid"] != "1" || exp[2]["recordid"] != "3" {
				t.Errorf("recorded expected verdicts = %v; want records 1 and 3 around an oversize record at line 2", exp)
			}
			if src := mustLoad(t, dir).Manifest.Provenance.Source; !strings.Contains(src, "1 of them oversize") {
				t.Errorf("provenance %q does not tell of the placeholder", src)
			}
			for _, via := range []string{ViaInproc, ViaTCP} {
				res, err := Verify(ctx, mustLoad(t, dir), VerifyOptions{Via: via, Timeout: 5 * time.Second})
				if err != nil || !res.OK() || res.Records != 3 {
					t.Errorf("Verify(recorded, via %s) = %v, %+v; want 3 matching records", via, err, res)
				}
			}
		})
	}
}
