package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/nssbench/nssbench/reports"
)

// maxScrapeBytes bounds one scrape's body.
const maxScrapeBytes = 64 << 20

// Scraper scrapes a Prometheus endpoint (text exposition format) every Options.Interval for named
// series until Stop or its context ends, keeping a running summary of each: nothing grows with the
// number of scrapes.
type Scraper struct {
	url    string
	client *http.Client
	opt    Options
	series []*series
	start  time.Time
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
	// written by the scraping goroutine before done closes
	scrapes, failed int
	lastErr         error
}

// series is one selector and its running summary.
type series struct {
	reports.TargetSeries
	selector
	firstAt, lastAt time.Duration
	sum             float64 // of the values seen, for the gauge mean
}

// selector picks series: a metric name and exact label values. The name of a summary's or histogram's
// _count or _sum picks that part of it; the bare name picks its count.
type selector struct {
	name   string
	labels [][2]string
}

// StartScrape scrapes url once, which must succeed, then every opt.Interval until ctx ends or Stop is
// called. Each entry of names is a metric name with optional exact label values, e.g.
// `nssbench_collector_records_total{verdict="alert"}`; the label sets it matches are summed. Failed
// scrapes later on are counted and noted, not fatal: the endpoint may restart.
func StartScrape(ctx context.Context, url string, names []string, opt Options) (*Scraper, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("scrape %s: no series named", url)
	}
	s := &Scraper{
		url:    url,
		client: &http.Client{Timeout: 5 * time.Second},
		opt:    opt.withDefaults(),
		start:  time.Now(),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	for _, n := range names {
		sel, err := parseSelector(n)
		if err != nil {
			return nil, fmt.Errorf("scrape %s: series %q: %w", url, n, err)
		}
		s.series = append(s.series, &series{TargetSeries: reports.TargetSeries{Name: n}, selector: sel})
	}
	if err := s.scrape(ctx); err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	s.scrapes++
	go s.loop(ctx)
	return s, nil
}

func (s *Scraper) loop(ctx context.Context) {
	defer close(s.done)
	tick := time.NewTicker(s.opt.Interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			s.take(ctx)
		case <-ctx.Done():
			return
		case <-s.stop:
			s.take(context.Background()) // the last values, up to the end
			return
		}
	}
}

func (s *Scraper) take(ctx context.Context) {
	if err := s.scrape(ctx); err != nil {
		s.failed++
		s.lastErr = err
		return
	}
	s.scrapes++
}

// scrape fetches and parses the endpoint once and adds what it found to each series.
func (s *Scraper) scrape(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("status %s", resp.Status)
	}
	at := time.Since(s.start)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(&limitedBody{r: resp.Body, n: maxScrapeBytes})
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	for _, se := range s.series {
		if v, kind, ok := se.value(fams); ok {
			se.add(at, v, kind)
		}
	}
	return nil
}

// value sums the series se selects in fams.
func (se *series) value(fams map[string]*dto.MetricFamily) (v float64, kind string, ok bool) {
	name, part := se.name, ""
	fam := fams[name]
	if fam == nil {
		for _, suffix := range []string{"_count", "_sum"} {
			if base, cut := strings.CutSuffix(name, suffix); cut && fams[base] != nil {
				fam, part = fams[base], suffix
				break
			}
		}
	}
	if fam == nil {
		return 0, "", false
	}
	kind = "gauge"
	switch fam.GetType() {
	case dto.MetricType_COUNTER, dto.MetricType_SUMMARY, dto.MetricType_HISTOGRAM:
		kind = "counter"
	}
	for _, m := range fam.GetMetric() {
		if !se.matches(m) {
			continue
		}
		ok = true
		switch {
		case m.Counter != nil:
			v += m.GetCounter().GetValue()
		case m.Gauge != nil:
			v += m.GetGauge().GetValue()
		case m.Untyped != nil:
			v += m.GetUntyped().GetValue()
		case m.Summary != nil && part == "_sum":
			v += m.GetSummary().GetSampleSum()
		case m.Summary != nil:
			v += float64(m.GetSummary().GetSampleCount())
		case m.Histogram != nil && part == "_sum":
			v += m.GetHistogram().GetSampleSum()
		case m.Histogram != nil:
			v += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return v, kind, ok
}

func (sel *selector) matches(m *dto.Metric) bool {
	for _, want := range sel.labels {
		found := false
		for _, lp := range m.GetLabel() {
			if lp.GetName() == want[0] {
				found = lp.GetValue() == want[1]
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// add adds one scrape's value. A counter that goes down was reset (the target restarted): its new
// value is all increase.
func (se *series) add(at time.Duration, v float64, kind string) {
	if se.Seen == 0 {
		se.Kind, se.First, se.Max, se.firstAt = kind, v, v, at
	} else if se.Kind == "counter" {
		if v >= se.Last {
			se.Increase += v - se.Last
		} else {
			se.Increase += v
		}
	}
	se.Seen++
	se.Last, se.lastAt = v, at
	se.Max = max(se.Max, v)
	se.sum += v
}

// Stop ends scraping after a last scrape and returns the summary. It may be called more than once.
// Call it before the target stops, or the last scrape fails.
func (s *Scraper) Stop() *reports.TargetMetrics {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	m := &reports.TargetMetrics{URL: s.url, Scrapes: s.scrapes, Failed: s.failed, Series: []reports.TargetSeries{}}
	if s.failed > 0 {
		m.Note = fmt.Sprintf("%d of %d scrapes failed, the last: %v", s.failed, s.scrapes+s.failed, s.lastErr)
	}
	for _, se := range s.series {
		out := se.TargetSeries
		if out.Seen > 0 {
			out.Mean = se.sum / float64(out.Seen)
		}
		if d := (se.lastAt - se.firstAt).Seconds(); out.Kind == "counter" && d > 0 {
			out.Rate = out.Increase / d
		}
		if out.Kind == "counter" {
			out.Mean, out.Max = 0, 0
		} else {
			out.First = 0
		}
		m.Series = append(m.Series, out)
	}
	return m
}

// parseSelector parses `name` or `name{label="value",...}`.
func parseSelector(s string) (selector, error) {
	name, rest, braced := strings.Cut(s, "{")
	sel := selector{name: strings.TrimSpace(name)}
	if sel.name == "" {
		return sel, errors.New("no metric name")
	}
	if !braced {
		return sel, nil
	}
	for {
		rest = strings.TrimLeft(rest, " ,")
		if strings.HasPrefix(rest, "}") {
			if strings.TrimSpace(rest[1:]) != "" {
				return sel, fmt.Errorf("text after '}': %q", rest[1:])
			}
			return sel, nil
		}
		key, after, ok := strings.Cut(rest, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return sel, fmt.Errorf("want label=\"value\" at %q", rest)
		}
		after = strings.TrimLeft(after, " ")
		q, err := strconv.QuotedPrefix(after)
		if err != nil {
			return sel, fmt.Errorf("label %s: want a quoted value at %q", key, after)
		}
		val, _ := strconv.Unquote(q) // a valid quoted prefix unquotes
		sel.labels = append(sel.labels, [2]string{key, val})
		rest = after[len(q):]
	}
}

// limitedBody reads at most n bytes, then fails: a body over the limit is an error, not a silently
// truncated scrape.
type limitedBody struct {
	r io.Reader
	n int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("body over %d MiB", maxScrapeBytes>>20)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
