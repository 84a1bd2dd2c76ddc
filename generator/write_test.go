package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
