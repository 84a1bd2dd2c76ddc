package offer

import (
	"context"
	"errors"
	"math"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
)

// oneClass renders record seq as its number, all of one class.
type oneClass struct{}

func (oneClass) Classes() []generator.Class { return []generator.Class{{Name: "c"}} }
func (oneClass) Append(dst []byte, seq uint64) ([]byte, generator.Label) {
	return strconv.AppendUint(dst, seq, 10), generator.Label{Seq: seq, RecordID: seq}
}
func (s oneClass) AppendAt(dst []byte, seq uint64, _ int64) ([]byte, generator.Label) {
	return s.Append(dst, seq)
}
func (oneClass) LabelOf(seq uint64) generator.Label { return generator.Label{Seq: seq, RecordID: seq} }
func (oneClass) SeqOf(id uint64) (uint64, bool)     { return id, true }
func (s oneClass) Fork() generator.Source           { return s }

// fakeSender counts the records buffered between flushes; send, when set, decides Send's error.
type fakeSender struct {
	send              func(seq uint64) error
	sent, buffered    int
	flushes, maxBurst int
}

func (f *fakeSender) Send(seq uint64, _ []byte) error {
	if f.send != nil {
		if err := f.send(seq); err != nil {
			return err
		}
	}
	f.sent++
	f.buffered++
	f.maxBurst = max(f.maxBurst, f.buffered)
	return nil
}

func (f *fakeSender) Flush() error {
	f.flushes++
	f.buffered = 0
	return nil
}

func (*fakeSender) Drain() error                    { return nil }
func (*fakeSender) Broke() []uint64                 { return nil }
func (*fakeSender) Stalled() bool                   { return false }
func (*fakeSender) Reconnect(context.Context) error { return nil }
func (*fakeSender) Interrupt()                      {}
func (*fakeSender) Close() error                    { return nil }
func (*fakeSender) Written() int64                  { return 0 }
func (*fakeSender) LocalAddr() net.Addr             { return nil }

var _ transport.Sender = (*fakeSender)(nil)

// conn returns a Conn offering n records due at once, on a run clock that moves 1 ms a reading: a
// sender that is always behind its schedule, so never waits (nor flushes to wait).
func conn(tr transport.Sender, n int, reconnect bool) *Conn {
	var clock int64
	return &Conn{
		Share:     Share{Schedule: pacer.Schedule{Pacer: pacer.Constant{Rate: 1e9, Limit: pacer.Limit{Count: uint64(n)}}}},
		Source:    oneClass{},
		Sender:    tr,
		Recorder:  reports.NewRecorder(reports.RecorderConfig{Classes: []string{"c"}}),
		Now:       func() int64 { clock += int64(time.Millisecond); return clock },
		End:       math.MaxInt64,
		Late:      10 * time.Millisecond,
		Stopped:   &StopClock{},
		Counts:    &Counts{},
		Reconnect: reconnect,
	}
}

// TestFlushLate: a sender behind its schedule flushes once the oldest record in its buffer has waited
// Late/2 (5 readings of the test's clock), with Reconnect (external targets) or without (embedded).
func TestFlushLate(t *testing.T) {
	for _, reconnect := range []bool{false, true} {
		tr := &fakeSender{}
		conn(tr, 100, reconnect).Run(context.Background())
		if tr.sent != 100 {
			t.Fatalf("reconnect=%v: sent %d records; want 100", reconnect, tr.sent)
		}
		if tr.maxBurst > 6 || tr.flushes < 100/6 {
			t.Errorf("reconnect=%v: up to %d records buffered, %d flushes; want at most 6 records between flushes", reconnect, tr.maxBurst, tr.flushes)
		}
	}
}

// TestFinalBreak: without Reconnect a broken connection is final: the record whose Send failed is not
// counted sent, and every later one is offered and lost at send.
func TestFinalBreak(t *testing.T) {
	broken := errors.New("broken")
	tr := &fakeSender{send: func(seq uint64) error {
		if seq >= 3 {
			return broken
		}
		return nil
	}}
	c := conn(tr, 10, false)
	c.Run(context.Background())
	c.Settle(c.Recorder, nil, nil)
	r := c.Recorder.Report(reports.Meta{})
	if r.Counts.Offered != 10 || r.Counts.Sent != 3 || r.Counts.Lost != 6 {
		t.Errorf("offered %d, sent %d, lost %d; want 10, 3 and 6 (the 4th record's fate is its collector's)", r.Counts.Offered, r.Counts.Sent, r.Counts.Lost)
	}
	if len(r.Lost) != 1 || r.Lost[0].Cause != transport.LostSendError {
		t.Errorf("lost %+v; want 6 %s", r.Lost, transport.LostSendError)
	}
}

// TestShare: Seq and K are inverses, and the connections of the shards cover the schedule once.
func TestShare(t *testing.T) {
	seen := map[uint64]bool{}
	for shard := range 3 {
		for conn := range 2 {
			s := Share{Schedule: pacer.Schedule{Shard: shard, Shards: 3}, Conn: conn, Conns: 2}
			for k := range uint64(10) {
				seq := s.Seq(k)
				if seen[seq] || s.K(seq) != k {
					t.Fatalf("shard %d conn %d: Seq(%d) = %d (seen before: %v), K of it %d", shard, conn, k, seq, seen[seq], s.K(seq))
				}
				seen[seq] = true
			}
		}
	}
	for seq := range uint64(60) {
		if !seen[seq] {
			t.Errorf("seq %d is no connection's", seq)
		}
	}
}
