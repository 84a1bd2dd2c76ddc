// Package runtest holds the external collectors that tests of external runs send to: a TCP relay that
// can be stopped and restarted on the same port (or slowed), a listener that accepts and never reads, and a real
// syslog-ng run in the foreground with a configuration from testdata. Everything listens on 127.0.0.1
// and is stopped by the test's cleanup.
package runtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Relay is a TCP collector that forwards every byte it reads to a destination, one upstream connection
// per accepted connection: a stand-in for a syslog relay that can be killed and brought back.
type Relay struct {
	addr string // the bound address, kept across restarts
	to   string
	rate int // bytes a second it reads from each connection, through a small receive buffer; 0: at once

	mu    sync.Mutex
	ln    net.Listener
	downs map[net.Conn]net.Conn // accepted connection → its upstream connection
	wg    sync.WaitGroup
}

// StartRelay starts a relay on 127.0.0.1 (a free port) forwarding to the TCP address to (host:port).
func StartRelay(tb testing.TB, to string) *Relay {
	tb.Helper()
	r := &Relay{addr: "127.0.0.1:0", to: to, downs: map[net.Conn]net.Conn{}}
	if err := r.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Stop)
	return r
}

// StartSlowRelay starts a relay like StartRelay's that reads each connection at bytesPerSecond only,
// through a 4 KiB receive buffer, and forwards what it read at once: a collector that cannot keep up,
// whose sender's writes soon block (backpressure).
func StartSlowRelay(tb testing.TB, to string, bytesPerSecond int) *Relay {
	tb.Helper()
	r := &Relay{addr: "127.0.0.1:0", to: to, rate: bytesPerSecond, downs: map[net.Conn]net.Conn{}}
	if err := r.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Stop)
	return r
}

// URL returns the relay's address as a target, "tcp://127.0.0.1:PORT".
func (r *Relay) URL() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return "tcp://" + r.addr
}

// Start listens again on the relay's port (after Stop), retrying for a second while the port cannot be
// bound yet. It may be called from any goroutine.
func (r *Relay) Start() error {
	var ln net.Listener
	var err error
	var lc net.ListenConfig
	if r.rate > 0 {
		lc.Control = smallReceiveBuffer
	}
	for try := 0; try < 50; try++ {
		if ln, err = lc.Listen(context.Background(), "tcp", r.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("relay: listen %s: %w", r.addr, err)
	}
	r.mu.Lock()
	r.ln, r.addr = ln, ln.Addr().String()
	r.mu.Unlock()
	r.wg.Add(1)
	go r.accept(ln)
	return nil
}

func (r *Relay) accept(ln net.Listener) {
	defer r.wg.Done()
	for {
		down, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", r.to)
		if err != nil {
			down.Close()
			continue
		}
		r.mu.Lock()
		if r.ln != ln {
			r.mu.Unlock()
			down.Close()
			up.Close()
			return
		}
		r.downs[down] = up
		r.mu.Unlock()
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			if r.rate > 0 {
				throttle(up, down, r.rate)
			} else {
				_, _ = io.Copy(up, down)
			}
			// The sender closed, or Stop did: pass the end on, so the destination sees the end of the stream.
			up.Close()
			down.Close()
			r.mu.Lock()
			delete(r.downs, down)
			r.mu.Unlock()
		}()
	}
}

// throttle copies src to dst at about rate bytes a second, in reads of a hundredth of a second's worth,
// until src ends or either side fails.
func throttle(dst io.Writer, src io.Reader, rate int) {
	buf := make([]byte, max(rate/100, 1))
	start, n := time.Now(), 0
	for {
		k, err := src.Read(buf)
		if k > 0 {
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return
			}
			n += k
			time.Sleep(time.Until(start.Add(time.Duration(n) * time.Second / time.Duration(rate))))
		}
		if err != nil {
			return
		}
	}
}

// Stop kills the relay as a crash would: the listener closes and every sender's connection is reset at
// once, so whatever the relay had not yet read is gone. What it had passed on reaches the destination.
// It may be called from any goroutine, more than once.
func (r *Relay) Stop() {
	r.mu.Lock()
	if r.ln != nil {
		r.ln.Close()
		r.ln = nil
	}
	for down := range r.downs {
		if tc, ok := down.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // reset, as a dead process's kernel would
		}
		down.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// Deaf starts a TCP listener on 127.0.0.1 that accepts connections and never reads from them, with a
// small receive buffer so that senders block soon. It returns the target URL.
func Deaf(tb testing.TB) string {
	tb.Helper()
	lc := net.ListenConfig{Control: smallReceiveBuffer}
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "tcp://" + ln.Addr().String()
}

// smallReceiveBuffer sets a listening socket's receive buffer (which its accepted connections inherit)
// to 4 KiB, so that a sender to a connection that is read slowly or not at all blocks soon.
func smallReceiveBuffer(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
	})
	return errors.Join(err, serr)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// SyslogNG runs syslog-ng in the foreground with the configuration file conf, which reads its ports
// from the environment: NSSBENCH_RELAY_PORT (where it listens) and NSSBENCH_SINK_PORT (where it
// forwards), both set here. It waits until syslog-ng accepts connections and returns its address as a
// target URL. The test is skipped when syslog-ng is not installed; the process group is killed at
// cleanup, and syslog-ng's own messages are logged if the test failed.
func SyslogNG(tb testing.TB, conf string, sinkPort int) string {
	tb.Helper()
	return StartSyslogNG(tb, conf, sinkPort).URL()
}

// SyslogNGProcess is a syslog-ng started by StartSyslogNG, which can be killed (SIGKILL) and started
// again on the same port, as a crashed collector that comes back. Its methods may be called from any
// goroutine.
type SyslogNGProcess struct {
	bin, conf, dir string
	port, sinkPort int
	out            *lockedBuffer
	mu             sync.Mutex
	cmd            *exec.Cmd
	exited         chan error
}

// StartSyslogNG is SyslogNG, returning the process (see SyslogNG).
func StartSyslogNG(tb testing.TB, conf string, sinkPort int) *SyslogNGProcess {
	tb.Helper()
	bin, err := exec.LookPath("syslog-ng")
	if err != nil {
		for _, p := range []string{"/usr/sbin/syslog-ng", "/sbin/syslog-ng"} {
			if _, serr := os.Stat(p); serr == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		tb.Skip("syslog-ng is not installed (Debian: apt-get install syslog-ng-core); CI installs it")
	}
	abs, err := filepath.Abs(conf)
	if err != nil {
		tb.Fatal(err)
	}
	p := &SyslogNGProcess{bin: bin, conf: abs, dir: tb.TempDir(), port: FreePort(tb), sinkPort: sinkPort, out: new(lockedBuffer)}
	tb.Cleanup(func() {
		p.stop(syscall.SIGTERM)
		if tb.Failed() {
			tb.Logf("syslog-ng output:\n%s", p.out.String())
		}
	})
	if err := p.Start(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// URL returns syslog-ng's address as a target, "tcp://127.0.0.1:PORT".
func (p *SyslogNGProcess) URL() string { return fmt.Sprintf("tcp://127.0.0.1:%d", p.port) }

// PID returns the running syslog-ng's process id, for sampling its CPU and memory; 0 when it is not
// running.
func (p *SyslogNGProcess) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Start starts syslog-ng (again, after Kill) and waits up to 10 s until it accepts connections.
func (p *SyslogNGProcess) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return errors.New("syslog-ng: already running")
	}
	cmd := exec.Command(p.bin, "-F", "-e", "--no-caps", "-f", p.conf,
		"-R", filepath.Join(p.dir, "persist"), "-p", filepath.Join(p.dir, "pid"), "-c", filepath.Join(p.dir, "ctl"))
	cmd.Env = append(os.Environ(), fmt.Sprintf("NSSBENCH_RELAY_PORT=%d", p.port), fmt.Sprintf("NSSBENCH_SINK_PORT=%d", p.sinkPort))
	cmd.Stdout, cmd.Stderr = p.out, p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start syslog-ng: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	p.cmd, p.exited = cmd, exited
	addr := fmt.Sprintf("127.0.0.1:%d", p.port)
	for deadline := time.Now().Add(10 * time.Second); ; {
		select {
		case err := <-exited:
			p.cmd = nil
			return fmt.Errorf("syslog-ng exited at start (%v):\n%s", err, p.out.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("syslog-ng does not listen on %s after 10s:\n%s", addr, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Kill kills syslog-ng with SIGKILL, as a crash would: what it had not forwarded is gone.
func (p *SyslogNGProcess) Kill() { p.stop(syscall.SIGKILL) }

// stop signals the process group and waits for the exit (SIGKILL after 5 s).
func (p *SyslogNGProcess) stop(sig syscall.Signal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
	p.cmd = nil
}

// lockedBuffer is a bytes.Buffer safe for a writing process and a reading test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
