package transport_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/transport"
)

// ledger records what a Sender reports.
type ledger struct {
	mu   sync.Mutex
	lost map[string]int
	risk uint64
}

func (l *ledger) Lost(_ uint64, cause string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost == nil {
		l.lost = map[string]int{}
	}
	l.lost[cause]++
}
func (l *ledger) AtRisk(n uint64) { l.mu.Lock(); l.risk += n; l.mu.Unlock() }
func (l *ledger) Retried(uint64)  {}

// TestHTTPDeadline: against a collector that never answers, the request in flight is cut at
// Options.Deadline, whatever WriteTimeout and RetryWindow say, and no request is made after it: the
// batch cut in flight is lost as retry_exhausted, the later ones, never attempted, as not_sent.
func TestHTTPDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // never answers while the test runs
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	led := &ledger{}
	deadline := time.Now().Add(300 * time.Millisecond)
	s, err := transport.Dial(context.Background(), srv.URL+"/nss", transport.Options{
		WriteTimeout: time.Minute, Ledger: led, Deadline: func() time.Time { return deadline },
		HTTP: transport.HTTPOptions{RetryWindow: time.Hour, BatchSize: 1 << 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	const n = 100 // about 10 batches of 1 KiB
	for i := range n {
		if err := s.Send(uint64(i), []byte(`{"a":"0123456789012345678901234567890123456789012345678901234567890123456789"}`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	// The deadline plus what a loaded machine needs to notice it.
	if took > 2*time.Second {
		t.Errorf("sending took %v; want it cut at the deadline (300ms)", took)
	}
	led.mu.Lock()
	defer led.mu.Unlock()
	ns, re := led.lost[transport.LostNotSent], led.lost[transport.LostRetryExhausted]
	if ns+re != n || ns == 0 || re == 0 || re > n/2 {
		t.Errorf("lost %v; want all %d, the first batch as %s and the rest as %s", led.lost, n, transport.LostRetryExhausted, transport.LostNotSent)
	}
	if led.risk == 0 {
		t.Error("the request cut in flight was not counted at risk")
	}
	if s.Written() != 0 {
		t.Errorf("Written = %d; want 0", s.Written())
	}
}
