package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
)

func TestWriteLines(t *testing.T) {
	g := newGen(t, 3, wellFormed)
	var out, labels bytes.Buffer
	if err := g.WriteLines(context.Background(), &out, generatorWriteOptions(7, 1, 3, nil, &labels)); err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, seq := range []uint64{1, 4} { // the shard 1/3 of events 0..6
		line, _ := g.Append(nil, seq)
		fmt.Fprintf(&want, "%s\n", line)
	}
	if out.String() != want.String() {
		t.Errorf("lines:\n%s\nwant:\n%s", out.String(), want.String())
	}
	ls := strings.Split(strings.TrimSuffix(labels.String(), "\n"), "\n")
	if len(ls) != 2 {
		t.Fatalf("labels %q; want 2 lines", labels.String())
	}
	for i, seq := range []uint64{1, 4} {
		var m map[string]any
		if err := json.Unmarshal([]byte(ls[i]), &m); err != nil {
			t.Fatalf("label %q: %v", ls[i], err)
		}
		l := g.LabelOf(seq)
		if m["seq"] != float64(seq) || m["recordid"] != fmt.Sprint(l.RecordID) || m["class"] != g.Classes()[l.Class].Name || m["verdict"] == nil {
			t.Errorf("label %d %q; want seq %d, record id %d, class %s and a verdict", i, ls[i], seq, l.RecordID, g.Classes()[l.Class].Name)
		}
	}
}

// TestWriteLinesPaced: with a pacer, lines are written at their due times, the schedule's end ends
// the output, and cancelling stops it.
func TestWriteLinesPaced(t *testing.T) {
	g := newGen(t, 3, wellFormed)
	var out bytes.Buffer
	pc := pacer.Constant{Rate: 100, Limit: pacer.Limit{Count: 5}} // 0, 10, ..., 40 ms
	start := time.Now()
	if err := g.WriteLines(context.Background(), &out, generatorWriteOptions(1000, 0, 1, pc, nil)); err != nil {
		t.Fatal(err)
	}
	if n, took := strings.Count(out.String(), "\n"), time.Since(start); n != 5 || took < 40*time.Millisecond {
		t.Errorf("%d lines in %v; want 5 (the pacer's count) in at least 40ms", n, took)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(20*time.Millisecond, cancel) // while waiting for the second line
	out.Reset()
	slow := pacer.Constant{Rate: 0.01} // one line every 100 s
	done := make(chan error, 1)
	go func() { done <- g.WriteLines(ctx, &out, generatorWriteOptions(3000, 0, 1, slow, nil)) }()
	select {
	case err := <-done:
		// Cancelled, the writer waits no more and stops at the next multiple of 1024 events.
		if n := strings.Count(out.String(), "\n"); err != nil || n != 1024 {
			t.Errorf("cancelled: %d lines, %v; want 1024 and no error", n, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled WriteLines did not stop")
	}
}

func generatorWriteOptions(count, index, stride uint64, pc pacer.Pacer, labels *bytes.Buffer) generator.WriteOptions {
	o := generator.WriteOptions{Count: count, Index: index, Stride: stride, Pacer: pc}
	if labels != nil {
		o.Labels = labels
	}
	return o
}

// closeRecorder is a buffer that records being closed.
type closeRecorder struct {
	bytes.Buffer
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// TestWriteFiles: the lines go to out and the labels to the file, both closed; a labels file that
// cannot be created is an error, out still closed.
func TestWriteFiles(t *testing.T) {
	g := newGen(t, 3, wellFormed)
	dir := t.TempDir()
	var wantOut, wantLabels bytes.Buffer
	opts := generatorWriteOptions(4, 0, 1, nil, nil)
	if err := g.WriteLines(context.Background(), &wantOut, generatorWriteOptions(4, 0, 1, nil, &wantLabels)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, labels string
		wantErr      bool
	}{
		{"no labels", "", false},
		{"labels", filepath.Join(dir, "l.jsonl"), false},
		{"labels in a missing directory", filepath.Join(dir, "none", "l.jsonl"), true},
	} {
		out := &closeRecorder{}
		err := g.WriteFiles(context.Background(), out, tc.labels, opts)
		if (err != nil) != tc.wantErr || !out.closed {
			t.Errorf("%s: error %v, out closed %t; want an error %t, closed", tc.name, err, out.closed, tc.wantErr)
			continue
		}
		if tc.wantErr {
			continue
		}
		if out.String() != wantOut.String() {
			t.Errorf("%s: lines %q; want %q", tc.name, out.String(), wantOut.String())
		}
		if tc.labels != "" {
			if got, err := os.ReadFile(tc.labels); err != nil || string(got) != wantLabels.String() {
				t.Errorf("%s: labels %q, %v; want %q", tc.name, got, err, wantLabels.String())
			}
		}
	}
}
