package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/transport"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls buf until re matches, and returns the first submatch.
func waitFor(t *testing.T, buf *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(buf.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %v in:\n%s", re, buf.String())
	return ""
}

func TestCollect(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "verdicts.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, ctx: ctx}
	code := make(chan int, 1)
	go func() {
		code <- mainArgs(e, []string{"collect", "-listen", "tcp://127.0.0.1:0,udp://127.0.0.1:0", "-out", out, "-metrics", "127.0.0.1:0", "-stats-every", "50ms"})
	}()
	target := waitFor(t, &stderr, regexp.MustCompile(`listening on (tcp://[^,\s]+)`))
	udp := waitFor(t, &stderr, regexp.MustCompile(`listening on .*(udp://[^,\s]+)`))
	metrics := waitFor(t, &stderr, regexp.MustCompile(`metrics on (http://\S+)`))

	tr, err := transport.Dial(ctx, target, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{
		"Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow",
		"garbage",
	} {
		if err := tr.Send(0, []byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	drops := waitFor(t, &stderr, regexp.MustCompile(`received 2: alerts 1 \(mapped 1\), dropped 1\b.*; udp drops (\d+|unavailable)\n`))
	wantDrops := "unavailable"
	if runtime.GOOS == "linux" {
		wantDrops = "0"
	}
	if drops != wantDrops {
		t.Errorf("stats line says udp drops %s; want %s", drops, wantDrops)
	}
	// The verdicts file is followable: both lines are flushed while collect runs.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(string(got), "\n") == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("verdicts file before exit:\n%s\nwant 2 lines", got)
		}
	}
	resp, err := http.Get(metrics)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `nssbench_collector_records_total{verdict="alert"} 1`) {
		t.Fatalf("metrics lack the alert count:\n%s", body)
	}
	if want := `nssbench_collector_udp_drops_total{listener="` + udp + `"} 0`; runtime.GOOS == "linux" && !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %s:\n%s", want, body)
	}
	cancel()
	if c := <-code; c != exitOK {
		t.Fatalf("collect exit = %d; stderr:\n%s", c, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "\n"); n != 2 || !strings.Contains(string(got), `"threatId":"T1021.001"`) || !strings.Contains(string(got), `"detail":"bad_header"`) {
		t.Fatalf("verdicts file:\n%s", got)
	}
}

func TestCollectBadListen(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, "", "collect", "-listen", "carrier-pigeon://127.0.0.1:1")
	if code != exitFailure || !strings.Contains(stderr, "carrier-pigeon") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}
