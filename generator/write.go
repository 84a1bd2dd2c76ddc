package generator

import (
	"bufio"
	"context"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// WriteOptions says which generated lines WriteLines writes, when, and where their ground truth goes.
type WriteOptions struct {
	// Count ends the stream: events 0 to Count-1.
	Count uint64
	// Index and Stride pick a shard of the stream: events Index, Index+Stride, Index+2·Stride, …
	// (Stride 0 is 1: every event).
	Index, Stride uint64
	// Pacer, when set, writes each event at its due time from the start (a shard's events keep their
	// own times); nil writes as fast as possible.
	Pacer pacer.Pacer
	// Labels, when set, receives each event's ground truth as a JSON line (Label.AppendJSON).
	Labels io.Writer
	// Clock stamps the records: ClockVirtual (the zero value) with their virtual time, ClockWall with
	// their due time from the start when paced, else with the time each is written.
	Clock Clock
}

// WriteLines writes the generated events opts picks to w, one per line, and their labels. It stops
// early, without an error, when ctx is cancelled (checked while waiting for a due time, and every
// 1024 events) or when the pacer's schedule ends. Output is buffered and flushed before each wait.
func (g *Generator) WriteLines(ctx context.Context, w io.Writer, opts WriteOptions) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var lw *bufio.Writer
	if opts.Labels != nil {
		lw = bufio.NewWriterSize(opts.Labels, 256<<10)
	}
	classes := g.Classes()
	buf := make([]byte, 0, 64<<10)
	lbuf := make([]byte, 0, 256)
	start := time.Now()
	for seq := opts.Index; seq < opts.Count; seq += max(opts.Stride, 1) {
		var due time.Duration
		if opts.Pacer != nil {
			var ok bool
			due, ok = opts.Pacer.Due(seq)
			if !ok {
				break
			}
			if wait := due - time.Since(start); wait > 0 {
				if err := bw.Flush(); err != nil {
					return err
				}
				select {
				case <-ctx.Done():
				case <-time.After(wait):
				}
			}
		}
		if seq&1023 == 0 && ctx.Err() != nil {
			break
		}
		var line []byte
		var label Label
		switch {
		case opts.Clock != ClockWall:
			line, label = g.Append(buf[:0], seq)
		case opts.Pacer != nil:
			line, label = g.AppendAt(buf[:0], seq, start.Add(due).UnixNano())
		default:
			line, label = g.AppendAt(buf[:0], seq, time.Now().UnixNano())
		}
		buf = line[:0]
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return err
		}
		if lw != nil {
			lbuf = label.AppendJSON(lbuf[:0], &classes[label.Class])
			if _, err := lw.Write(lbuf); err != nil {
				return err
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if lw != nil {
		return lw.Flush()
	}
	return nil
}

// AppendJSON appends l as one ground-truth JSON line: the event's sequence number, record id and
// class c (the class l names), then the verdict the class expects, in the verdict-record shape.
func (l Label) AppendJSON(dst []byte, c *Class) []byte {
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendUint(dst, l.Seq, 10)
	dst = append(dst, `,"recordid":"`...)
	dst = strconv.AppendUint(dst, l.RecordID, 10)
	dst = append(dst, `","class":`...)
	dst = strconv.AppendQuote(dst, c.Name)
	dst = append(dst, ',')
	dst = c.Expect.AppendJSON(dst)
	return append(dst, "}\n"...)
}

// WriteFiles is WriteLines to out with the labels, when labelsPath is not "", in that file (created
// or truncated, opts.Labels replaced). It closes out and the labels file, returning the first error.
func (g *Generator) WriteFiles(ctx context.Context, out io.WriteCloser, labelsPath string, opts WriteOptions) error {
	var labels *os.File
	if labelsPath != "" {
		f, err := os.Create(labelsPath)
		if err != nil {
			out.Close()
			return err
		}
		labels, opts.Labels = f, f
	}
	err := g.WriteLines(ctx, out, opts)
	if labels != nil {
		if cerr := labels.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
