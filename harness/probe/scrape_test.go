package probe

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nssbench/nssbench/reports"
)

// exposition serves the text format: scrape n (from 1) shows a counter at 100·n by verdict (reset to 0
// at scrape resetAt), a gauge cycling through 5, 9, 1, and a histogram with n observations; scrapes
// listed in fail answer 500.
type exposition struct {
	mu      sync.Mutex
	n       int
	resetAt int
	fail    map[int]bool
}

func (e *exposition) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.n++
	n := e.n
	e.mu.Unlock()
	if e.fail[n] {
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	c := 100 * n
	if e.resetAt > 0 && n >= e.resetAt {
		c = 100 * (n - e.resetAt)
	}
	fmt.Fprintf(w, `# HELP records_total Records.
# TYPE records_total counter
records_total{verdict="alert"} %d
records_total{verdict="dropped"} %d
# TYPE queue gauge
queue %d
# TYPE latency_seconds histogram
latency_seconds_bucket{le="1"} %d
latency_seconds_bucket{le="+Inf"} %d
latency_seconds_sum %d
latency_seconds_count %d
`, c, 2*c, []int{5, 9, 1}[(n-1)%3], n, n, 3*n, n)
}

func (e *exposition) scrapes() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n
}

// scrapeUntil scrapes srv for names until it has served n scrapes and returns the summary.
func scrapeUntil(t *testing.T, srv *httptest.Server, e *exposition, names []string, n int) *reports.TargetMetrics {
	t.Helper()
	s, err := StartScrape(context.Background(), srv.URL, names, Options{Interval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); e.scrapes() < n-1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d scrapes after 10s; want %d", e.scrapes(), n-1)
		}
	}
	return s.Stop()
}

// TestScrape checks the summaries of counters (summed over label sets or picked by label), a gauge and
// a histogram's parts, from the values served.
func TestScrape(t *testing.T) {
	e := &exposition{}
	srv := httptest.NewServer(e)
	defer srv.Close()
	names := []string{"records_total", `records_total{verdict="dropped"}`, "queue", "latency_seconds",
		"latency_seconds_sum", "absent_total", `records_total{verdict="nope"}`}
	m := scrapeUntil(t, srv, e, names, 30)
	last := e.scrapes()
	if m.URL != srv.URL || m.Scrapes != last || m.Failed != 0 || m.Note != "" || len(m.Series) != len(names) {
		t.Fatalf("metrics %+v; want %d scrapes of %d series, none failed", m, last, len(names))
	}
	want := []reports.TargetSeries{
		{Kind: "counter", First: 300, Last: float64(300 * last), Increase: float64(300 * (last - 1))},
		{Kind: "counter", First: 200, Last: float64(200 * last), Increase: float64(200 * (last - 1))},
		{Kind: "gauge", Last: float64([]int{5, 9, 1}[(last-1)%3]), Max: 9},
		{Kind: "counter", First: 1, Last: float64(last), Increase: float64(last - 1)},
		{Kind: "counter", First: 3, Last: float64(3 * last), Increase: float64(3 * (last - 1))},
		{},
		{},
	}
	for i, w := range want {
		g := m.Series[i]
		if g.Name != names[i] || g.Kind != w.Kind || g.First != w.First || g.Last != w.Last || g.Increase != w.Increase || g.Max != w.Max {
			t.Errorf("series %s: %+v; want %+v", names[i], g, w)
		}
		if wantSeen := map[bool]int{true: last, false: 0}[w.Kind != ""]; g.Seen != wantSeen {
			t.Errorf("series %s seen %d times; want %d", names[i], g.Seen, wantSeen)
		}
		if w.Kind == "counter" && !(g.Rate > 0) || w.Kind != "counter" && g.Rate != 0 {
			t.Errorf("series %s rate %v; want > 0 for counters only", names[i], g.Rate)
		}
	}
	if mean := m.Series[2].Mean; mean < 1 || mean > 9 {
		t.Errorf("gauge mean %v; want between 1 and 9", mean)
	}
}

// TestScrapeResetAndFailures: a counter reset adds its new value to the increase; failed scrapes are
// counted and noted, and the series keep going.
func TestScrapeResetAndFailures(t *testing.T) {
	e := &exposition{resetAt: 10, fail: map[int]bool{4: true, 5: true, 12: true}}
	srv := httptest.NewServer(e)
	defer srv.Close()
	m := scrapeUntil(t, srv, e, []string{`records_total{verdict="alert"}`}, 20)
	last := e.scrapes()
	if m.Failed != 3 || m.Scrapes != last-3 || !strings.Contains(m.Note, "3 of") || !strings.Contains(m.Note, "500") {
		t.Errorf("scrapes %d failed %d note %q; want 3 failures noted with their status", m.Scrapes, m.Failed, m.Note)
	}
	s := m.Series[0]
	// 100 at scrape 1 up to 900 at scrape 9, then 0 at 10 up to 100·(last-10): all increase.
	if want := float64(800 + 100*(last-10)); s.Increase != want || s.Seen != last-3 {
		t.Errorf("counter %+v; want an increase of %v over %d scrapes", s, want, last-3)
	}
}

// TestScrapeStartErrors: an endpoint that cannot be scraped, or a bad selector, is an error at start.
func TestScrapeStartErrors(t *testing.T) {
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "this is { not the exposition format")
	}))
	defer bad.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	ok := httptest.NewServer(&exposition{})
	defer ok.Close()
	for _, c := range []struct {
		url, name, want string
	}{
		{downURL, "x", "connection refused"},
		{missing.URL, "x", "404"},
		{bad.URL, "x", "parse"},
		{ok.URL, `x{a=b}`, "quoted value"},
		{ok.URL, `x{a="b"`, "label="},
		{ok.URL, `{a="b"}`, "no metric name"},
		{ok.URL, `x{a="b"} y`, "after '}'"},
	} {
		_, err := StartScrape(context.Background(), c.url, []string{c.name}, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "scrape "+c.url) {
			t.Errorf("StartScrape(%s, %q) = %v; want an error naming the URL and %q", c.url, c.name, err, c.want)
		}
	}
	if _, err := StartScrape(context.Background(), ok.URL, nil, Options{}); err == nil {
		t.Error("StartScrape with no series succeeded; want an error")
	}
}

// TestScrapePromhttp scrapes a real client_golang registry, as `nssbench collect -metrics` serves it.
func TestScrapePromhttp(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "nssbench_collector_records_total", Help: "Records."}, []string{"verdict"})
	reg.MustRegister(c)
	c.WithLabelValues("alert").Add(7)
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	s, err := StartScrape(context.Background(), srv.URL, []string{"nssbench_collector_records_total"}, Options{Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	c.WithLabelValues("dropped").Add(5)
	time.Sleep(50 * time.Millisecond)
	m := s.Stop()
	if got := m.Series[0]; got.Kind != "counter" || got.First != 7 || got.Last != 12 || math.Abs(got.Increase-5) > 0 {
		t.Errorf("series %+v; want a counter from 7 to 12", got)
	}
}
