package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/nssbench/nssbench/reports"
)

// Scale-out, end to end and in-process: a standalone collector (`nssbench collect`), shards of one
// schedule sent to it side by side (`nssbench run -shard i/n -target …`), and `nssbench report merge`
// over their reports. The merged report must account for exactly what the collector received, its
// percentiles must be those of all the shards' samples together, and the collector must have decided
// exactly what one unsharded run decides.
const (
	shardCount  = 4
	shardEvents = 4000 // over all shards
	shardRate   = 8000 // events per second, over all shards: a 0.5 s schedule
)

// shardCollector is `nssbench collect` running in-process on a loopback port.
type shardCollector struct {
	target, metrics, verdicts string
	stderr                    *syncBuffer
	cancel                    context.CancelFunc
	code                      chan int
	stopped                   bool
}

func startShardCollector(t *testing.T) *shardCollector {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &shardCollector{
		verdicts: filepath.Join(t.TempDir(), "verdicts.jsonl"),
		stderr:   new(syncBuffer), cancel: cancel, code: make(chan int, 1),
	}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: c.stderr, ctx: ctx}
	go func() {
		c.code <- mainArgs(e, []string{"collect", "-listen", "tcp://127.0.0.1:0", "-out", c.verdicts,
			"-metrics", "127.0.0.1:0", "-stats-every", "0"})
	}()
	t.Cleanup(func() { c.stop(t) })
	c.target = waitFor(t, c.stderr, regexp.MustCompile(`listening on (tcp://\S+)`))
	c.metrics = waitFor(t, c.stderr, regexp.MustCompile(`metrics on (http://\S+)`))
	return c
}

// stop stops the collector (once) and checks its exit code.
func (c *shardCollector) stop(t *testing.T) {
	t.Helper()
	if c.stopped {
		return
	}
	c.stopped = true
	c.cancel()
	select {
	case code := <-c.code:
		if code != exitOK {
			t.Errorf("collect exit = %d; stderr:\n%s", code, c.stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Errorf("collect did not stop within 10s; stderr:\n%s", c.stderr.String())
	}
}

// received scrapes the collector's Prometheus counters: records decided (alerts + dropped) and streams.
func (c *shardCollector) received(t *testing.T) (records, streams uint64) {
	t.Helper()
	resp, err := http.Get(c.metrics)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", sc.Text(), err)
		}
		switch {
		case strings.HasPrefix(name, "nssbench_collector_records_total{"):
			records += uint64(v)
		case name == "nssbench_collector_streams_total":
			streams = uint64(v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return records, streams
}

// runShards runs the shards side by side against target and returns their report files.
func runShardsAgainst(t *testing.T, target string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	paths := make([]string, shardCount)
	codes := make([]int, shardCount)
	stderrs := make([]*syncBuffer, shardCount)
	var wg sync.WaitGroup
	for i := range shardCount {
		paths[i] = filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
		stderrs[i] = new(syncBuffer)
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderrs[i], ctx: ctx}
		wg.Go(func() {
			codes[i] = mainArgs(e, []string{"run", "-shard", fmt.Sprintf("%d/%d", i, shardCount), "-target", target,
				"-count", strconv.Itoa(shardEvents), "-rate", strconv.Itoa(shardRate) + "/s", "-quiet", "-out", paths[i]})
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("the shards did not finish within 60s")
	}
	for i, code := range codes {
		if code != exitOK {
			t.Fatalf("shard %d/%d exit = %d; stderr:\n%s", i, shardCount, code, stderrs[i].String())
		}
	}
	return paths
}

func readShardReport(t *testing.T, path string) *reports.Report {
	t.Helper()
	rep, err := reports.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// mergeShards runs `nssbench report merge` over the shard reports and returns the merged report.
func mergeShardReports(t *testing.T, paths []string) *reports.Report {
	t.Helper()
	out := filepath.Join(t.TempDir(), "merged.json")
	code, stdout, stderr := runCLI(t, "", append([]string{"report", "merge", "-o", out}, paths...)...)
	if code != exitOK {
		t.Fatalf("report merge exit = %d; stderr:\n%s", code, stderr)
	}
	if stdout != "" || stderr != "nssbench report merge: wrote "+out+"\n" {
		t.Errorf("report merge -o FILE must write only the file and confirm it; stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	return readShardReport(t, out)
}

// sumShardCounts adds the shards' counts field by field.
func sumShardCounts(rs []*reports.Report) reports.Counts {
	var c reports.Counts
	for _, r := range rs {
		s := r.Counts
		c.Offered += s.Offered
		c.Sent += s.Sent
		c.Behind += s.Behind
		c.Verdicts += s.Verdicts
		c.Alerts += s.Alerts
		c.Mapped += s.Mapped
		c.Unmapped += s.Unmapped
		c.Dropped += s.Dropped
		c.Invalid += s.Invalid
		c.Lost += s.Lost
	}
	return c
}

// shardRun is the outcome of one sharded run, shared by the tests below (it takes about a second).
var shardRun struct {
	once      sync.Once
	failed    bool
	shards    []*reports.Report
	merged    *reports.Report
	records   uint64 // decided by the collector, from its Prometheus counters
	streams   uint64
	collector string // its final stderr line
	verdicts  []byte // its -out file
}

// shardedRun runs the collector, the shards and the merge once per test binary.
func shardedRun(t *testing.T) {
	t.Helper()
	shardRun.once.Do(func() {
		shardRun.failed = true // until the end is reached
		c := startShardCollector(t)
		paths := runShardsAgainst(t, c.target)
		for _, p := range paths {
			shardRun.shards = append(shardRun.shards, readShardReport(t, p))
		}
		shardRun.merged = mergeShardReports(t, paths)

		// The shards have closed their connections; wait (bounded) for the collector to decide what
		// they sent, then stop it so that its verdicts file is complete.
		sent := shardRun.merged.Counts.Sent
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			shardRun.records, shardRun.streams = c.received(t)
			if shardRun.records >= sent || time.Now().After(deadline) {
				break
			}
		}
		c.stop(t)
		lines := strings.Split(strings.TrimSpace(c.stderr.String()), "\n")
		shardRun.collector = lines[len(lines)-1]
		var err error
		if shardRun.verdicts, err = os.ReadFile(c.verdicts); err != nil {
			t.Fatal(err)
		}
		shardRun.failed = t.Failed()
	})
	if shardRun.failed {
		t.Fatal("the sharded run failed (see the first test that ran it)")
	}
}

func TestShardsMergeToCollectorCounts(t *testing.T) {
	t.Parallel()
	shardedRun(t)
	m := shardRun.merged

	if got, want := m.Counts, sumShardCounts(shardRun.shards); got != want {
		t.Errorf("merged counts %+v;\nwant the shards' sum %+v", got, want)
	}
	c := m.Counts
	if c.Offered != shardEvents || c.Sent != shardEvents || c.Lost != 0 {
		t.Errorf("merged offered %d, sent %d, lost %d; want %d, %d, 0", c.Offered, c.Sent, c.Lost, shardEvents, shardEvents)
	}
	// What the shards sent is exactly what the collector received and decided: nothing lost, nothing twice.
	if shardRun.records != c.Sent {
		t.Errorf("collector decided %d records (Prometheus); the merged report sent %d", shardRun.records, c.Sent)
	}
	if want := fmt.Sprintf("stopped; received %d:", c.Sent); !strings.Contains(shardRun.collector, want) {
		t.Errorf("collector's final line %q; want %q", shardRun.collector, want)
	}
	if n := uint64(strings.Count(string(shardRun.verdicts), "\n")); n != c.Sent {
		t.Errorf("collector wrote %d verdicts; the merged report sent %d", n, c.Sent)
	}
	var reconnects uint64
	if d := m.Delivery; d == nil {
		t.Error("merged report has no delivery section; external runs have one")
	} else {
		reconnects = d.Reconnects
		if d.Observed || d.Unobserved != c.Sent {
			t.Errorf("merged delivery observed %v, unobserved %d; want false, %d (no sink)", d.Observed, d.Unobserved, c.Sent)
		}
	}
	// One connection per shard, plus one per reconnection.
	if want := uint64(shardCount) + reconnects; shardRun.streams != want {
		t.Errorf("collector saw %d streams; want %d (one per shard, %d reconnects)", shardRun.streams, want, reconnects)
	}
	if m.Meta.Connections != shardCount {
		t.Errorf("merged meta connections %d; want %d", m.Meta.Connections, shardCount)
	}

	// The timeline aligns on wall-clock seconds: each merged second holds the shards' seconds.
	perSecond := map[int64]uint64{}
	for _, s := range shardRun.shards {
		for _, sec := range s.Timeline {
			perSecond[sec.Unix] += sec.Offered
		}
	}
	var total uint64
	for _, sec := range m.Timeline {
		total += sec.Offered
		if sec.Offered != perSecond[sec.Unix] {
			t.Errorf("merged second %d offered %d; the shards offered %d in it", sec.Unix, sec.Offered, perSecond[sec.Unix])
		}
		delete(perSecond, sec.Unix)
	}
	if total != shardEvents || len(perSecond) != 0 {
		t.Errorf("merged timeline offers %d events (want %d); seconds missing from it: %v", total, shardEvents, perSecond)
	}
}

func TestShardsUnionIsTheUnshardedRun(t *testing.T) {
	t.Parallel()
	shardedRun(t)
	// The same schedule unsharded, on the embedded collector: the reference collector must have
	// decided the shards' records exactly as this run decides its own.
	out := filepath.Join(t.TempDir(), "whole.json")
	code, _, stderr := runCLI(t, "", "run", "-count", strconv.Itoa(shardEvents), "-rate", strconv.Itoa(shardRate)+"/s", "-quiet", "-out", out)
	if code != exitOK {
		t.Fatalf("unsharded run exit = %d; stderr:\n%s", code, stderr)
	}
	whole := readShardReport(t, out)

	var alerts, mapped uint64
	drops := map[string]uint64{}
	sc := bufio.NewScanner(strings.NewReader(string(shardRun.verdicts)))
	for sc.Scan() {
		var v struct {
			Stage, Verdict, Reason, Detail string
			Mapped                         bool
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("verdict %q: %v", sc.Text(), err)
		}
		switch v.Verdict {
		case "alert":
			alerts++
			if v.Mapped {
				mapped++
			}
		case "dropped":
			drops[v.Stage+"/"+v.Reason+"/"+v.Detail]++
		default:
			t.Errorf("verdict %q: kind %q", sc.Text(), v.Verdict)
		}
	}
	if alerts != whole.Counts.Alerts || mapped != whole.Counts.Mapped {
		t.Errorf("collector: %d alerts (%d mapped); the unsharded run: %d (%d)", alerts, mapped, whole.Counts.Alerts, whole.Counts.Mapped)
	}
	for _, d := range whole.Drops {
		k := d.Stage + "/" + d.Reason + "/" + d.Detail
		if drops[k] != d.Count {
			t.Errorf("drops %s: collector %d, unsharded run %d", k, drops[k], d.Count)
		}
		delete(drops, k)
	}
	for k, n := range drops {
		t.Errorf("drops %s: collector %d, unsharded run none", k, n)
	}
}

func TestShardsMergedPercentiles(t *testing.T) {
	t.Parallel()
	shardedRun(t)
	m := shardRun.merged
	if len(m.Latency) == 0 {
		t.Fatal("merged report has no latency stages")
	}
	for _, ml := range m.Latency {
		// The shards' samples together: decode each shard's histogram and merge them here.
		all := hdr.New(reports.HistogramLowest, reports.HistogramHighest, reports.HistogramDigits)
		for i, s := range shardRun.shards {
			for _, sl := range s.Latency {
				if sl.Stage != ml.Stage || sl.Histogram == "" {
					continue
				}
				h, err := hdr.Decode([]byte(sl.Histogram))
				if err != nil {
					t.Fatalf("shard %d %s histogram: %v", i, sl.Stage, err)
				}
				if uint64(h.TotalCount()) != sl.Count {
					t.Fatalf("shard %d %s histogram holds %d values; its count says %d", i, sl.Stage, h.TotalCount(), sl.Count)
				}
				if dropped := all.Merge(h); dropped != 0 {
					t.Fatalf("shard %d %s: %d values outside the histogram", i, sl.Stage, dropped)
				}
			}
		}
		if uint64(all.TotalCount()) != ml.Count {
			t.Errorf("%s: merged count %d; the shards' histograms hold %d", ml.Stage, ml.Count, all.TotalCount())
			continue
		}
		if ml.Count == 0 {
			continue
		}
		for _, p := range []struct {
			name      string
			got, want time.Duration
		}{
			{"min", ml.Min, time.Duration(all.Min())},
			{"mean", ml.Mean, time.Duration(math.Round(all.Mean()))},
			{"p50", ml.P50, time.Duration(all.ValueAtPercentile(50))},
			{"p90", ml.P90, time.Duration(all.ValueAtPercentile(90))},
			{"p99", ml.P99, time.Duration(all.ValueAtPercentile(99))},
			{"p99.9", ml.P999, time.Duration(all.ValueAtPercentile(99.9))},
			{"max", ml.Max, time.Duration(all.Max())},
		} {
			if p.got != p.want {
				t.Errorf("%s %s: merged report %v; the shards' samples together %v", ml.Stage, p.name, p.got, p.want)
			}
		}
		// And every percentile of the merged histogram, not only the summarised ones.
		for p := 0.0; p <= 100; p += 0.5 {
			got, err := ml.Quantile(p)
			if err != nil {
				t.Fatal(err)
			}
			if want := time.Duration(all.ValueAtPercentile(p)); got != want {
				t.Errorf("%s p%g: merged histogram %v; the shards' samples together %v", ml.Stage, p, got, want)
				break
			}
		}
	}
	// Shards that were not behind schedule sent every event: the send stage saw all of them.
	if s := m.Stage(reports.SendLag); s == nil || s.Count != m.Counts.Sent {
		t.Errorf("merged send-lag stage %+v; want a count of %d", s, m.Counts.Sent)
	}
}

func TestShardReportsOfferTheirShareOfTheRate(t *testing.T) {
	shardedRun(t)
	// Merge adds the shards' nominal offered rates, so each shard must report its own share
	// (rate/n), or the merged report claims n times the rate that was offered.
	for i, s := range shardRun.shards {
		if want := float64(shardRate) / shardCount; math.Abs(s.Meta.OfferedRate-want) > 1e-9*want {
			t.Errorf("shard %d/%d meta.offeredRate %g; want its share %g of %d/s", i, shardCount, s.Meta.OfferedRate, want, shardRate)
		}
	}
	if got := shardRun.merged.Meta.OfferedRate; math.Abs(got-shardRate) > 1e-9*shardRate {
		t.Errorf("merged meta.offeredRate %g; want %d (the rate the shards offered together)", got, shardRate)
	}
}

// TestShardMergeChecks: shard reports say which shard they are, a merge refuses a shard given twice,
// and merging only some shards fails (exit 3) saying which are missing.
func TestShardMergeChecks(t *testing.T) {
	t.Parallel()
	shardedRun(t)
	for i, r := range shardRun.shards {
		if r.Meta.ShardIndex != i || r.Meta.ShardCount != shardCount {
			t.Errorf("shard %d's report says shard %d/%d", i, r.Meta.ShardIndex, r.Meta.ShardCount)
		}
	}
	// The shards' own files belong to the test that ran them; write the reports again.
	dir := t.TempDir()
	var p []string
	for i, r := range shardRun.shards {
		path := filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
		if err := outputs(&env{stderr: io.Discard}, "test").Write(path, func(w io.Writer) error { return reports.JSON.Render(w, r) }); err != nil {
			t.Fatal(err)
		}
		p = append(p, path)
	}
	code, _, stderr := runCLI(t, "", "report", "merge", "-o", filepath.Join(t.TempDir(), "twice.json"), p[0], p[1], p[0])
	if code != exitFailure || !strings.Contains(stderr, fmt.Sprintf("report 2 is shard 0/%d again (report 0)", shardCount)) {
		t.Errorf("merging shard 0 twice: exit %d, stderr %q; want exit 1 naming the repeated shard", code, stderr)
	}
	code, _, stderr = runCLI(t, "", append([]string{"report", "merge", "-o", filepath.Join(t.TempDir(), "part.json")}, p[:shardCount-1]...)...)
	want := fmt.Sprintf("%d of %d shards merged; missing [%d]", shardCount-1, shardCount, shardCount-1)
	if code != exitConformance || !strings.Contains(stderr, want) {
		t.Errorf("merging all but the last shard: exit %d, stderr %q; want exit 3 and %q", code, stderr, want)
	}
}
