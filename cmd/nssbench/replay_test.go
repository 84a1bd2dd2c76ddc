package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/harness/replay"
	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/scenarios"
)

// recording is 'corpus record -count N' running in-process on a loopback port.
type recording struct {
	url, dir string
	stderr   *syncBuffer
	code     chan int
}

func startRecording(t *testing.T, count int) *recording {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	r := &recording{dir: filepath.Join(t.TempDir(), "rec"), stderr: new(syncBuffer), code: make(chan int, 1)}
	e := &env{stdin: strings.NewReader(""), stdout: new(syncBuffer), stderr: r.stderr, ctx: ctx}
	go func() {
		r.code <- cmdCorpus(e, []string{"record", "-listen", "tcp://127.0.0.1:0", "-count", strconv.Itoa(count), "-out", r.dir})
	}()
	r.url = waitFor(t, r.stderr, regexp.MustCompile(`listening on (tcp://\S+)`))
	return r
}

// wait waits for the recording to stop at its count and returns its input file.
func (r *recording) wait(t *testing.T) string {
	t.Helper()
	select {
	case code := <-r.code:
		if code != exitOK {
			t.Fatalf("corpus record exit %d:\n%s", code, r.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("corpus record did not stop:\n%s", r.stderr.String())
	}
	return filepath.Join(r.dir, "input.log")
}

// runReport runs 'run args… -quiet -out FILE' and returns its exit code and report.
func runReport(t *testing.T, args ...string) (int, *reports.Report) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI(t, "", append(append([]string{"run"}, args...), "-quiet", "-out", out)...)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("run %v: exit %d, no report: %v\nstdout: %s\nstderr: %s", args, code, err, stdout, stderr)
	}
	var rep reports.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	return code, &rep
}

// verdictIDs returns the record id (or, without one, "line N") of each verdict line of a JSON lines file.
func verdictIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var v struct {
			RecordID string `json:"recordid"`
			Line     uint64 `json:"line"`
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%s: %q: %v", path, l, err)
		}
		if v.RecordID == "" {
			v.RecordID = "line " + strconv.FormatUint(v.Line, 10)
		}
		ids = append(ids, v.RecordID)
	}
	return ids
}

// TestReplayRecordedFeed is issue 15's demonstration: a feed recorded with 'corpus record', replayed
// into 'collect', arrives as the recording: the same record ids in the same order, and the same bytes
// (replayed into a second recording, it records the identical file).
func TestReplayRecordedFeed(t *testing.T) {
	t.Parallel()
	const n = 600
	first := startRecording(t, n)
	if code, _, stderr := runCLI(t, "", "run", "-target", first.url, "-count", strconv.Itoa(n), "-rate", "6000/s", "-quiet"); code != exitOK {
		t.Fatalf("feeding the recording: exit %d\n%s", code, stderr)
	}
	input := first.wait(t)
	rec, err := replay.Read(input)
	if err != nil {
		t.Fatal(err)
	}

	col := startShardCollector(t)
	code, rep := runReport(t, "-replay", input, "-speed", "20", "-target", col.target)
	if code != exitOK || rep.Counts.Offered != n || rep.Bytes.SentEvents != n {
		t.Fatalf("replay into collect: exit %d, offered %d, sent %d", code, rep.Counts.Offered, rep.Bytes.SentEvents)
	}
	if rep.Bytes.Sent != uint64(rec.Bytes()) || rep.Meta.Clock != reports.ClockRecorded {
		t.Errorf("sent %d bytes (clock %q), the recording has %d", rep.Bytes.Sent, rep.Meta.Clock, rec.Bytes())
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got, _ := col.received(t); got >= n {
			break
		}
	}
	col.stop(t)
	got, want := verdictIDs(t, col.verdicts), verdictIDs(t, filepath.Join(first.dir, "expected.jsonl"))
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("collect received record ids\n%v\nwant the recording's\n%v", got, want)
	}
	withID := 0
	for _, id := range got {
		if !strings.HasPrefix(id, "line ") {
			withID++
		}
	}
	if withID < n*9/10 {
		t.Errorf("only %d of %d records carry a record id", withID, n)
	}

	second := startRecording(t, n)
	if code, _ := runReport(t, "-replay", input, "-speed", "20", "-target", second.url); code != exitOK {
		t.Fatalf("replay into a second recording: exit %d", code)
	}
	a, _ := os.ReadFile(input)
	b, _ := os.ReadFile(second.wait(t))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("the replay recorded %d bytes, the recording has %d, or they differ", len(b), len(a))
	}
}

// TestReplayCorpus replays a shipped corpus on the embedded collector: its expected verdicts are the
// ground truth, so a changed mapping file shows as mismatches.
func TestReplayCorpus(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(golden, "filters")
	mappings := filepath.Join(t.TempDir(), "mappings.txt")
	if err := os.WriteFile(mappings, []byte(`{"alertType": "RDP Allow", "threatId": "T1078", "threatName": "Valid Accounts"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		mismatches bool
	}{
		{"directory", []string{"-replay", dir}, exitOK, false},
		{"input file", []string{"-replay", filepath.Join(dir, "input.log")}, exitOK, false},
		{"changed mapping", []string{"-replay", dir, "-mappings", mappings}, exitConformance, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, rep := runReport(t, append(tc.args, "-speed", "1000")...)
			c := rep.Counts
			if code != tc.code || (rep.Conformance.Mismatches > 0) != tc.mismatches || c.Offered == 0 || c.Offered != c.Verdicts || !rep.Balanced() {
				t.Errorf("exit %d (want %d), offered %d, verdicts %d, mismatches %d", code, tc.code, c.Offered, c.Verdicts, rep.Conformance.Mismatches)
			}
			if !strings.Contains(rep.Meta.Description, "corpus filters's expected verdicts") {
				t.Errorf("description %q does not name the ground truth", rep.Meta.Description)
			}
		})
	}
}

// TestReplayTimingOnly: -replay-timing-only sends the scenario's generated records at the recording's
// times, as -replay did before it sent the recorded lines.
func TestReplayTimingOnly(t *testing.T) {
	t.Parallel()
	input := filepath.Join(golden, "filters", "input.log")
	rec, err := replay.Read(input)
	if err != nil {
		t.Fatal(err)
	}
	code, rep := runReport(t, "-replay", input, "-replay-timing-only", "-speed", "1000")
	if code != exitOK || rep.Counts.Offered != uint64(rec.Len()) || rep.Meta.Clock == reports.ClockRecorded {
		t.Fatalf("exit %d, offered %d of %d, clock %q", code, rep.Counts.Offered, rec.Len(), rep.Meta.Clock)
	}
	scn, err := scenarios.Open("default")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := scenarios.GeneratorFor(scn, true)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{}
	var bytes uint64
	var buf []byte
	for seq := range uint64(rec.Len()) {
		var lb generator.Label
		buf, lb = gen.Append(buf[:0], seq)
		want[gen.Classes()[lb.Class].Name]++
		bytes += uint64(len(buf))
	}
	for _, c := range rep.Classes {
		if got := c.Alerts + c.Dropped + c.Lost; got != want[c.Name] {
			t.Errorf("class %s offered %d, the generator's first %d records have %d", c.Name, got, rec.Len(), want[c.Name])
		}
	}
	if rep.Bytes.Sent != bytes {
		t.Errorf("sent %d bytes, the generated records are %d", rep.Bytes.Sent, bytes)
	}
}

// TestReplaySpeed: -speed divides the recording's times.
func TestReplaySpeed(t *testing.T) {
	// 1500 records of the generator's virtual clock (1000 a second): 1.5 s as recorded.
	input := filepath.Join(t.TempDir(), "feed.log")
	if code, _, stderr := runCLI(t, "", "gen", "-count", "1500", "-o", input); code != exitOK {
		t.Fatalf("gen: exit %d\n%s", code, stderr)
	}
	var took [2]time.Duration
	for i, speed := range []string{"2", "30"} {
		code, rep := runReport(t, "-replay", input, "-speed", speed)
		if code != exitOK || rep.Counts.Offered != 1500 {
			t.Fatalf("-speed %s: exit %d, offered %d", speed, code, rep.Counts.Offered)
		}
		took[i] = rep.Meta.Duration
	}
	// At twice the pace the 1.5 s last at least 0.75 s; 15 times faster still, well under half that.
	if took[0] < 700*time.Millisecond || took[1] >= took[0]/2 {
		t.Errorf("-speed 2 took %v, -speed 30 %v", took[0], took[1])
	}
}

func TestReplayUsage(t *testing.T) {
	t.Parallel()
	input := filepath.Join(golden, "filters", "input.log")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-replay-timing-only"}, "-replay-timing-only needs -replay"},
		{[]string{"-replay", input, "-clock", "wall"}, "-clock stamps generated records"},
		{[]string{"-replay", input, "-speed", "0"}, "speed 0 must be > 0"},
		{[]string{"-replay", input, "-framing", "octet"}, "keeps its framing"},
		{[]string{"-replay", filepath.Join(golden, "seed-alerts-cloud")}, "cannot be replayed"},
		{[]string{"-replay", t.TempDir()}, "must be a corpus"},
		{[]string{"-replay", input, "-target", "http://127.0.0.1:1/nss"}, "use -replay-timing-only"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, "", append([]string{"run", "-quiet"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("run %v: exit %d, stderr %q; want usage error %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestReplaySinkUnattributed replays a corpus some of whose lines carry no record id through a relay
// to a sink: the lines with an id are matched by it; those without are sent, counted unobserved, and
// their arrivals unattributed, and the run still balances.
func TestReplaySinkUnattributed(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(golden, "filters")
	rec, err := replay.Read(filepath.Join(dir, "input.log"))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := openPipeline(&env{stderr: new(syncBuffer)}, "test", "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	src, err := rec.Source(replay.Options{Pipeline: pl})
	if err != nil {
		t.Fatal(err)
	}
	noID := uint64(src.Unattributable())
	if noID == 0 || noID == uint64(rec.Len()) {
		t.Fatalf("%d of %d lines without an id: the test needs some of each", noID, rec.Len())
	}
	sinkPort := runtest.FreePort(t)
	relay := runtest.StartRelay(t, fmt.Sprintf("127.0.0.1:%d", sinkPort))
	code, rep := runReport(t, "-replay", dir, "-speed", "1000", "-drain", "5s", "-target", relay.URL(),
		"-sink", fmt.Sprintf("tcp://127.0.0.1:%d", sinkPort), "-expect-forward", "all")
	// The exit code is not asserted: the sink compares the CEF header name untrimmed, so the corpus's
	// " RDP Allow  " record (which the pipeline trims) is a sink-side mismatch of its own.
	d := rep.Delivery
	if (code != exitOK && code != exitConformance) || d == nil || !rep.Accounted() || d.Unobserved != noID || d.Unattributed != noID ||
		d.Delivered != uint64(rec.Len())-noID || !strings.Contains(d.Note, "no record id of their own") {
		t.Errorf("exit %d, accounted %v, delivery %+v; want %d unobserved and unattributed", code, rep.Accounted(), d, noID)
	}
}
