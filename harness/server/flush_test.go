package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/collector"
	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/transport"
)

// TestJSONLinesFollowable: with FlushEvery, verdicts reach the sink's writer while the server runs and
// the sender is still connected; without it they wait in the buffer until Close. Either way Close
// leaves every verdict written.
func TestJSONLinesFollowable(t *testing.T) {
	tests := []struct {
		name       string
		flushEvery time.Duration
		wait       time.Duration // how long to watch the writer before Close
		wantBefore int           // lines written before Close
	}{
		{name: "flush=20ms", flushEvery: 20 * time.Millisecond, wait: 5 * time.Second, wantBefore: 3},
		{name: "flush=0", flushEvery: 0, wait: 200 * time.Millisecond, wantBefore: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			got := make(chan string, 16)
			go func() {
				defer close(got)
				for sc := bufio.NewScanner(pr); sc.Scan(); {
					got <- sc.Text()
				}
			}()
			srv, err := Start(Config{
				Listen:     []string{"tcp://127.0.0.1:0"},
				Pipeline:   pipeline.New(pipeline.DefaultRules(), pipeline.DefaultMappings(), pipeline.Options{}),
				Sink:       NewJSONLines(pw),
				FlushEvery: tc.flushEvery,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close()
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			tr, err := transport.Dial(ctx, srv.URLs()[0], transport.Options{})
			if err != nil {
				t.Fatal(err)
			}
			const n = 3
			for _, l := range lines[:n] {
				if err := tr.Send(0, []byte(l)); err != nil {
					t.Fatal(err)
				}
			}
			if err := tr.Flush(); err != nil {
				t.Fatal(err)
			}
			// The connection stays open: a follower must not need the sender to hang up.
			for deadline := time.Now().Add(5 * time.Second); srv.Counters().Received.Load() < n && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			if r := srv.Counters().Received.Load(); r != n {
				t.Fatalf("received %d records; want %d", r, n)
			}
			var before []string
			timeout := time.After(tc.wait)
		watch:
			for len(before) < n {
				select {
				case l := <-got:
					before = append(before, l)
				case <-timeout:
					break watch
				}
			}
			if len(before) != tc.wantBefore {
				t.Errorf("%d lines written before Close = %q; want %d", len(before), before, tc.wantBefore)
			}

			if err := tr.Close(); err != nil {
				t.Fatal(err)
			}
			if err := srv.Close(); err != nil {
				t.Fatalf("Close() = %v", err)
			}
			pw.Close()
			all := before
			for l := range got {
				all = append(all, l)
			}
			if len(all) != n {
				t.Fatalf("%d lines after Close = %q; want %d", len(all), all, n)
			}
			for i, l := range all {
				if want := fmt.Sprintf(`{"recordid":"%d",`, i+1); len(l) < len(want) || l[:len(want)] != want {
					t.Errorf("line %d = %s; want it to start %s", i+1, l, want)
				}
			}
		})
	}
}

// TestCreateJSONLines: "-" writes to stdout and closes nothing; a path is created and its verdicts are
// in it once flushed and closed; a path that cannot be created is an error.
func TestCreateJSONLines(t *testing.T) {
	dir := t.TempDir()
	v := &verdict.Verdict{Kind: verdict.KindAlert, AlertType: []byte("Virus block")}
	want := string(v.AppendJSON(nil)) + "\n"
	tests := []struct {
		name, path   string
		stdout, file string
		wantErr      bool
	}{
		{name: "stdout", path: "-", stdout: want},
		{name: "file", path: filepath.Join(dir, "v.jsonl"), file: want},
		{name: "no directory", path: filepath.Join(dir, "none", "v.jsonl"), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout bytes.Buffer
			j, closeFile, err := CreateJSONLines(tc.path, &stdout)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("CreateJSONLines(%s): no error", tc.path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := j.Verdict(collector.Conn{}, v); err != nil {
				t.Fatal(err)
			}
			if err := j.Flush(); err != nil {
				t.Fatal(err)
			}
			if err := closeFile(); err != nil {
				t.Fatal(err)
			}
			if stdout.String() != tc.stdout {
				t.Errorf("stdout %q; want %q", stdout.String(), tc.stdout)
			}
			if tc.file != "" {
				if got, err := os.ReadFile(tc.path); err != nil || string(got) != tc.file {
					t.Errorf("%s: %q, %v; want %q", tc.path, got, err, tc.file)
				}
			}
		})
	}
}
