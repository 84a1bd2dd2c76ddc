package collector_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

// multiMember gzips each part as its own member and concatenates them (RFC 1952 §2.2): the trailer's
// size is the last part's only.
func multiMember(tb testing.TB, parts ...[]byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	for _, p := range parts {
		w := gzip.NewWriter(&out)
		w.Write(p)
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return out.Bytes()
}

// TestHTTPMultiMemberGzip: concurrent multi-member gzip bodies whose last member is tiny (so the trailer
// says a byte while the stream inflates to megabytes), against a budget that holds two of them at once,
// are all served 200 within the queue wait and every record is handed over; none waits for budget
// while holding part of it. A multi-member bomb gets 413 without its decompressed size being
// allocated. Afterwards the whole budget is free again.
func TestHTTPMultiMemberGzip(t *testing.T) {
	const (
		bodies    = 10
		perMember = 64
		members   = 16
		maxBody   = 2 << 20
	)
	cfg := collector.Config{MaxBody: maxBody, HTTPBudget: 3 << 20, MaxRecords: 4096, MaxLine: 4096, HTTPQueueWait: 2 * waitFor}
	// "[", members of objects, "]": ~1 MiB inflated, the trailer saying 1 byte.
	parts := [][]byte{[]byte("[")}
	obj := `{"product":"NSSWeblog","n":%d,"url":"` + strings.Repeat("x", 1000) + `"}`
	for m := range members {
		var b bytes.Buffer
		for i := range perMember {
			if m > 0 || i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, obj, m*perMember+i)
		}
		parts = append(parts, b.Bytes())
	}
	parts = append(parts, []byte("]"))
	body := multiMember(t, parts...)
	const records = members * perMember
	if inflated := members * perMember * len(obj); inflated < 1<<20 || inflated > maxBody {
		t.Fatalf("test body inflates to %d bytes; want 1 MiB to MaxBody", inflated)
	}

	var cnt collectortest.Counter
	l := listen(t, "http://127.0.0.1:0", cfg, cnt.NewHandler)
	hc := &http.Client{Timeout: 3 * waitFor}
	start := time.Now()
	var wg sync.WaitGroup
	codes := make([]int, bodies)
	for i := range bodies {
		wg.Go(func() { codes[i], _ = post(t, hc, l.URL(), body, "Content-Encoding", "gzip") })
	}
	wg.Wait()
	took := time.Since(start)
	t.Logf("%d concurrent multi-member bodies served in %v", bodies, took)
	for i, code := range codes {
		if code != 200 {
			t.Errorf("request %d: status %d; want 200", i, code)
		}
	}
	if took > cfg.HTTPQueueWait {
		t.Errorf("%d requests took %v; want them within the queue wait (%v)", bodies, took, cfg.HTTPQueueWait)
	}

	// A bomb: 1 MiB of zeros as one member, 16 times, then a tiny member.
	bomb := append(bytes.Repeat(multiMember(t, make([]byte, 1<<20)), 16), multiMember(t, []byte("]"))...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code, _ := post(t, hc, l.URL(), bomb, "Content-Encoding", "gzip")
	runtime.ReadMemStats(&after)
	if code != 413 {
		t.Errorf("multi-member bomb: status %d; want 413", code)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxBody/4 {
		t.Errorf("multi-member bomb: %d KiB allocated; want it refused without inflating it (MaxBody %d KiB)", alloc>>10, maxBody>>10)
	}

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	st := l.Stats()
	if st.HTTPBatches != bodies || st.Records != bodies*records || cnt.Records.Load() != bodies*records || st.HTTPBusy != 0 || st.HTTPRejected != 1 {
		t.Errorf("Stats() = %+v, %d records handed over; want %d batches of %d records, 0 busy, 1 rejected (the bomb)",
			st, cnt.Records.Load(), bodies, records)
	}
	if !collector.BudgetIdle(l) {
		t.Error("after every request: part of the HTTP budget is still reserved")
	}
}
