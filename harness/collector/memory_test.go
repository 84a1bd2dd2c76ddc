package collector_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

// memoryChildEnv makes TestHTTPMemoryChild serve instead of skipping.
const memoryChildEnv = "NSSBENCH_TEST_MEMORY_CHILD"

// memoryCase is the attack TestHTTPMemoryBudget makes: concurrent gzip bodies that each inflate to
// just under MaxBody. Under the race detector the process's memory is mostly shadow memory, so the
// case is scaled down and the bound applies to the Go runtime's own memory only.
type memoryCase struct {
	maxBody, budget int   // collector limits
	bodies          int   // concurrent requests
	limit           int64 // bound on the child's peak memory, bytes
}

func attack() memoryCase {
	if raceEnabled {
		return memoryCase{maxBody: 8 << 20, budget: 16 << 20, bodies: 20, limit: 96 << 20}
	}
	return memoryCase{maxBody: 32 << 20, budget: 64 << 20, bodies: 20, limit: 256 << 20}
}

// TestHTTPMemoryChild is the collector of TestHTTPMemoryBudget, in its own process so that its peak
// memory is its own: it serves http://127.0.0.1:0 with the default limits (scaled under -race), prints
// its URL, and when stdin closes prints what it decided and its peak memory.
func TestHTTPMemoryChild(t *testing.T) {
	if os.Getenv(memoryChildEnv) != "1" {
		t.Skip("run by TestHTTPMemoryBudget")
	}
	mc := attack()
	var cnt collectortest.Counter
	l, err := collector.Listen("http://127.0.0.1:0", collector.Config{MaxBody: mc.maxBody, HTTPBudget: int64(mc.budget)}, cnt.NewHandler)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("url %s\n", l.URL())
	bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
	l.Close()
	st := l.Stats()
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(sample) // everything the runtime ever mapped (heap address space is not returned): ≥ its peak
	fmt.Printf("records %d batches %d busy %d rejected %d go %d rss %d\n",
		cnt.Records.Load(), st.HTTPBatches, st.HTTPBusy, st.HTTPRejected, sample[0].Value.Uint64(), peakRSS())
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes, or -1 where /proc does not tell.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return -1
}

// gzipBody compresses b.
func gzipBody(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	w.Write(b)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// TestHTTPMemoryBudget: concurrent gzip bodies that each inflate to just under MaxBody, and a zip bomb,
// against a collector in a child process: its peak memory stays under the bound (256 MiB at the
// default limits; without the budget it would hold every body at once), every request is answered 200,
// or 503 with Retry-After (retried, as Cloud NSS does), the bomb 413, and every record of an accepted
// batch is decided.
func TestHTTPMemoryBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("short: builds ~0.6 GB of request bodies")
	}
	mc := attack()
	// ~1 KiB objects up to just under MaxBody: a batch of about maxBody/1 KiB records.
	obj := `{"product":"NSSWeblog","name":"Allowed","act":"Allowed","url":"` + strings.Repeat("x", 900) + `"}`
	n := (mc.maxBody - 2) / (len(obj) + 1)
	plain := []byte("[" + strings.TrimSuffix(strings.Repeat(obj+",", n), ",") + "]")
	body := gzipBody(t, plain)
	// The bomb: 8 MiB of zeros as one gzip member, repeated to 256 MiB (gzip streams concatenate).
	bomb := bytes.Repeat(gzipBody(t, make([]byte, 8<<20)), 32)

	cmd := exec.Command(os.Args[0], "-test.run=^TestHTTPMemoryChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), memoryChildEnv+"=1", "GOMAXPROCS=2")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewScanner(stdout)
	var url string
	for url == "" && out.Scan() {
		url, _ = strings.CutPrefix(out.Text(), "url ")
	}
	if url == "" {
		t.Fatal("child printed no URL")
	}

	const attempts = 3
	hc := &http.Client{Timeout: time.Minute}
	send := func(b []byte) (int, string, error) {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
		req.Header.Set("Content-Encoding", "gzip")
		resp, err := hc.Do(req)
		if err != nil {
			return 0, "", err
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After"), nil
	}
	var (
		mu       sync.Mutex
		accepted int
		statuses = map[int]int{}
		wg       sync.WaitGroup
	)
	for range mc.bodies {
		wg.Go(func() {
			for range attempts {
				code, retry, err := send(body)
				mu.Lock()
				statuses[code]++
				if code == 200 {
					accepted++
				}
				mu.Unlock()
				if err != nil || code != 503 {
					if err != nil || code != 200 {
						t.Errorf("attack request: status %d, %v; want 200 or 503", code, err)
					}
					return
				}
				if retry == "" {
					t.Error("503 without Retry-After")
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	if code, _, err := send(bomb); code != 413 {
		t.Errorf("zip bomb: status %d, %v; want 413", code, err)
	}
	stdin.Close()
	var line string
	for out.Scan() {
		if strings.HasPrefix(out.Text(), "records ") {
			line = out.Text()
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	var records, batches, busy, rejected, goMem, rss int64
	if _, err := fmt.Sscanf(line, "records %d batches %d busy %d rejected %d go %d rss %d", &records, &batches, &busy, &rejected, &goMem, &rss); err != nil {
		t.Fatalf("child's report %q: %v", line, err)
	}
	t.Logf("%d requests of %d records (%d KiB gzip, %d MiB inflated): statuses %v; child: Go memory %d MiB, peak RSS %d MiB",
		mc.bodies, n, len(body)>>10, len(plain)>>20, statuses, goMem>>20, rss>>20)
	if accepted == 0 || batches != int64(accepted) || records != int64(accepted*n) {
		t.Errorf("child decided %d records in %d batches; want all %d of the %d accepted batches", records, batches, accepted*n, accepted)
	}
	if busy != int64(statuses[503]) || rejected != 1 {
		t.Errorf("child counted %d busy, %d rejected; want %d, 1 (the bomb)", busy, rejected, statuses[503])
	}
	if goMem > mc.limit {
		t.Errorf("child's Go runtime mapped %d MiB; want under %d MiB", goMem>>20, mc.limit>>20)
	}
	if !raceEnabled && runtime.GOOS == "linux" && (rss < 0 || rss > mc.limit) {
		t.Errorf("child's peak RSS %d MiB; want under %d MiB", rss>>20, mc.limit>>20)
	}
}
