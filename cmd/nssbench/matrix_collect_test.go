package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/collector/collectortest"
)

// The collector-side rows of the fault matrix: each runs `nssbench collect` as a child process (this
// test binary, see TestMain), attacks it over loopback as a hostile client or a careless operator
// would, and takes collect's figures from its own Prometheus endpoint (-metrics), its "stopped" line
// and /proc. Each row balances — the records offered are the records collect decided plus those of
// every request or connection it refused — and checks that its limit held.

// collectRSSLimit bounds collect's peak RSS in every collector-side row (issue 14: under 256 MiB under
// the memory attack).
const collectRSSLimit = 256 << 20

// collectCase is a collector-side row of the matrix.
type collectCase struct {
	name, fault string
	wall        time.Duration // the row must end within this (before slackWall)
	// attack starts collect (startCollect) and attacks it; it sets what it offered, the records
	// collect refused by cause and what collect counted, and checks that the limit held.
	attack func(t *testing.T, r *collectRow)
}

// collectRow is what a collector-side case measured.
type collectRow struct {
	c       *collectChild
	offered uint64            // records the attack sent or tried to send
	lost    map[string]uint64 // records of the requests and connections collect refused, by cause
	refused []string          // what collect counted of what it refused or closed

	// Set by finish, from collect's "stopped" line, /proc and its exit.
	received, decided uint64 // records collect received; decided (alerts + dropped)
	rss               int64  // peak RSS (VmHWM), KiB
	wall              time.Duration
	exit              int
}

// collectChild is `nssbench collect` running as a child process.
type collectChild struct {
	cmd     *exec.Cmd
	done    chan struct{} // closed once it has exited
	stderr  *syncBuffer
	urls    []string // its listeners, as it printed them
	metrics string   // its /metrics URL
	start   time.Time
}

// startCollect starts `nssbench collect` with args and a metrics endpoint, and waits for its listeners.
func startCollect(t *testing.T, args ...string) *collectChild {
	t.Helper()
	c := &collectChild{stderr: new(syncBuffer), done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], append([]string{"collect", "-metrics", "127.0.0.1:0", "-stats-every", "0"}, args...)...)
	c.cmd.Env = append(os.Environ(), matrixChildEnv+"=1")
	c.cmd.Stdout, c.cmd.Stderr = io.Discard, c.stderr
	c.start = time.Now()
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	c.urls = strings.Split(waitFor(t, c.stderr, regexp.MustCompile(`listening on ([^\n]+)\n`)), ", ")
	c.metrics = "http://" + waitFor(t, c.stderr, regexp.MustCompile(`Prometheus metrics on http://(\S+)/metrics`)) + "/metrics"
	return c
}

// addr returns the host:port of collect's i-th listener.
func (c *collectChild) addr(i int) string {
	_, hostport, _ := strings.Cut(c.urls[i], "://")
	return hostport
}

// promValues are scraped metrics: each series' value by its name and labels as exposed.
type promValues map[string]float64

// sum returns the sum of the series of name whose labels contain every one of labels (`k="v"`).
func (p promValues) sum(name string, labels ...string) uint64 {
	var n float64
	for k, v := range p {
		series, lbl, _ := strings.Cut(k, "{")
		if series == name && !slices.ContainsFunc(labels, func(l string) bool { return !strings.Contains(lbl, l) }) {
			n += v
		}
	}
	return uint64(n)
}

// scrape reads collect's metrics.
func (c *collectChild) scrape(t *testing.T) promValues {
	t.Helper()
	resp, err := http.Get(c.metrics)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	p := promValues{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			t.Fatalf("scrape: bad line %q", line)
		}
		p[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("scrape: %v", err)
	}
	return p
}

// waitMetric scrapes collect until the sum of name's series (with labels) reaches want, for at most
// 10 s, and returns the last scrape: the row then checks the exact figures.
func (c *collectChild) waitMetric(t *testing.T, want uint64, name string, labels ...string) promValues {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p := c.scrape(t)
		if p.sum(name, labels...) >= want || time.Now().After(deadline) {
			return p
		}
	}
}

// metricDecided is collect's metric of the records it decided, by verdict.
const metricDecided = "nssbench_collector_records_total"

// fdCount returns how many file descriptors the process pid has open.
func fdCount(t *testing.T, pid int) int {
	t.Helper()
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// vmHWM returns the peak resident set of the process pid in KiB, from /proc.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}

var stoppedLine = regexp.MustCompile(`stopped; received (\d+): alerts (\d+) \(mapped \d+\), dropped (\d+)`)

// finish takes collect's peak RSS, interrupts it and reads what it decided from its last line.
func (r *collectRow) finish(t *testing.T) {
	t.Helper()
	c := r.c
	r.rss = vmHWM(t, c.cmd.Process.Pid)
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("collect still running 20 s after SIGINT; stderr:\n%s", c.stderr.String())
	}
	r.wall, r.exit = time.Since(c.start), c.cmd.ProcessState.ExitCode()
	m := stoppedLine.FindStringSubmatch(c.stderr.String())
	if m == nil {
		t.Fatalf("no stopped line; stderr:\n%s", c.stderr.String())
	}
	n := make([]uint64, 3)
	for i := range n {
		n[i], _ = strconv.ParseUint(m[i+1], 10, 64)
	}
	r.received, r.decided = n[0], n[1]+n[2]
}

// lostTotal returns the records of everything collect refused.
func (r *collectRow) lostTotal() uint64 {
	var n uint64
	for _, v := range r.lost {
		n += v
	}
	return n
}

// balanced reports whether every record offered was decided or refused, and every record collect
// received decided.
func (r *collectRow) balanced() bool {
	return r.offered == r.decided+r.lostTotal() && r.received == r.decided
}

// runCollectCase runs one collector-side row and checks what every row must hold.
func runCollectCase(t *testing.T, c collectCase) *collectRow {
	r := &collectRow{lost: map[string]uint64{}}
	c.attack(t, r)
	r.finish(t)
	t.Logf("exit %d, %v, collect's peak RSS %d KiB; offered %d, received %d, decided %d, refused %v (%v)",
		r.exit, r.wall.Round(time.Millisecond), r.rss, r.offered, r.received, r.decided, r.lost, r.refused)
	if !r.balanced() {
		t.Errorf("does not balance: offered %d, received %d, decided %d, refused %v", r.offered, r.received, r.decided, r.lost)
	}
	if r.exit != exitOK {
		t.Errorf("collect exit %d; want %d; stderr:\n%s", r.exit, exitOK, r.c.stderr.String())
	}
	if r.wall > c.wall+slackWall {
		t.Errorf("took %v; want within %v", r.wall, c.wall)
	}
	if r.rss<<10 > collectRSSLimit {
		t.Errorf("collect's peak RSS %d MiB; want under %d MiB", r.rss>>10, collectRSSLimit>>20)
	}
	return r
}

// cloudBatch returns a Cloud NSS JSON batch of n objects (the samples of harness/collector, in turn).
func cloudBatch(t *testing.T, n int) []byte {
	t.Helper()
	data, err := os.ReadFile("../../harness/collector/testdata/cloud-nss.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	objs := strings.Split(strings.TrimSpace(string(data)), "\n")
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(objs[i%len(objs)])
	}
	b.WriteByte(']')
	return b.Bytes()
}

// gzipOf compresses b at level.
func gzipOf(t *testing.T, b []byte, level int) []byte {
	t.Helper()
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, level)
	_, _ = w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// postNSS posts body to url as Cloud NSS does: gzip-encoded when gz, with the header hdr ("Name:
// value", optional), retrying a 503 after its Retry-After up to three attempts. It returns the last
// status and how many 503s it got (0 and the error if a request failed).
func postNSS(hc *http.Client, url string, body []byte, gz bool, hdr string) (status, busy int, err error) {
	for range 3 {
		req, err := http.NewRequest("POST", url, bytes.NewReader(body))
		if err != nil {
			return 0, busy, err
		}
		req.Header.Set("Content-Type", "application/json")
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		if name, value, ok := strings.Cut(hdr, ":"); ok {
			req.Header.Set(name, strings.TrimSpace(value))
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, busy, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			return resp.StatusCode, busy, nil
		}
		busy++
		if resp.Header.Get("Retry-After") == "" {
			return resp.StatusCode, busy, errors.New("503 without Retry-After")
		}
		time.Sleep(100 * time.Millisecond) // Retry-After says 1 s; a hurried client retries sooner
	}
	return http.StatusServiceUnavailable, busy, nil
}

// statusCounts counts HTTP statuses from concurrent requests.
type statusCounts struct {
	mu   sync.Mutex
	n    map[int]int
	busy int // 503s retried or final
}

// add counts one request's outcome (postNSS's results); an error fails the test.
func (s *statusCounts) add(t *testing.T, status, busy int, err error) {
	if err != nil {
		t.Errorf("request: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == nil {
		s.n = map[int]int{}
	}
	s.n[status]++
	s.busy += busy
}

// cefLine is a record every collect decides as an alert.
const cefLine = "Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow\n"

// dialTCP connects to addr on loopback.
func dialTCP(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// closedByPeer waits (up to 10 s) for c's peer to close it and returns how long that took; ok is false
// if the connection is still open or data arrived.
func closedByPeer(c net.Conn, since time.Time) (d time.Duration, ok bool) {
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		return time.Since(since), false
	}
	return time.Since(since), true // EOF or reset
}

// seconds formats a duration as "0.31 s".
func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func collectCases() []collectCase {
	return []collectCase{
		{
			name: "http-memory-budget", fault: "collect http:// -http-queue-wait 500ms: 20 concurrent gzip POSTs inflating to ~31 MiB each, 3 tries on 503; a 1 GiB zip bomb",
			wall: 5 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				// The default budget (64 MiB) and body limit (32 MiB); a short wait for room in the budget
				// bounds the row's time: the requests that do not fit in time get 503.
				r.c = startCollect(t, "-listen", "http://127.0.0.1:0", "-http-queue-wait", "500ms")
				// ~1 KiB objects up to just under the 32 MiB body limit.
				obj := `{"product":"NSSWeblog","name":"Allowed","act":"Allowed","url":"` + strings.Repeat("x", 900) + `"}`
				n := (32<<20 - 2) / (len(obj) + 1)
				body := gzipOf(t, []byte("["+strings.TrimSuffix(strings.Repeat(obj+",", n), ",")+"]"), gzip.BestSpeed)
				bomb := bytes.Repeat(gzipOf(t, make([]byte, 8<<20), gzip.BestSpeed), 128) // 1 GiB of zeros: gzip members concatenate
				hc := &http.Client{Timeout: 30 * time.Second}
				var st statusCounts
				var wg sync.WaitGroup
				for range 20 {
					wg.Go(func() {
						code, busy, err := postNSS(hc, r.c.urls[0], body, true, "")
						st.add(t, code, busy, err)
					})
				}
				wg.Wait()
				bombCode, _, err := postNSS(hc, r.c.urls[0], bomb, true, "")
				if err != nil || bombCode != http.StatusRequestEntityTooLarge {
					t.Errorf("zip bomb: %d, %v; want 413", bombCode, err)
				}
				accepted := uint64(st.n[200])
				r.offered = 20 * uint64(n)
				if lost := 20 - accepted; lost > 0 {
					r.lost["http_503"] = lost * uint64(n)
				}
				if accepted == 0 || accepted+uint64(st.n[503]) != 20 {
					t.Errorf("statuses %v; want some 200, the rest 503 after three attempts", st.n)
				}
				m := r.c.waitMetric(t, accepted*uint64(n), metricDecided)
				busy, rejected := m.sum("nssbench_collector_http_busy_total"), m.sum("nssbench_collector_http_rejected_total")
				if busy != uint64(st.busy) || rejected != 1 {
					t.Errorf("collect counted %d busy, %d rejected; want %d (the 503s answered), 1 (the bomb)", busy, rejected, st.busy)
				}
				r.refused = []string{fmt.Sprintf("503 ×%d with Retry-After", busy), fmt.Sprintf("413 ×%d (the bomb)", rejected)}
				t.Logf("bodies: %d records, %d KiB gzip each; the bomb %d KiB gzip; statuses %v", n, len(body)>>10, len(bomb)>>10, st.n)
			},
		},
		{
			name: "http-max-records", fault: "collect http://: 3 concurrent gzip bodies of `[{},{},…]` (10.8 M objects, 31 MiB inflated, each), a batch of 1,000",
			wall: 5 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				r.c = startCollect(t, "-listen", "http://127.0.0.1:0")
				// One gzip member, as a client's gzip writes it: its trailer states the inflated size.
				// (At the best compression it is the 31 KB; the fastest keeps the row short.)
				const objects = 10_800_000
				flood := gzipOf(t, []byte("["+strings.Repeat("{},", objects-1)+"{}]"), gzip.BestSpeed)
				hc := &http.Client{Timeout: 30 * time.Second}
				batch := cloudBatch(t, 1000)
				var floods, good statusCounts
				var wg sync.WaitGroup
				for range 3 {
					wg.Go(func() {
						code, busy, err := postNSS(hc, r.c.urls[0], flood, true, "")
						floods.add(t, code, busy, err)
					})
				}
				wg.Go(func() {
					code, busy, err := postNSS(hc, r.c.urls[0], batch, false, "")
					good.add(t, code, busy, err)
				})
				wg.Wait()
				if floods.n[413] != 3 || good.n[200] != 1 {
					t.Errorf("statuses %v, %v; want 413 ×3 (the floods), 200 (the batch)", floods.n, good.n)
				}
				r.offered = 3*objects + 1000
				r.lost["http_413"] = uint64(floods.n[413]) * objects
				r.lost["http_503"] = uint64(floods.n[503])*objects + uint64(good.n[503])*1000
				m := r.c.waitMetric(t, uint64(good.n[200])*1000, metricDecided)
				if rejected := m.sum("nssbench_collector_http_rejected_total"); rejected != 3 {
					t.Errorf("collect counted %d rejected; want 3", rejected)
				}
				r.refused = []string{fmt.Sprintf("413 ×%d", m.sum("nssbench_collector_http_rejected_total"))}
				if busy := floods.busy + good.busy; busy > 0 {
					r.refused = append(r.refused, fmt.Sprintf("503 ×%d with Retry-After", busy))
				}
				t.Logf("flood body: %d KiB gzip", len(flood)>>10)
			},
		},
		{
			name: "http-auth", fault: "collect http:// -http-auth-file: 10 batches without a credential, 10 with a wrong one, 10 with the right one",
			wall: 2 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				auth := filepath.Join(t.TempDir(), "auth")
				if err := os.WriteFile(auth, []byte("Authorization: Bearer s3cret\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				r.c = startCollect(t, "-listen", "http://127.0.0.1:0", "-http-auth-file", auth)
				hc := &http.Client{Timeout: 10 * time.Second}
				batch := cloudBatch(t, 100)
				var st statusCounts
				for _, hdr := range []string{"", "Authorization: Bearer wrong", "Authorization: Bearer s3cret"} {
					for range 10 {
						code, busy, err := postNSS(hc, r.c.urls[0], batch, false, hdr)
						st.add(t, code, busy, err)
					}
				}
				if st.n[401] != 20 || st.n[200] != 10 {
					t.Errorf("statuses %v; want 401 ×20, 200 ×10", st.n)
				}
				r.offered = 3000
				r.lost["http_401"] = uint64(st.n[401]) * 100
				m := r.c.waitMetric(t, 1000, metricDecided)
				unauth := m.sum("nssbench_collector_http_unauthorized_total")
				if unauth != 20 {
					t.Errorf("collect counted %d unauthorized; want 20", unauth)
				}
				r.refused = []string{fmt.Sprintf("401 ×%d", unauth)}
			},
		},
		{
			name: "http-slow-body-idle", fault: "collect http:// -http-read-timeout 300ms -idle-timeout 300ms: 200 bodies at 10 bytes/s, an idle keep-alive",
			wall: 2 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				r.c = startCollect(t, "-listen", "http://127.0.0.1:0", "-http-read-timeout", "300ms", "-idle-timeout", "300ms")
				addr := r.c.addr(0)
				slowBody := cloudBatch(t, 10)
				const slow = 200
				var (
					mu        sync.Mutex
					timeouts  int
					slowest   time.Duration
					fastest   = time.Hour
					wg        sync.WaitGroup
					slowConns = make([]net.Conn, slow)
				)
				for i := range slowConns {
					slowConns[i] = dialTCP(t, addr)
				}
				for _, c := range slowConns {
					wg.Go(func() {
						defer c.Close()
						start := time.Now()
						_ = c.SetDeadline(start.Add(10 * time.Second))
						stop := make(chan struct{})
						defer close(stop)
						go func() { // the body, a byte every 100 ms
							fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(slowBody))
							for _, b := range slowBody {
								select {
								case <-stop:
									return
								case <-time.After(100 * time.Millisecond):
								}
								if _, err := c.Write([]byte{b}); err != nil {
									return
								}
							}
						}()
						resp, err := http.ReadResponse(bufio.NewReader(c), nil)
						d := time.Since(start)
						if err != nil {
							t.Errorf("slow body: no answer: %v", err)
							return
						}
						resp.Body.Close()
						mu.Lock()
						defer mu.Unlock()
						if resp.StatusCode == http.StatusRequestTimeout {
							timeouts++
							slowest, fastest = max(slowest, d), min(fastest, d)
						}
					})
				}
				// The keep-alive: one batch answered, then nothing.
				ka := dialTCP(t, addr)
				defer ka.Close()
				batch := cloudBatch(t, 100)
				_ = ka.SetDeadline(time.Now().Add(10 * time.Second))
				fmt.Fprintf(ka, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(batch), batch)
				br := bufio.NewReader(ka)
				resp, err := http.ReadResponse(br, nil)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("keep-alive batch: %v, %v", resp, err)
				}
				resp.Body.Close()
				answered := time.Now()
				_, err = br.ReadByte()
				idle := time.Since(answered)
				if err == nil || idle > 2*time.Second {
					t.Errorf("idle keep-alive: read %v after %v; want the connection closed after about 300ms", err, idle)
				}
				wg.Wait()
				if timeouts != slow || slowest > 2*time.Second {
					t.Errorf("%d of %d slow bodies answered 408, the slowest after %v; want all, within 2 s", timeouts, slow, slowest)
				}
				r.offered = slow*10 + 100
				r.lost["http_408"] = uint64(timeouts) * 10
				m := r.c.waitMetric(t, 100, metricDecided)
				if n := m.sum("nssbench_collector_http_timeouts_total"); n != slow {
					t.Errorf("collect counted %d timeouts; want %d", n, slow)
				}
				r.refused = []string{fmt.Sprintf("408 ×%d after %s–%s", m.sum("nssbench_collector_http_timeouts_total"), seconds(fastest), seconds(slowest)),
					"keep-alive closed idle after " + seconds(idle)}
			},
		},
		{
			name: "tcp-max-connections", fault: "collect tcp:// -max-connections 8: 8 connections held, 200 more, one record each",
			wall: 2 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				r.c = startCollect(t, "-listen", "tcp://127.0.0.1:0", "-max-connections", "8")
				addr := r.c.addr(0)
				for range 8 {
					c := dialTCP(t, addr)
					defer c.Close()
					_, _ = io.WriteString(c, cefLine)
				}
				r.c.waitMetric(t, 8, metricDecided) // the 8 are served
				fds := fdCount(t, r.c.cmd.Process.Pid)
				const extra = 200
				closed := 0
				conns := make([]net.Conn, extra)
				for i := range conns {
					conns[i] = dialTCP(t, addr)
					defer conns[i].Close()
					_, _ = io.WriteString(conns[i], cefLine) // may fail: collect may have closed it already
				}
				for _, c := range conns { // every one closed by collect while the client still holds it
					if _, ok := closedByPeer(c, time.Now()); ok {
						closed++
					}
				}
				grown := fdCount(t, r.c.cmd.Process.Pid) - fds
				if closed != extra || grown > 2 {
					t.Errorf("%d of %d connections over the cap closed by collect, its fds grew by %d; want all, none", closed, extra, grown)
				}
				r.offered = 8 + extra
				r.lost["conn_refused"] = uint64(closed)
				m := r.c.waitMetric(t, extra, "nssbench_collector_connections_refused_total")
				if n := m.sum("nssbench_collector_connections_refused_total"); n != extra {
					t.Errorf("collect counted %d refused connections; want %d", n, extra)
				}
				r.refused = []string{fmt.Sprintf("connections refused ×%d (fds +%d)", m.sum("nssbench_collector_connections_refused_total"), grown)}
			},
		},
		{
			name: "tcp-idle-timeout", fault: "collect tcp:// -idle-timeout 300ms: 50 connections idle after a record, one sending every 50 ms for 1 s",
			wall: 2 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				r.c = startCollect(t, "-listen", "tcp://127.0.0.1:0", "-idle-timeout", "300ms")
				addr := r.c.addr(0)
				const idle = 50
				var (
					mu               sync.Mutex
					closed           int
					fastest, slowest = time.Hour, time.Duration(0)
					wg               sync.WaitGroup
				)
				for range idle {
					c := dialTCP(t, addr)
					wg.Go(func() {
						defer c.Close()
						_, _ = io.WriteString(c, cefLine)
						d, ok := closedByPeer(c, time.Now())
						mu.Lock()
						defer mu.Unlock()
						if ok {
							closed++
							fastest, slowest = min(fastest, d), max(slowest, d)
						}
					})
				}
				active := dialTCP(t, addr)
				for range 20 {
					if _, err := io.WriteString(active, cefLine); err != nil {
						t.Errorf("the active connection: %v", err)
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				_ = active.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
				var ne net.Error
				if _, err := active.Read(make([]byte, 1)); !errors.As(err, &ne) || !ne.Timeout() {
					t.Errorf("the active connection: read %v; want it still open", err)
				}
				active.Close()
				wg.Wait()
				if closed != idle || fastest < 250*time.Millisecond || slowest > 2*time.Second {
					t.Errorf("%d of %d idle connections closed, after %v–%v; want all, after about 300ms", closed, idle, fastest, slowest)
				}
				r.offered = idle + 20
				m := r.c.waitMetric(t, idle+20, metricDecided)
				if n := m.sum("nssbench_collector_idle_closed_total"); n != idle {
					t.Errorf("collect counted %d idle closed; want %d", n, idle)
				}
				r.refused = []string{fmt.Sprintf("idle closed ×%d after %s–%s; the active one kept", m.sum("nssbench_collector_idle_closed_total"), seconds(fastest), seconds(slowest))}
			},
		},
		{
			name: "tls-client-ca", fault: "collect tls:// -client-ca: 10 clients with an issued certificate, 10 without, 10 with another CA's; 10 records each",
			wall: 2 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				dir := t.TempDir()
				server, client := collectortest.SelfSigned(t)
				ca, other := collectortest.NewCA(t), collectortest.NewCA(t)
				certFile, keyFile := writePair(t, dir, "server", server.Certificates[0])
				caFile := filepath.Join(dir, "ca.pem")
				if err := os.WriteFile(caFile, ca.PEM(), 0o600); err != nil {
					t.Fatal(err)
				}
				r.c = startCollect(t, "-listen", "tls://127.0.0.1:0", "-cert", certFile, "-key", keyFile, "-client-ca", caFile)
				good, wrong := client.Clone(), client.Clone()
				good.Certificates = []tls.Certificate{ca.ClientCert(t, "nss")}
				wrong.Certificates = []tls.Certificate{other.ClientCert(t, "intruder")}
				records := strings.Repeat(cefLine, 10)
				// send writes the records and reports whether collect read them all and closed cleanly.
				send := func(cfg *tls.Config) bool {
					c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", r.c.addr(0), cfg)
					if err != nil {
						return false
					}
					defer c.Close()
					if _, err := io.WriteString(c, records); err != nil {
						return false
					}
					_ = c.CloseWrite()
					_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
					_, err = c.Read(make([]byte, 1))
					return errors.Is(err, io.EOF)
				}
				served := map[string]int{}
				for _, k := range []struct {
					name string
					cfg  *tls.Config
				}{{"issued", good}, {"none", client}, {"other CA", wrong}} {
					for range 10 {
						if send(k.cfg) {
							served[k.name]++
						}
					}
				}
				if served["issued"] != 10 || served["none"]+served["other CA"] != 0 {
					t.Errorf("served %v; want the 10 issued clients only", served)
				}
				r.offered = 300
				r.lost["tls_refused"] = uint64(20-served["none"]-served["other CA"]) * 10
				m := r.c.waitMetric(t, 20, "nssbench_collector_tls_handshake_errors_total")
				if n := m.sum("nssbench_collector_tls_handshake_errors_total"); n != 20 {
					t.Errorf("collect counted %d failed handshakes; want 20", n)
				}
				r.c.waitMetric(t, 100, metricDecided)
				r.refused = []string{fmt.Sprintf("handshakes refused ×%d", m.sum("nssbench_collector_tls_handshake_errors_total"))}
			},
		},
		{
			name: "oversize-binary-input", fault: "collect tcp://: 1,000 records with 100 of 100 KiB (over -max-line) and 100 lines of random bytes among them",
			wall: 2 * time.Second,
			attack: func(t *testing.T, r *collectRow) {
				r.c = startCollect(t, "-listen", "tcp://127.0.0.1:0")
				rng := rand.New(rand.NewPCG(14, 14))
				oversize := strings.TrimSuffix(cefLine, "\n") + " msg=" + strings.Repeat("x", 100<<10) + "\n"
				var b bytes.Buffer
				for i := range 1000 {
					b.WriteString(cefLine)
					if i%10 == 0 {
						b.WriteString(oversize)
						bin := make([]byte, 256)
						for j := range bin {
							bin[j] = byte(rng.UintN(256))
							if bin[j] == '\n' {
								bin[j] = 0
							}
						}
						bin[0] = 0 // not a digit: no octet-counted frame
						b.Write(bin)
						b.WriteByte('\n')
					}
				}
				c := dialTCP(t, r.c.addr(0))
				if _, err := c.Write(b.Bytes()); err != nil {
					t.Fatal(err)
				}
				c.Close()
				r.offered = 1200
				m := r.c.waitMetric(t, 1200, metricDecided)
				over := m.sum("nssbench_collector_drops_total", `detail="oversize"`)
				malformed := m.sum("nssbench_collector_drops_total", `reason="malformed"`)
				alerts := m.sum(metricDecided, `verdict="alert"`)
				if over != 100 || malformed != 200 || alerts != 1000 {
					t.Errorf("collect decided %d alerts, %d malformed of which %d oversize; want 1000, 200, 100", alerts, malformed, over)
				}
				r.refused = []string{fmt.Sprintf("none; dropped malformed ×%d (oversize ×%d)", malformed, over)}
			},
		},
	}
}
