package probe

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSyslogNG samples a real syslog-ng (testdata/syslog-ng-file.conf) while it receives 100,000 lines
// over TCP and writes them to a file: its CPU and RSS are non-zero and plausible. Skipped when
// syslog-ng is not installed.
func TestSyslogNG(t *testing.T) {
	bin, err := exec.LookPath("syslog-ng")
	if err != nil {
		bin = "/usr/sbin/syslog-ng"
		if _, serr := os.Stat(bin); serr != nil {
			t.Skip("syslog-ng is not installed (Debian: apt-get install syslog-ng-core); CI installs it")
		}
	}
	conf, err := filepath.Abs("testdata/syslog-ng-file.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.log")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "-F", "-e", "--no-caps", "-f", conf, "--persist-file", filepath.Join(dir, "persist"),
		"--pidfile", filepath.Join(dir, "pid"), "--control", filepath.Join(dir, "ctl"))
	cmd.Env = append(os.Environ(), "NSSBENCH_PORT="+addr[len("127.0.0.1:"):], "NSSBENCH_OUT="+out)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{}) // closed when syslog-ng has exited and its output is complete
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("syslog-ng output:\n%s", logs.String())
		}
	})
	var conn net.Conn
	for deadline := time.Now().Add(10 * time.Second); conn == nil; time.Sleep(50 * time.Millisecond) {
		select {
		case <-exited:
			t.Fatalf("syslog-ng exited at start: %v", waitErr)
		default:
		}
		conn, _ = net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if conn == nil && time.Now().After(deadline) {
			t.Fatalf("syslog-ng does not listen on %s after 10s", addr)
		}
	}
	defer conn.Close()

	pid := cmd.Process.Pid
	before := cpuSeconds(t, pid)
	s, err := Start(context.Background(), pid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const lines = 100000
	w := bufio.NewWriter(conn)
	for i := range lines {
		fmt.Fprintf(w, "Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed externalId=%d\n", i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); countLines(out) < lines; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d lines written after 20s", countLines(out), lines)
		}
	}
	u := s.Stop()
	after := cpuSeconds(t, pid)
	t.Logf("syslog-ng: %+v", withoutTimeline(u))
	if d := after - before; math.Abs(u.CPUSeconds-d) > 0.03 {
		t.Errorf("sampled %.3f CPU-seconds; an independent reading says %.3f", u.CPUSeconds, d)
	}
	if u.Note != "" || u.Command != "syslog-ng" || u.Samples < 2 {
		t.Errorf("note %q command %q samples %d; want syslog-ng sampled at least twice, no note", u.Note, u.Command, u.Samples)
	}
	if u.CPUSeconds <= 0 || u.CPU.Mean <= 0 || u.CPU.Max > 2.5 {
		t.Errorf("cpu %+v over %.2f CPU-seconds; want above 0 for 100,000 lines, below 2.5 cores", u.CPU, u.CPUSeconds)
	}
	if u.RSSMax < 1<<20 || u.RSSMax > 1<<30 {
		t.Errorf("rss max %d; want between 1 MiB and 1 GiB", u.RSSMax)
	}
}

func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte{'\n'})
}
