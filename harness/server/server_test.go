package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/probe"
	"github.com/nssbench/nssbench/harness/transport"
)

var lines = []string{
	"Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|RDP Allow|3| act=Allow externalId=1",
	"Jun 11 02:52:44 zscaler-nss-fw CEF:0|Zscaler|NSSFWlog|5.7|Allow|Default Firewall Filtering Rule|3| act=Allow externalId=2",
	"Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed externalId=3",
	"not CEF at all",
}

func TestServerBalances(t *testing.T) {
	var out bytes.Buffer
	sink := NewJSONLines(&out)
	srv, err := Start(Config{
		Listen:   []string{"tcp://127.0.0.1:0", "udp://127.0.0.1:0", "http://127.0.0.1:0"},
		Pipeline: pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
		Sink:     sink,
	})
	if err != nil {
		t.Fatal(err)
	}
	urls := srv.URLs()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, u := range urls[:2] {
		tr, err := transport.Dial(ctx, u, transport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if err := tr.Send(0, []byte(l)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Close(); err != nil {
			t.Fatal(err)
		}
	}
	body := `[{"product":"NSSFWlog","act":"Allow","name":"Remote Backup Failed"}]`
	resp, err := http.Post(urls[2]+"/", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST status %d; want 200", resp.StatusCode)
	}
	// UDP has no end of stream: wait until its datagrams are decided.
	want := uint64(2*len(lines) + 1)
	for deadline := time.Now().Add(5 * time.Second); srv.Counters().Received.Load() < want && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sink.Flush(); err != nil {
		t.Fatal(err)
	}
	c := srv.Counters()
	if c.Received.Load() != want || c.Alerts.Load()+c.Dropped.Load() != c.Received.Load() {
		t.Fatalf("counters: %s; want %d received, balanced", c, want)
	}
	// Per transport: RDP Allow and Remote Backup Failed are mapped alerts; the rest are drops.
	if c.Mapped.Load() != 3 || c.Reason(verdict.ReasonDefaultAllow) != 2 || c.Reason(verdict.ReasonAllowedTraffic) != 2 || c.Detail(verdict.DetailBadHeader) != 2 {
		t.Fatalf("counters: %s", c)
	}
	if n := strings.Count(out.String(), "\n"); uint64(n) != want {
		t.Fatalf("sink has %d lines; want %d:\n%s", n, want, out.String())
	}
	// The line without a record id is identified by its position: connection (stream) and line.
	if !regexp.MustCompile(`(?m)^\{"connection":[1-9][0-9]*,"line":4,"stage":"collector","verdict":"dropped","reason":"malformed"`).MatchString(out.String()) {
		t.Errorf("sink lacks the position of the record without an id:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `"threatId":"T1021.001"`) {
		t.Fatalf("sink lacks the RDP Allow mapping:\n%s", out.String())
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(NewPrometheusCollector(srv))
	exp := `
# HELP nssbench_collector_records_total Records decided, by verdict.
# TYPE nssbench_collector_records_total counter
nssbench_collector_records_total{verdict="alert"} 3
nssbench_collector_records_total{verdict="dropped"} 6
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(exp), "nssbench_collector_records_total"); err != nil {
		t.Fatal(err)
	}
}

func TestStartError(t *testing.T) {
	pl := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
	if _, err := Start(Config{Listen: []string{"tcp://127.0.0.1:0", "gopher://x"}, Pipeline: pl}); err == nil {
		t.Fatal("Start accepted an unknown scheme")
	}
	if _, err := Start(Config{Pipeline: pl}); err == nil {
		t.Fatal("Start accepted no listeners")
	}
}

// TestServeMetrics: the served endpoint carries every series -target-metrics reads by default, the
// process's CPU and memory among them, so that a run against nssbench collect measures its cost.
func TestServeMetrics(t *testing.T) {
	pl := pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{})
	srv, err := Start(Config{Listen: []string{"tcp://127.0.0.1:0"}, Pipeline: pl})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	stop, addr, err := ServeMetrics("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range probe.DefaultSeries {
		if !regexp.MustCompile(`(?m)^` + name + `(\{[^}]*\})? [0-9.e+]+$`).Match(body) {
			t.Errorf("no sample of %s in:\n%s", name, body)
		}
	}
}
