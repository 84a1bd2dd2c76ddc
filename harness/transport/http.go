package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/nssbench/nssbench/harness/endpoint"
)

// HTTPOptions tune the Cloud NSS-style sender of http(s):// targets. The zero value takes the defaults.
type HTTPOptions struct {
	// BatchSize is NSS's "Max Batch Size": the most bytes of records in one POST body, before compression
	// (default 64 KiB). A record larger than it is posted alone.
	BatchSize int
	// BatchWait posts a batch that is not full once its first record has waited this long (default 1 s).
	BatchWait time.Duration
	// Gzip compresses bodies (Content-Encoding: gzip).
	Gzip bool
	// RetryWindow: a batch answered anything but 200, 204 or 400 (or not answered) is retried with backoff
	// until this long after its first attempt, then dropped (lost, retry_exhausted). NSS retries for an hour;
	// the default here is 1 min.
	RetryWindow time.Duration
	// Header holds extra request headers, e.g. an authorization token.
	Header http.Header
}

func (h HTTPOptions) withDefaults() HTTPOptions {
	if h.BatchSize <= 0 {
		h.BatchSize = 64 << 10
	}
	if h.BatchWait <= 0 {
		h.BatchWait = time.Second
	}
	if h.RetryWindow <= 0 {
		h.RetryWindow = time.Minute
	}
	return h
}

// httpSender posts Cloud NSS-style batches: a JSON array of records ("JSON Array Notation", NSS's
// default) per POST, up to HTTPOptions.BatchSize bytes, optionally gzipped. The answer decides the batch's
// fate as NSS's does: 200 or 204, done; 400, dropped (its records lost, http_400); anything else, or no
// answer, retried with backoff until HTTPOptions.RetryWindow after the first attempt (then lost,
// retry_exhausted). No request is made, and none is left running, after Options.Deadline: a batch not
// answered by then is lost, as not_sent if it was never attempted, else as retry_exhausted. A batch whose request failed after it may have reached the collector is at risk (and
// may arrive twice). Fates go to the Ledger (without one, nothing is told). Posting happens in the
// caller's goroutine, so a slow or failing collector makes the caller fall behind instead of queueing
// batches in memory.
type httpSender struct {
	url      string
	opts     HTTPOptions
	client   *http.Client
	led      Ledger
	deadline func() time.Time
	written  atomic.Int64

	ctx    context.Context // cancelled by Interrupt
	cancel context.CancelFunc

	body   []byte   // the batch: "[" rec "," rec …
	seqs   []uint64 // its records
	opened time.Time
	gz     *gzip.Writer
	zbuf   bytes.Buffer
}

var _ Sender = (*httpSender)(nil)

// Retry backoff of a failing batch.
const (
	retryFirst = 50 * time.Millisecond
	retryMax   = 5 * time.Second
)

func dialHTTP(ctx context.Context, target string, e endpoint.Endpoint, opts Options) (*httpSender, error) {
	// NSS needs its endpoint up before it sends: check it the same way a stream target is checked, so an
	// unreachable collector is an error now rather than a minute of retries.
	cctx, cancel := context.WithTimeout(ctx, opts.DialTimeout)
	defer cancel()
	var conn net.Conn
	var err error
	if e.Scheme == endpoint.HTTPS {
		conn, err = (&tls.Dialer{Config: tlsFor(opts.TLS, e.Host)}).DialContext(cctx, "tcp", e.HostPort)
	} else {
		conn, err = (&net.Dialer{}).DialContext(cctx, "tcp", e.HostPort)
	}
	if err != nil {
		return nil, fmt.Errorf("transport: cannot connect to %s: %w", target, err)
	}
	conn.Close()
	tr := &http.Transport{
		Proxy:               nil,
		TLSClientConfig:     opts.TLS,
		MaxIdleConnsPerHost: 1,
		DialContext:         (&net.Dialer{Timeout: opts.DialTimeout}).DialContext,
		TLSHandshakeTimeout: opts.DialTimeout,
	}
	client := &http.Client{Transport: tr}
	if opts.WriteTimeout > 0 {
		client.Timeout = opts.WriteTimeout
	}
	t := &httpSender{url: target, opts: opts.HTTP, client: client, led: opts.Ledger, deadline: opts.Deadline,
		body: make([]byte, 0, opts.HTTP.BatchSize+2)}
	if t.led == nil {
		t.led = discard{}
	}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	return t, nil
}

// discard is the Ledger of a Sender given none.
type discard struct{}

func (discard) Lost(uint64, string) {}
func (discard) AtRisk(uint64)       {}
func (discard) Retried(uint64)      {}

// tlsFor returns c (or a new config) with ServerName set for a handshake check.
func tlsFor(c *tls.Config, host string) *tls.Config {
	if c == nil {
		return &tls.Config{ServerName: host}
	}
	c = c.Clone()
	if c.ServerName == "" {
		c.ServerName = host
	}
	return c
}

// Send adds rec to the batch, posting the batch first when rec would not fit, and after it when the
// batch is full or has waited BatchWait.
func (t *httpSender) Send(seq uint64, rec []byte) error {
	if len(t.seqs) > 0 && len(t.body)+1+len(rec)+1 > t.opts.BatchSize {
		t.post()
	}
	if len(t.seqs) == 0 {
		t.body = append(t.body[:0], '[')
		t.opened = time.Now()
	} else {
		t.body = append(t.body, ',')
	}
	t.body = append(t.body, rec...)
	t.seqs = append(t.seqs, seq)
	if len(t.body)+1 >= t.opts.BatchSize || time.Since(t.opened) >= t.opts.BatchWait {
		t.post()
	}
	return nil
}

// Flush posts the batch if it has waited BatchWait.
func (t *httpSender) Flush() error {
	if len(t.seqs) > 0 && time.Since(t.opened) >= t.opts.BatchWait {
		t.post()
	}
	return nil
}

// post sends the batch until it is done, dropped or out of retries, and empties it.
func (t *httpSender) post() {
	t.body = append(t.body, ']')
	payload := t.body
	if t.opts.Gzip {
		payload = t.compress(payload)
	}
	first := time.Now()
	backoff := retryFirst
	risky, attempted := false, false
	for {
		hard := t.deadline()
		if !hard.IsZero() && !time.Now().Before(hard) {
			// The run's time is over: no request after it.
			if attempted {
				t.give(LostRetryExhausted)
			} else {
				t.give(LostNotSent)
			}
			return
		}
		attempted = true
		code, err := t.do(payload, hard)
		switch {
		case err == nil && (code == http.StatusOK || code == http.StatusNoContent):
			t.written.Add(int64(len(t.seqs)))
			t.seqs = t.seqs[:0]
			return
		case err == nil && code == http.StatusBadRequest:
			t.give(LostHTTP400)
			return
		case t.ctx.Err() != nil:
			t.give(LostInterrupted)
			return
		}
		if err != nil && !risky && !isDialError(err) {
			// The request may have reached the collector before it failed.
			risky = true
			t.led.AtRisk(uint64(len(t.seqs)))
		}
		wake := time.Now().Add(backoff)
		if end := first.Add(t.opts.RetryWindow); wake.After(end) {
			wake = end
		}
		if !hard.IsZero() && !wake.Before(hard) {
			wake = time.Now() // a retry would come after the run's time: give the batch up now
		}
		if !time.Now().Before(wake) || !t.sleep(wake) {
			cause := LostRetryExhausted
			if t.ctx.Err() != nil {
				cause = LostInterrupted
			}
			t.give(cause)
			return
		}
		backoff = min(2*backoff, retryMax)
		t.led.Retried(uint64(len(t.seqs)))
	}
}

// do makes one request, cut at hard (the zero Time: not at all), and returns the status code.
func (t *httpSender) do(payload []byte, hard time.Time) (int, error) {
	ctx := t.ctx
	if !hard.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(t.ctx, hard)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(payload))
	if err != nil {
		return 0, err
	}
	for k, vs := range t.opts.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "nssbench")
	if t.opts.Gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	resp.Body.Close()
	return resp.StatusCode, nil
}

// sleep waits until wake or an interrupt (false).
func (t *httpSender) sleep(wake time.Time) bool {
	tm := time.NewTimer(time.Until(wake))
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-t.ctx.Done():
		return false
	}
}

// give counts the batch's records lost for cause and empties the batch.
func (t *httpSender) give(cause string) {
	for _, seq := range t.seqs {
		t.led.Lost(seq, cause)
	}
	t.seqs = t.seqs[:0]
}

// compress gzips p into the target's buffer.
func (t *httpSender) compress(p []byte) []byte {
	t.zbuf.Reset()
	if t.gz == nil {
		t.gz = gzip.NewWriter(&t.zbuf)
	} else {
		t.gz.Reset(&t.zbuf)
	}
	_, _ = t.gz.Write(p) // writes to a bytes.Buffer cannot fail
	_ = t.gz.Close()
	return t.zbuf.Bytes()
}

// isDialError reports whether err happened while connecting, before any of the request was sent.
func isDialError(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// Drain is Flush: posting is synchronous.
func (t *httpSender) Drain() error { return t.Flush() }

// Broke returns nothing: a failed batch is retried (or given up) before Send returns.
func (t *httpSender) Broke() []uint64 { return nil }

// Stalled is always false.
func (t *httpSender) Stalled() bool { return false }

// Reconnect does nothing: each request connects as needed.
func (t *httpSender) Reconnect(context.Context) error { return nil }

// Interrupt cancels the request in flight and every later one.
func (t *httpSender) Interrupt() { t.cancel() }

// Written returns the records in batches answered 200 or 204.
func (t *httpSender) Written() int64 { return t.written.Load() }

// LocalAddr returns nil: requests come from connections that come and go.
func (t *httpSender) LocalAddr() net.Addr { return nil }

// Close posts the last batch and releases idle connections.
func (t *httpSender) Close() error {
	if len(t.seqs) > 0 {
		t.post()
	}
	t.client.CloseIdleConnections()
	t.cancel()
	return nil
}
