package run

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/klauspost/compress/gzip"
)

// httpTarget posts Cloud NSS-style batches: a JSON array of records ("JSON Array Notation", NSS's
// default) per POST, up to HTTPOptions.BatchSize bytes, optionally gzipped. The answer decides the batch's
// fate as NSS's does: 200 or 204, done; 400, dropped (its records lost, http_400); anything else, or no
// answer, retried with backoff until HTTPOptions.RetryWindow after the first attempt (then lost,
// retry_exhausted). A batch whose request failed after it may have reached the collector is at risk (and
// may arrive twice). Posting happens in the sender's goroutine, so a slow or failing collector makes the
// sender fall behind instead of queueing batches in memory.
type httpTarget struct {
	url      string
	opts     HTTPOptions
	client   *http.Client
	led      ledger
	deadline func() time.Time

	ctx    context.Context // cancelled by interrupt
	cancel context.CancelFunc

	body   []byte   // the batch: "[" rec "," rec …
	seqs   []uint64 // its records
	opened time.Time
	gz     *gzip.Writer
	zbuf   bytes.Buffer
}

// Retry backoff of a failing batch.
const (
	retryFirst = 50 * time.Millisecond
	retryMax   = 5 * time.Second
)

func dialHTTP(ctx context.Context, cfg *Config, led ledger, deadline func() time.Time) (*httpTarget, error) {
	u, err := ParseTarget(cfg.Target)
	if err != nil {
		return nil, err
	}
	hostport := u.Host
	if u.Port() == "" {
		hostport = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	// NSS needs its endpoint up before it sends: check it the same way a stream target is checked, so an
	// unreachable collector is an error now rather than a minute of retries.
	cctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	var conn net.Conn
	if u.Scheme == "https" {
		conn, err = (&tls.Dialer{Config: tlsFor(cfg.TLS, u.Hostname())}).DialContext(cctx, "tcp", hostport)
	} else {
		conn, err = (&net.Dialer{}).DialContext(cctx, "tcp", hostport)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %w", cfg.Target, err)
	}
	conn.Close()
	tr := &http.Transport{
		Proxy:               nil,
		TLSClientConfig:     cfg.TLS,
		MaxIdleConnsPerHost: 1,
		DialContext:         (&net.Dialer{Timeout: dialTimeout}).DialContext,
		TLSHandshakeTimeout: dialTimeout,
	}
	client := &http.Client{Transport: tr}
	if cfg.WriteTimeout > 0 {
		client.Timeout = cfg.WriteTimeout
	}
	t := &httpTarget{url: cfg.Target, opts: cfg.HTTP, client: client, led: led, deadline: deadline,
		body: make([]byte, 0, cfg.HTTP.BatchSize+2)}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	return t, nil
}

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

// send adds rec to the batch, posting the batch first when rec would not fit, and after it when the
// batch is full or has waited BatchWait.
func (t *httpTarget) send(seq uint64, rec []byte) error {
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

// flush posts the batch if it has waited BatchWait.
func (t *httpTarget) flush() error {
	if len(t.seqs) > 0 && time.Since(t.opened) >= t.opts.BatchWait {
		t.post()
	}
	return nil
}

// post sends the batch until it is done, dropped or out of retries, and empties it.
func (t *httpTarget) post() {
	t.body = append(t.body, ']')
	payload := t.body
	if t.opts.Gzip {
		payload = t.compress(payload)
	}
	first := time.Now()
	backoff := retryFirst
	risky := false
	for {
		code, err := t.do(payload)
		switch {
		case err == nil && (code == http.StatusOK || code == http.StatusNoContent):
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
			t.led.atRisk(uint64(len(t.seqs)))
		}
		wake := time.Now().Add(backoff)
		if end := first.Add(t.opts.RetryWindow); wake.After(end) {
			wake = end
		}
		if hard := t.deadline(); !hard.IsZero() && wake.After(hard) {
			wake = hard
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
		t.led.retried(uint64(len(t.seqs)))
	}
}

// do makes one request and returns the status code.
func (t *httpTarget) do(payload []byte) (int, error) {
	req, err := http.NewRequestWithContext(t.ctx, http.MethodPost, t.url, bytes.NewReader(payload))
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
func (t *httpTarget) sleep(wake time.Time) bool {
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
func (t *httpTarget) give(cause string) {
	for _, seq := range t.seqs {
		t.led.lost(seq, cause)
	}
	t.seqs = t.seqs[:0]
}

// compress gzips p into the target's buffer.
func (t *httpTarget) compress(p []byte) []byte {
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

func (t *httpTarget) broke() []uint64                 { return nil }
func (t *httpTarget) stalled() bool                   { return false }
func (t *httpTarget) reconnect(context.Context) error { return nil }

// interrupt cancels the request in flight and every later one.
func (t *httpTarget) interrupt() { t.cancel() }

// close posts the last batch and releases idle connections.
func (t *httpTarget) close() error {
	if len(t.seqs) > 0 {
		t.post()
	}
	t.client.CloseIdleConnections()
	t.cancel()
	return nil
}
