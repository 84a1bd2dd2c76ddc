// Command benchtool is scripts/bench-peers.sh's helper, kept out of the nssbench CLI: a counting sink,
// a file feeder and a trivial writer that measures loopback TCP itself.
//
//	benchtool sink -addr 127.0.0.1:0 -port-file F [-conns N]  count LF-terminated lines until N senders close
//	benchtool feed -addr 127.0.0.1:P [-conns N] [-repeat R] FILE  write FILE R times on each of N connections
//	benchtool write -addr 127.0.0.1:P -size 600 -lines N        64 KiB writes of size-byte lines: the wire's limit
//	benchtool port                                              print a free loopback TCP port
//
// The sink prints one line when the last sender has closed: "lines N bytes B seconds S lines/s L bytes/s R",
// timed from the first byte to the last.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool sink|feed|write|port [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "sink":
		err = sink(os.Args[2:])
	case "feed":
		err = feed(os.Args[2:])
	case "write":
		err = write(os.Args[2:])
	case "port":
		err = freePort()
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

// sink accepts conns connections, counts the lines and bytes they carry and prints the rate.
func sink(args []string) error {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	portFile := fs.String("port-file", "", "write the port listened on to this file")
	conns := fs.Int("conns", 1, "senders to wait for")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	if *portFile != "" {
		port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
		if err := os.WriteFile(*portFile+".tmp", []byte(port+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(*portFile+".tmp", *portFile); err != nil {
			return err
		}
	}
	var lines, total atomic.Int64
	var first atomic.Int64 // unix nanoseconds of the first byte
	var wg sync.WaitGroup
	var mu sync.Mutex
	var last time.Time
	for range *conns {
		c, err := ln.Accept()
		if err != nil {
			return fmt.Errorf("accept: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			buf := make([]byte, 1<<20)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					first.CompareAndSwap(0, time.Now().UnixNano())
					lines.Add(int64(bytes.Count(buf[:n], []byte{'\n'})))
					total.Add(int64(n))
				}
				if err != nil {
					if !errors.Is(err, io.EOF) {
						fmt.Fprintln(os.Stderr, "benchtool sink: read:", err)
					}
					break
				}
			}
			mu.Lock()
			if t := time.Now(); t.After(last) {
				last = t
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	secs := last.Sub(time.Unix(0, first.Load())).Seconds()
	if first.Load() == 0 || secs <= 0 {
		return errors.New("sink: nothing received")
	}
	fmt.Printf("lines %d bytes %d seconds %.3f lines/s %.0f bytes/s %.0f\n",
		lines.Load(), total.Load(), secs, float64(lines.Load())/secs, float64(total.Load())/secs)
	return nil
}

// feed writes a file's bytes, repeat times, on each of conns connections, then closes them.
func feed(args []string) error {
	fs := flag.NewFlagSet("feed", flag.ContinueOnError)
	addr := fs.String("addr", "", "target host:port (loopback)")
	conns := fs.Int("conns", 1, "connections, each sending the whole file")
	repeat := fs.Int("repeat", 1, "send the file this many times on each connection")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("feed: want one file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	errs := make(chan error, *conns)
	for range *conns {
		go func() {
			c, err := net.Dial("tcp", *addr)
			if err != nil {
				errs <- err
				return
			}
			for range *repeat {
				if _, err := c.Write(data); err != nil {
					c.Close()
					errs <- err
					return
				}
			}
			errs <- c.Close()
		}()
	}
	for range *conns {
		if err := <-errs; err != nil {
			return fmt.Errorf("feed: %w", err)
		}
	}
	return nil
}

// write sends lines of size bytes (LF included) in 64 KiB writes: what one connection carries when the
// sender does nothing but write.
func write(args []string) error {
	fs := flag.NewFlagSet("write", flag.ContinueOnError)
	addr := fs.String("addr", "", "target host:port (loopback)")
	size := fs.Int("size", 600, "line size in bytes, LF included")
	lines := fs.Int("lines", 1_000_000, "lines to send")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *size < 1 || *size > 64<<10 {
		return errors.New("write: -size must be 1..65536")
	}
	per := (64 << 10) / *size
	line := append(bytes.Repeat([]byte{'x'}, *size-1), '\n')
	block := bytes.Repeat(line, per)
	c, err := net.Dial("tcp", *addr)
	if err != nil {
		return err
	}
	for left := *lines; left > 0; left -= per {
		n := min(left, per)
		if _, err := c.Write(block[:n**size]); err != nil {
			c.Close()
			return fmt.Errorf("write: %w", err)
		}
	}
	return c.Close()
}

// freePort prints a loopback TCP port that was free a moment ago, for a server that takes its port as
// configuration.
func freePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("port: %w", err)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return ln.Close()
}
