package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
)

// Ways to deliver a corpus's records to the pipeline.
const (
	ViaInproc = "inproc" // decided in-process, straight from the file
	ViaTCP    = "tcp"    // sent over loopback to the embedded collector (TCP, or HTTP for JSON corpora)
)

// VerifyOptions configures Verify.
type VerifyOptions struct {
	// Pipeline decides the records; nil means the corpus's own (corpus.json's rules and mappings, with
	// Spec's overrides), whose mapping warnings then go into Result.Warnings.
	Pipeline *pipeline.Pipeline
	Spec     PipelineSpec
	// Via is ViaInproc (default) or ViaTCP: a real loopback collector.Listener fed by a
	// transport.Sender with the corpus's framing, or, for a JSON corpus, HTTP POSTs of NDJSON batches
	// to the collector's Cloud NSS endpoint.
	Via string
	// MaxMismatches is how many mismatches the Result keeps in detail: 0 means DefaultMaxMismatches,
	// a negative number none. All are counted.
	MaxMismatches int
	// Timeout bounds the wait for the collector to hand over the last record with ViaTCP; 0 means 30 s.
	Timeout time.Duration
	// Tally, when set, counts every verdict the pipeline decides, as decided (not as expected): the
	// ATT&CK coverage the corpus observes (coverage.FromTally). Verify adds to it; it may span corpora.
	Tally *coverage.Tally
}

// Verify decides every input record of c and compares each verdict with its expected record, field by
// field (recordid or line, feed, stage, verdict, reason, detail, alertType, mapped, threatId,
// threatName), applying the corpus's patterns.
//
// Mismatches are data on the Result. Errors are for corpora that cannot be verified, and always mean
// failure, never a pass: a missing, truncated or corrupt file, an expected line that is not a verdict
// record, or input and expected files with different numbers of records (kind ErrCount) — all *Error
// values naming file and line — or a pipeline file that does not load, a collector that cannot listen,
// or ctx ending. With an error the Result (possibly nil) covers what was checked before it.
func Verify(ctx context.Context, c *Corpus, opts VerifyOptions) (*Result, error) {
	start := time.Now()
	expPath, err := c.expectedPath()
	if err != nil {
		return nil, err
	}
	res := &Result{Corpus: c.Dir, Description: c.Manifest.Description, Via: opts.Via}
	if res.Via == "" {
		res.Via = ViaInproc
	}
	p := opts.Pipeline
	if p == nil {
		var warnings []pipeline.Warning
		if p, warnings, err = c.Pipeline(opts.Spec); err != nil {
			return nil, err
		}
		for _, w := range warnings {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg))
		}
	}
	res.Pipeline = p.String()
	exp, err := openExpected(expPath)
	if err != nil {
		return nil, err
	}
	defer exp.close()
	k := newChecker(c, p, exp, res, opts.MaxMismatches)
	k.tally = opts.Tally
	switch res.Via {
	case ViaInproc:
		err = verifyInproc(ctx, c, p, k)
	case ViaTCP:
		err = verifyLoopback(ctx, c, p, k, opts.Timeout)
	default:
		return nil, fmt.Errorf("corpus: unknown delivery %q (want %s or %s)", opts.Via, ViaInproc, ViaTCP)
	}
	if err == nil {
		err = k.finish()
	}
	res.Elapsed = time.Since(start)
	return res, err
}

// verifyInproc feeds the input file straight to the checker.
func verifyInproc(ctx context.Context, c *Corpus, p *pipeline.Pipeline, k *checker) error {
	src, err := openSource(c, p.MaxLine())
	if err != nil {
		return err
	}
	defer src.close()
	var r inputRecord
	for n := 0; ; n++ {
		if n&4095 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := src.next(&r); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := k.check(&r); err != nil {
			return err
		}
	}
}

// loopbackHandler hands a collector stream's records to the shared checker. Streams arrive one after
// another (one TCP connection; sequential HTTP POSTs), but the mutex keeps that an assumption the race
// detector would catch, not a data race.
type loopbackHandler struct {
	lv *loopback
}

// loopback is the state of one ViaTCP verification.
type loopback struct {
	mu       sync.Mutex
	k        *checker
	err      error // the first checker error; later records are counted, not checked
	received uint64
	closed   chan error // a stream's end
}

func (h loopbackHandler) Record(rec []byte, _ collector.Format, _ int64) {
	h.lv.handle(&inputRecord{data: rec})
}

func (h loopbackHandler) Oversize(int64) {
	h.lv.handle(&inputRecord{oversize: true})
}

func (h loopbackHandler) Close(err error) {
	select {
	case h.lv.closed <- err: // the CEF sender waits for its one stream's end
	default: // HTTP: each POST is a stream, and the response says it ended
	}
}

func (lv *loopback) handle(r *inputRecord) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	lv.received++
	if lv.err == nil {
		lv.err = lv.k.check(r)
	}
}

// verifyLoopback sends the input through a real loopback listener and checks what the collector hands
// over.
func verifyLoopback(ctx context.Context, c *Corpus, p *pipeline.Pipeline, k *checker, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	lv := &loopback{k: k, closed: make(chan error, 1)}
	addr := "tcp://127.0.0.1:0"
	if c.Format() == FormatJSON {
		addr = "http://127.0.0.1:0"
	}
	l, err := collector.Listen(addr, collector.Config{MaxLine: p.MaxLine()}, func(collector.Conn) collector.Handler {
		return loopbackHandler{lv}
	})
	if err != nil {
		return err
	}
	defer l.Close()
	src, err := openSource(c, sendMaxLine)
	if err != nil {
		return err
	}
	defer src.close()
	var sent uint64
	if c.Format() == FormatJSON {
		sent, err = postJSON(ctx, l.URL(), src)
	} else {
		sent, err = sendCEF(ctx, l.URL(), c.Framing(), src, lv, timeout)
	}
	if err != nil {
		return err
	}
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.err != nil {
		return lv.err
	}
	if lv.received != sent {
		return fmt.Errorf("corpus: via %s: sent %d records, the collector handed over %d", ViaTCP, sent, lv.received)
	}
	return nil
}

// sendCEF sends the records over one TCP connection and waits for the collector to end the stream.
func sendCEF(ctx context.Context, url, framingName string, src source, lv *loopback, timeout time.Duration) (uint64, error) {
	s, err := transport.Dial(ctx, url, transport.Options{Framing: framingName})
	if err != nil {
		return 0, err
	}
	var sent uint64
	var r inputRecord
	for {
		err := src.next(&r)
		if err == io.EOF {
			break
		}
		if err != nil {
			s.Close()
			return sent, err
		}
		if r.oversize {
			s.Close()
			return sent, fmt.Errorf("corpus: via %s: record %d is over %d bytes and cannot be sent", ViaTCP, sent+1, sendMaxLine)
		}
		if err := s.Send(sent, r.data); err != nil {
			s.Close()
			return sent, fmt.Errorf("corpus: via %s: record %d: %w", ViaTCP, sent+1, err)
		}
		sent++
	}
	if err := s.Close(); err != nil {
		return sent, err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-lv.closed:
		if err != nil {
			return sent, fmt.Errorf("corpus: via %s: the collector's stream ended with: %w", ViaTCP, err)
		}
		return sent, nil
	case <-ctx.Done():
		return sent, ctx.Err()
	case <-t.C:
		return sent, fmt.Errorf("corpus: via %s: the collector did not finish within %v", ViaTCP, timeout)
	}
}

// postBatch is how many JSON objects go in one POST.
const postBatch = 500

// postJSON POSTs the records to the Cloud NSS endpoint in NDJSON batches, one after another: the
// collector answers after handing a batch over, so batches are checked in order.
func postJSON(ctx context.Context, url string, src source) (uint64, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	var body bytes.Buffer
	var sent, inBody uint64
	flush := func() error {
		if inBody == 0 {
			return nil
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body.Bytes()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("corpus: via %s: POST: %w", ViaTCP, err)
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("corpus: via %s: records %d-%d: the collector answered %s: %s", ViaTCP, sent-inBody+1, sent, resp.Status, bytes.TrimSpace(msg))
		}
		body.Reset()
		inBody = 0
		return nil
	}
	var r inputRecord
	for {
		err := src.next(&r)
		if errors.Is(err, io.EOF) {
			return sent, flush()
		}
		if err != nil {
			return sent, err
		}
		body.Write(r.data)
		body.WriteByte('\n')
		sent++
		if inBody++; inBody == postBatch {
			if err := flush(); err != nil {
				return sent, err
			}
		}
	}
}
