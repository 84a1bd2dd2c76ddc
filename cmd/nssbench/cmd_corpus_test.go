package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/transport"
)

func TestCorpusCLI(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "x"), nil, 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"new", []string{"new", "-scenario", "smoke", "-seed", "9", "-count", "2000", "-out", filepath.Join(tmp, "smoke")}, exitOK,
			"wrote corpus " + filepath.Join(tmp, "smoke") + ": 2000 records of scenario smoke, seed 9\nthe pipeline's verdicts equal the generator's ground truth on every record", ""},
		{"new zstd by size", []string{"new", "-count", "10000", "-out", filepath.Join(tmp, "big")}, exitOK, "10000 records of scenario default, seed 1", ""},
		{"new custom mappings", []string{"new", "-count", "50", "-mappings", golden + "/filters/mappings.txt", "-out", filepath.Join(tmp, "m")}, exitOK,
			"wrote corpus", "m/mappings.txt:5: alertType"},
		{"new without count", []string{"new", "-out", filepath.Join(tmp, "x")}, exitUsage, "", "-count is required"},
		{"new without out", []string{"new", "-count", "5"}, exitUsage, "", "-out is required"},
		{"new unknown scenario", []string{"new", "-count", "5", "-scenario", "nope", "-out", filepath.Join(tmp, "y")}, exitUsage, "", "nope"},
		{"new busy dir", []string{"new", "-count", "5", "-out", busy}, exitFailure, "", "exists and is not empty"},
		{"new bad mappings", []string{"new", "-count", "5", "-mappings", golden + "/filters/corpus.json", "-out", filepath.Join(tmp, "z")}, exitUsage, "", "corpus.json"},
		{"record without out", []string{"record", "-count", "1"}, exitUsage, "", "-out is required"},
		{"record bad address", []string{"record", "-listen", "ftp://127.0.0.1:0", "-out", filepath.Join(tmp, "r")}, exitFailure, "", "unknown scheme"},
		{"no subcommand", nil, exitUsage, "", "Usage: nssbench corpus"},
		{"unknown subcommand", []string{"merge"}, exitUsage, "", `unknown subcommand "merge"`},
		{"help", []string{"-h"}, exitOK, "nssbench corpus new -scenario default", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCorpusCmd(t, cmdCorpus, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("nssbench corpus %v = exit %d; want %d\nstdout: %s\nwant: %s\nstderr: %s\nwant: %s", tt.args, code, tt.code, stdout, tt.stdout, stderr, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(tmp, "big", "input.log.zst")); err != nil {
		t.Errorf("a 10000-record corpus is not compressed: %v", err)
	}
	if code, stdout, _ := runCorpusCmd(t, cmdVerify, tmp); code != exitOK || strings.Count(stdout, "ok    ") != 3 {
		t.Errorf("verify of the new corpora: exit %d\n%s", code, stdout)
	}
}

// recordCLI runs 'corpus record -count N' on loopback TCP, sends lines to the address it prints on
// stderr, and returns its exit code, its stdout and the corpus directory. It waits at most 20 s.
func recordCLI(t *testing.T, count int, lines []string) (int, string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "rec")
	pr, pw := io.Pipe()
	var stdout bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: pw, ctx: ctx}
	done := make(chan int, 1)
	go func() {
		done <- cmdCorpus(e, []string{"record", "-listen", "tcp://127.0.0.1:0", "-count", strconv.Itoa(count), "-out", out})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no listening line on stderr: %v", err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.Fields(strings.TrimPrefix(line, "nssbench corpus record: listening on "))[0]
	if !strings.HasPrefix(url, "tcp://127.0.0.1:") {
		t.Fatalf("stderr line %q does not name the bound address", line)
	}
	s, err := transport.Dial(ctx, url, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if err := s.Send(0, []byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	select {
	case code := <-done:
		return code, stdout.String(), out
	case <-ctx.Done():
		t.Fatalf("corpus record -count %d did not stop", count)
	}
	return 0, "", ""
}

// seedAlertLines returns the records of the seed-alerts corpus.
func seedAlertLines(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(golden, "seed-alerts", "input.log"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// TestCorpusRecordCLI records a feed sent over loopback TCP: the bound address is printed on stderr,
// recording stops at -count, and the corpus verifies.
func TestCorpusRecordCLI(t *testing.T) {
	t.Parallel()
	code, stdout, out := recordCLI(t, 10, seedAlertLines(t))
	if code != exitOK || !strings.Contains(stdout, "wrote corpus "+out+": 10 records from 1 streams (lf framing)") {
		t.Fatalf("corpus record exit %d\nstdout: %s", code, stdout)
	}
	got, _ := os.ReadFile(filepath.Join(out, "expected.jsonl"))
	want, _ := os.ReadFile(filepath.Join(golden, "seed-alerts", "expected.jsonl"))
	if !bytes.Equal(got, want) {
		t.Errorf("recorded expected verdicts differ from seed-alerts':\n%s", got)
	}
	if code, stdout, _ := runCorpusCmd(t, cmdVerify, out); code != exitOK {
		t.Errorf("verify of the recording: exit %d\n%s", code, stdout)
	}
}

// TestCorpusRecordCLIOversize: an oversize record, which the collector skips unread, counts towards
// -count, so recording stops; the corpus holds it as an oversize record, in its place, and verifies.
func TestCorpusRecordCLIOversize(t *testing.T) {
	t.Parallel()
	lines := seedAlertLines(t)
	lines = append(lines[:5:5], append([]string{"CEF:0|Zscaler|NSSWeblog|5.7|Blocked|Allowed|3|msg=" + strings.Repeat("x", 100<<10)}, lines[5:]...)...)
	code, stdout, out := recordCLI(t, 11, lines)
	if code != exitOK || !strings.Contains(stdout, "wrote corpus "+out+": 11 records from 1 streams (lf framing)\n1 of them oversize") {
		t.Fatalf("corpus record exit %d\nstdout: %s", code, stdout)
	}
	exp, _ := os.ReadFile(filepath.Join(out, "expected.jsonl"))
	verdicts := strings.Split(strings.TrimSuffix(string(exp), "\n"), "\n")
	if want := `{"line":6,"stage":"collector","verdict":"dropped","reason":"malformed","detail":"oversize"}`; len(verdicts) != 11 || verdicts[5] != want {
		t.Errorf("recorded expected verdicts:\n%s\nwant 11, the 6th %s", exp, want)
	}
	if code, stdout, _ := runCorpusCmd(t, cmdVerify, "-via", "tcp", out); code != exitOK || !strings.Contains(stdout, "11 records, 11 match") {
		t.Errorf("verify of the recording: exit %d\n%s", code, stdout)
	}
}
