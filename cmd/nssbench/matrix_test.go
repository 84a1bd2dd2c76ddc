package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nssbench/nssbench/harness/run/runtest"
	"github.com/nssbench/nssbench/reports"
)

// The fault matrix (docs/RELIABILITY.md): each case runs nssbench as a child process (this test binary,
// see TestMain) against a fault made here, over loopback, and measures what the report, the exit code
// and the kernel say. Every row must balance.

// matrixChildEnv makes this test binary run nssbench's main instead of the tests.
const matrixChildEnv = "NSSBENCH_MATRIX_CHILD"

var matrixOut = flag.String("matrix-out", "", "TestFaultMatrix: also write the matrix as a Markdown table to this file")

func TestMain(m *testing.M) {
	if os.Getenv(matrixChildEnv) == "1" {
		os.Args = append([]string{"nssbench"}, os.Args[1:]...)
		main()
		return
	}
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// faultCase is one row of the matrix.
type faultCase struct {
	name, fault string
	// setup makes the fault and returns the run's arguments (after "run") and, optionally, what to do
	// while the run goes on (given the child, started).
	setup func(t *testing.T) (args []string, during func(p *os.Process))
	exit  int           // the exit code it must end with
	wall  time.Duration // the wall time it must end within (before slack)
	cause string        // a lost cause the report must show ("" for none)
	check func(t *testing.T, rep *reports.Report)
}

// faultResult is what a case measured.
type faultResult struct {
	c    faultCase
	rep  *reports.Report
	rss  int64 // KiB
	wall time.Duration
	exit int
}

func TestFaultMatrix(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the fault matrix measures RSS and sends signals as Linux does")
	}
	if raceEnabled {
		t.Skip("the fault matrix measures nssbench's own wall time and RSS, which the race detector distorts: `make test` runs it without -race (make matrix)")
	}
	var rows []matrixRow
	for _, c := range faultCases() {
		t.Run(c.name, func(t *testing.T) {
			r := runFault(t, c)
			rows = append(rows, r.row())
			rep := r.rep
			if !rep.Accounted() {
				t.Errorf("does not balance: %+v lost %+v", rep.Counts, rep.Lost)
			}
			if r.exit != c.exit {
				t.Errorf("exit %d; want %d", r.exit, c.exit)
			}
			if r.wall > c.wall+slackWall {
				t.Errorf("took %v; want within %v", r.wall, c.wall)
			}
			if c.cause != "" && lostCause(rep, c.cause) == 0 {
				t.Errorf("lost %+v; want some %s", rep.Lost, c.cause)
			}
			if c.check != nil {
				c.check(t, rep)
			}
		})
	}
	for _, c := range collectCases() {
		t.Run(c.name, func(t *testing.T) {
			rows = append(rows, runCollectCase(t, c).row(c))
		})
	}
	table := matrixTable(rows)
	t.Logf("fault matrix (%s, %s):\n%s", time.Now().UTC().Format(time.RFC3339), reports.ThisBuild().Machine, table)
	if *matrixOut != "" {
		head := fmt.Sprintf("Measured %s on %s, %s (`go test ./cmd/nssbench -run TestFaultMatrix -matrix-out FILE`).\n\n",
			time.Now().UTC().Format("2006-01-02"), reports.ThisBuild().Machine, runtime.Version())
		if err := os.WriteFile(*matrixOut, []byte(head+table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// slackWall is what a loaded machine (and the race detector) may add to a case's wall time: starting
// the child, closing connections, counting the unsent records.
const slackWall = 4 * time.Second

// runFault runs one case in a child process and decodes its report.
func runFault(t *testing.T, c faultCase) faultResult {
	t.Helper()
	args, during := c.setup(t)
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], append([]string{"run", "-quiet", "-out", out}, args...)...)
	cmd.Env = append(os.Environ(), matrixChildEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if during != nil {
		go during(cmd.Process)
	}
	err := cmd.Wait()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !errorsAs(err, &ee) {
		t.Fatal(err)
	}
	r := faultResult{c: c, wall: wall, exit: cmd.ProcessState.ExitCode()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rss = ru.Maxrss
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("no report (exit %d): %v\nstderr:\n%s", r.exit, err, stderr.String())
	}
	defer f.Close()
	if r.rep, err = reports.Decode(f); err != nil {
		t.Fatal(err)
	}
	t.Logf("exit %d, %v, RSS %d KiB; counts %+v lost %+v delivery %+v", r.exit, wall.Round(time.Millisecond), r.rss, r.rep.Counts, r.rep.Lost, r.rep.Delivery)
	return r
}

func errorsAs(err error, ee **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	*ee = e
	return ok
}

// lostCause returns rep's count of records lost for cause.
func lostCause(rep *reports.Report, cause string) uint64 {
	for _, l := range rep.Lost {
		if l.Cause == cause {
			return l.Count
		}
	}
	return 0
}

// signalAfter returns a during function that sends sig to the child after d, and where it will record
// when it sent it.
func signalAfter(d time.Duration, sig syscall.Signal) (func(p *os.Process), *time.Time) {
	at := new(time.Time)
	return func(p *os.Process) {
		time.Sleep(d)
		*at = time.Now()
		_ = p.Signal(sig)
	}, at
}

// dueAtSignal checks that rep offered what its schedule of rate had due when the signal came, counted
// from the schedule's own start (on a loaded machine the child may start its schedule late), give or
// take half.
func dueAtSignal(t *testing.T, rep *reports.Report, rate float64, sent time.Time) {
	t.Helper()
	if !rep.Meta.Interrupted {
		t.Errorf("interrupted false; want true")
	}
	due := rate * sent.Sub(rep.Meta.Started).Seconds()
	if o := float64(rep.Counts.Offered); o < due*0.5-1000 || o > due*1.5+1000 {
		t.Errorf("offered %.0f; want about %.0f, due %v after the schedule started", o, due, sent.Sub(rep.Meta.Started).Round(time.Millisecond))
	}
}

// answering starts an HTTP server answering every request with status.
func answering(t *testing.T, status int) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/nss"
}

// silent starts an HTTP server that reads requests and never answers them.
func silent(t *testing.T) string {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv.URL + "/nss"
}

// resetter starts a TCP collector that forwards what it reads to the TCP address to and resets every
// connection after it has read limit bytes.
func resetter(t *testing.T, to string, limit int64) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				up, err := net.Dial("tcp", to)
				if err != nil {
					c.Close()
					return
				}
				_, _ = io.Copy(up, io.LimitReader(c, limit))
				up.Close()
				c.(*net.TCPConn).SetLinger(0) // RST
				c.Close()
			}()
		}
	}()
	return "tcp://" + ln.Addr().String()
}

// waitConnected waits, for at most 10 s, until a TCP connection to target (tcp://127.0.0.1:PORT) is
// established, as /proc/net/tcp shows it: a fault timed from then finds the run connected however late
// its child started.
func waitConnected(t *testing.T, target string) {
	_, port, _ := strings.Cut(strings.TrimPrefix(target, "tcp://"), ":")
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Errorf("target %q: %v", target, err)
		return
	}
	remote := fmt.Sprintf(":%04X", p)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		data, err := os.ReadFile("/proc/net/tcp")
		if err != nil {
			t.Errorf("waitConnected: %v", err)
			return
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			// sl local_address rem_address st ...: 01 is ESTABLISHED.
			if f := strings.Fields(line); len(f) > 3 && strings.HasSuffix(f[2], remote) && f[3] == "01" {
				return
			}
		}
	}
	t.Errorf("no connection to %s within 10 s", target)
}

// withSink returns the arguments of a run to target observed by a sink on sinkAddr (host:port).
func withSink(target, sinkAddr string, extra ...string) []string {
	return append([]string{"-target", target, "-sink", "tcp://" + sinkAddr, "-expect-forward", "all"}, extra...)
}

func faultCases() []faultCase {
	// The impossible rate of issue 14: no sender reaches 2,000,000 records a second.
	impossible := []string{"-rate", "2000000/s"}
	var sigint, sigterm *time.Time // when the signal cases signalled, for their checks
	return []faultCase{
		{
			name: "duration-bound", fault: "embedded, -rate 2000000/s -duration 5s -drain 1s",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return append(impossible, "-duration", "5s", "-drain", "1s"), nil
			},
			exit: exitConformance, wall: 6 * time.Second, cause: "not_sent",
			check: func(t *testing.T, rep *reports.Report) {
				if rep.Meta.Ending != reports.EndDeadline || rep.Counts.Offered != 10_000_000 {
					t.Errorf("ending %q, offered %d; want deadline, the whole schedule", rep.Meta.Ending, rep.Counts.Offered)
				}
			},
		},
		{
			name: "deliver-all", fault: "embedded, -rate 2000000/s -count 200000 -deliver-all",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return append(impossible, "-count", "200000", "-deliver-all"), nil
			},
			exit: exitOK, wall: 20 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if rep.Meta.Ending != reports.EndDeliverAll || rep.Counts.Lost != 0 || rep.Counts.Verdicts != 200_000 {
					t.Errorf("ending %q, counts %+v; want every record decided", rep.Meta.Ending, rep.Counts)
				}
			},
		},
		{
			name: "sigint", fault: "embedded, -rate 2000000/s -duration 30s, SIGINT at 2s",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				during, at := signalAfter(2*time.Second, syscall.SIGINT)
				sigint = at
				return append(impossible, "-duration", "30s"), during
			},
			exit: exitInterrupted, wall: 3 * time.Second, cause: "interrupted",
			check: func(t *testing.T, rep *reports.Report) {
				// Offered is what was due at the signal, not what was sent.
				dueAtSignal(t, rep, 2_000_000, *sigint)
			},
		},
		{
			name: "sigterm", fault: "relay + sink, -rate 20000/s -duration 30s, SIGTERM at 1s",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				sink := fmt.Sprintf("127.0.0.1:%d", runtest.FreePort(t))
				relay := runtest.StartRelay(t, sink)
				during, at := signalAfter(time.Second, syscall.SIGTERM)
				sigterm = at
				return withSink(relay.URL(), sink, "-rate", "20000/s", "-duration", "30s"), during
			},
			exit: exitInterrupted, wall: 2 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				dueAtSignal(t, rep, 20_000, *sigterm)
			},
		},
		{
			name: "foreign-connection", fault: "embedded, 1,000 lines from a foreign connection to its port",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				addr := fmt.Sprintf("127.0.0.1:%d", runtest.FreePort(t))
				return []string{"-listen", "tcp://" + addr, "-rate", "5000/s", "-duration", "1s"}, func(*os.Process) {
					var c net.Conn
					var err error
					for i := 0; i < 400; i++ {
						if c, err = net.Dial("tcp", addr); err == nil {
							break
						}
						time.Sleep(10 * time.Millisecond)
					}
					if err != nil {
						return
					}
					defer c.Close()
					var b strings.Builder
					for i := range 1000 {
						fmt.Fprintf(&b, "<14>Jun 12 05:02:05 other CEF:0|Other|X|1|Allow|hello %d|3| act=Allow\n", i)
					}
					_, _ = io.WriteString(c, b.String())
				}
			},
			exit: exitOK, wall: 2 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if rep.Counts.Unattributed != 1000 {
					t.Errorf("unattributed %d; want 1000", rep.Counts.Unattributed)
				}
			},
		},
		{
			name: "malformed-input", fault: "embedded, malformed-storm: oversize, binary, truncated, bad CEF",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return []string{"-scenario", "malformed-storm", "-rate", "20000/s", "-duration", "1s"}, nil
			},
			exit: exitOK, wall: 2 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if rep.Counts.Lost != 0 || rep.Counts.Dropped == 0 {
					t.Errorf("counts %+v; want every malformed record decided (dropped), none lost", rep.Counts)
				}
			},
		},
		{
			name: "http-never-answers", fault: "http://, never answers; -duration 3s -write-timeout 2s -retry-window 3s -drain 2s",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return []string{"-target", silent(t), "-duration", "3s", "-write-timeout", "2s", "-retry-window", "3s", "-drain", "2s"}, nil
			},
			exit: exitConformance, wall: 5 * time.Second, cause: "not_sent",
		},
		{
			name: "http-400-storm", fault: "http://, every batch answered 400",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return []string{"-target", answering(t, http.StatusBadRequest), "-rate", "5000/s", "-duration", "1s", "-drain", "1s"}, nil
			},
			exit: exitConformance, wall: 2 * time.Second, cause: "http_400",
		},
		{
			name: "http-500-storm", fault: "http://, every batch answered 500; -retry-window 500ms",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return []string{"-target", answering(t, http.StatusInternalServerError), "-rate", "5000/s", "-duration", "1s",
					"-retry-window", "500ms", "-drain", "1s"}, nil
			},
			exit: exitConformance, wall: 2 * time.Second, cause: "retry_exhausted",
		},
		{
			name: "target-never-reads", fault: "tcp://, accepts and never reads; -write-timeout 500ms",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				return []string{"-target", runtest.Deaf(t), "-rate", "40000/s", "-duration", "1s", "-write-timeout", "500ms", "-drain", "1s"}, nil
			},
			exit: exitConformance, wall: 2 * time.Second, cause: "send_stalled",
		},
		{
			name: "rst-mid-stream", fault: "tcp:// collector resets each connection after 256 KiB read",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				sink := fmt.Sprintf("127.0.0.1:%d", runtest.FreePort(t))
				return withSink(resetter(t, sink, 256<<10), sink, "-rate", "20000/s", "-duration", "1s", "-drain", "2s"), nil
			},
			exit: exitConformance, wall: 3 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if d := rep.Delivery; d == nil || d.Reconnects == 0 {
					t.Errorf("delivery %+v; want reconnects after the resets", d)
				}
			},
		},
		{
			name: "relay-restart", fault: "tcp relay killed (RST) 0.5s after the run connected, back 0.3s later; -duplicate-window 5s",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				sink := fmt.Sprintf("127.0.0.1:%d", runtest.FreePort(t))
				relay := runtest.StartRelay(t, sink)
				return withSink(relay.URL(), sink, "-rate", "10000/s", "-duration", "2s", "-drain", "5s", "-duplicate-window", "5s"),
					func(*os.Process) {
						waitConnected(t, relay.URL()) // a loaded machine may start the child late
						time.Sleep(500 * time.Millisecond)
						relay.Stop()
						time.Sleep(300 * time.Millisecond)
						_ = relay.Start()
					}
			},
			exit: exitOK, wall: 7 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if d := rep.Delivery; d == nil || d.Reconnects == 0 || d.Duplicates == 0 || rep.Counts.Lost != 0 {
					t.Errorf("delivery %+v lost %+v; want reconnects, duplicates and nothing lost", d, rep.Lost)
				}
			},
		},
		{
			name: "syslog-ng-kill-9", fault: "syslog-ng relay killed -9 at 0.5s, restarted; -duplicate-window 5s",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				port := runtest.FreePort(t)
				sng := runtest.StartSyslogNG(t, "../../harness/run/testdata/syslog-ng-relay.conf", port)
				sink := fmt.Sprintf("127.0.0.1:%d", port)
				return withSink(sng.URL(), sink, "-rate", "5000/s", "-duration", "2s", "-drain", "5s", "-duplicate-window", "5s",
						"-sink-wait", "5s"),
					func(*os.Process) {
						time.Sleep(1500 * time.Millisecond) // the sink wait, then half a second of the schedule
						sng.Kill()
						_ = sng.Start()
					}
			},
			exit: exitOK, wall: 9 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if d := rep.Delivery; d == nil || d.Reconnects == 0 {
					t.Errorf("delivery %+v; want a reconnect after the kill", d)
				}
			},
		},
		{
			name: "sink-disappears", fault: "relay → relay → sink; the last hop killed at 0.5s for good",
			setup: func(t *testing.T) ([]string, func(*os.Process)) {
				sink := fmt.Sprintf("127.0.0.1:%d", runtest.FreePort(t))
				hop := runtest.StartRelay(t, sink)
				relay := runtest.StartRelay(t, strings.TrimPrefix(hop.URL(), "tcp://"))
				return withSink(relay.URL(), sink, "-rate", "10000/s", "-duration", "1500ms", "-drain", "1s"),
					func(*os.Process) {
						time.Sleep(500 * time.Millisecond)
						hop.Stop()
					}
			},
			exit: exitConformance, wall: 3 * time.Second,
			check: func(t *testing.T, rep *reports.Report) {
				if rep.Counts.Lost == 0 {
					t.Errorf("lost %+v; want what was sent after the sink's path went away", rep.Lost)
				}
			},
		},
	}
}

// matrixRow is one row of the matrix's table, its columns formatted.
type matrixRow struct {
	name, fault, offered, delivered, lost, duplicates, unattributed, refused, rss, wall, exit, balance string
}

// row formats what a run-side case measured.
func (r faultResult) row() matrixRow {
	rep := r.rep
	delivered := fmt.Sprint(rep.Counts.Verdicts)
	dup := "-"
	if d := rep.Delivery; d != nil {
		switch {
		case d.Observed:
			delivered, dup = fmt.Sprint(d.Delivered), fmt.Sprint(d.Duplicates)
		default:
			delivered = fmt.Sprintf("%d sent, unobserved", d.Unobserved)
		}
	}
	lost := map[string]uint64{}
	for _, l := range rep.Lost {
		lost[l.Cause] = l.Count
	}
	bal := "balanced"
	if !rep.Accounted() {
		bal = "NOT BALANCED"
	}
	if rep.Delivery != nil && !rep.Delivery.Observed {
		bal = "= unobserved + lost"
	}
	return matrixRow{name: r.c.name, fault: r.c.fault, offered: fmt.Sprint(rep.Counts.Offered), delivered: delivered,
		lost: lostByCause(lost), duplicates: dup, unattributed: fmt.Sprint(rep.Counts.Unattributed), refused: "-",
		rss: mib(r.rss), wall: fmt.Sprintf("%.1f s", r.wall.Seconds()), exit: fmt.Sprint(r.exit), balance: bal}
}

// row formats what a collector-side case measured.
func (r *collectRow) row(c collectCase) matrixRow {
	bal := "balanced"
	if !r.balanced() {
		bal = "NOT BALANCED"
	}
	return matrixRow{name: c.name, fault: c.fault, offered: fmt.Sprint(r.offered), delivered: fmt.Sprintf("%d decided", r.decided),
		lost: lostByCause(r.lost), duplicates: "-", unattributed: "-", refused: strings.Join(r.refused, "; "),
		rss: mib(r.rss) + " (collect)", wall: fmt.Sprintf("%.1f s", r.wall.Seconds()), exit: fmt.Sprint(r.exit), balance: bal}
}

// lostByCause formats records lost (or refused) by cause, sorted; "0" for none.
func lostByCause(lost map[string]uint64) string {
	var out []string
	for cause, n := range lost {
		if n > 0 {
			out = append(out, fmt.Sprintf("%s %d", cause, n))
		}
	}
	if len(out) == 0 {
		return "0"
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// mib formats KiB as MiB.
func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

// matrixTable renders the rows as a Markdown table.
func matrixTable(rows []matrixRow) string {
	var b strings.Builder
	b.WriteString("| case | fault | offered | delivered (verdicts) | lost (refused) by cause | duplicates | unattributed | refused / closed by collect | RSS peak | wall | exit | balance |\n")
	b.WriteString("|---|---|--:|--:|---|--:|--:|---|--:|--:|--:|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, r.fault, r.offered, r.delivered,
			r.lost, r.duplicates, r.unattributed, r.refused, r.rss, r.wall, r.exit, r.balance)
	}
	return b.String()
}
