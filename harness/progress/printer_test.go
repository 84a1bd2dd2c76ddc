package progress

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestPrinterPlain(t *testing.T) {
	tests := []struct {
		name  string
		print func(p Printer)
		want  string
	}{
		{"line", func(p Printer) { p.Line("1s  due 5") }, `^nssbench: 1s  due 5\n$`},
		{"lines", func(p Printer) { p.Line("1s"); p.Line("2s") }, `^nssbench: 1s\nnssbench: 2s\n$`},
		{"end without a line", func(p Printer) { p.Line("1s"); p.End("") }, `^nssbench: 1s\n$`},
		{"drain", func(p Printer) { p.Drain(12, 5*time.Second) }, `^nssbench: draining: 12 in flight \(up to -drain 5s\)\n$`},
		{"done", func(p Printer) { p.Done(time.Now().Add(-1500 * time.Millisecond)) }, `^nssbench: done in 1\.[56]s\n$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.print(Printer{W: &buf, Prefix: "nssbench: "})
			if !regexp.MustCompile(tt.want).MatchString(buf.String()) {
				t.Errorf("printed %q; want %s", buf.String(), tt.want)
			}
		})
	}
}

// TestPrinterConcurrent: lines printed from several goroutines come out whole.
func TestPrinterConcurrent(t *testing.T) {
	var buf bytes.Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				Printer{W: &buf, Prefix: "p: "}.Line("line")
			}
		}()
	}
	wg.Wait()
	if !regexp.MustCompile(`^(p: line\n){400}$`).Match(buf.Bytes()) {
		t.Errorf("interleaved lines: %q", buf.String())
	}
}

func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name string
		w    io.Writer
		want bool
	}{
		{"buffer", &bytes.Buffer{}, false},
		{"pipe", w, false},
	}
	if runtime.GOOS != "windows" {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer null.Close()
		tests = append(tests, struct {
			name string
			w    io.Writer
			want bool
		}{"character device", null, true})
	}
	for _, tt := range tests {
		if got := isTerminal(tt.w); got != tt.want {
			t.Errorf("%s: isTerminal = %v; want %v", tt.name, got, tt.want)
		}
	}
}
