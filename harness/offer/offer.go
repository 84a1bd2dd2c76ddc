// Package offer paces a source's records into a transport.Sender at their due times and accounts for
// every record it offers: sent (with its scheduled and written time), or lost at send with a cause.
// Both of harness/run's runners send through it, one Conn per connection: the embedded runner queues
// each record for its collector's handler (Conn.Queue); the external runner re-establishes a broken
// stream and sends its duplicate window again (Conn.Reconnect).
//
// A Conn keeps to the schedule (generator/pacer): it flushes its sender and sleeps until the next record
// is due, and flushes a buffer whose oldest record has waited Late/2, so that buffering does not inflate
// latency at low rates. It keeps, per record, only what it could not send (a bit per record and cause),
// and regenerates a record from its sequence number to send it again: nothing is kept in memory while a
// collector is away.
package offer

import (
	"context"
	"errors"
	"math"
	"sort"
	"sync/atomic"
	"time"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/harness/transport"
	"github.com/nssbench/nssbench/reports"
)

// LostStalled is the cause of records lost at send because the collector stopped reading and the run
// ended before they could be written (the sender's own causes are transport.Lost*).
const LostStalled = "send_stalled"

// reconnectFirst and reconnectMax bound the backoff between reconnection attempts.
const (
	reconnectFirst = 50 * time.Millisecond
	reconnectMax   = 2 * time.Second
)

// Share is one connection's part of a schedule: of Conns connections sending the schedule's shard,
// connection Conn's k-th record is event Seq(k).
type Share struct {
	Schedule    pacer.Schedule
	Conn, Conns int
}

// Seq returns the sequence number of the connection's k-th record.
func (s Share) Seq(k uint64) uint64 {
	return (k*uint64(max(s.Conns, 1))+uint64(s.Conn))*uint64(max(s.Schedule.Shards, 1)) + uint64(s.Schedule.Shard)
}

// K returns the connection's index of its record seq (the inverse of Seq).
func (s Share) K(seq uint64) uint64 {
	return (seq/uint64(max(s.Schedule.Shards, 1)) - uint64(s.Conn)) / uint64(max(s.Conns, 1))
}

// due returns the due time of the connection's k-th record.
func (s Share) due(k uint64) (time.Duration, bool) { return s.Schedule.Pacer.Due(s.Seq(k)) }

// Entry is a record handed to the sender for the first time, as Conn.Queue receives it; times are
// the run clock's.
type Entry struct {
	Seq       uint64
	Class     uint16
	Scheduled int64
	Written   int64
}

// Counts are a run's live counters, shared by its connections, for progress lines.
type Counts struct{ Sent, Behind atomic.Uint64 }

// Conn offers one connection's share of a schedule. Set its fields, then call Run once; it is its
// Sender's transport.Ledger when the sender was dialled with it as Options.Ledger.
type Conn struct {
	Share    Share
	Source   generator.Source // this connection's own (Source.Fork)
	Sender   transport.Sender
	Recorder *reports.Recorder // what was offered, sent and lost at send
	Clock    generator.Clock   // how records are stamped
	Start    time.Time         // the run clock's t=0: ClockWall's stamps and the timeline's seconds
	Now      func() int64      // the run clock
	End      int64             // run clock after which nothing is sent or retried; math.MaxInt64: none
	Late     time.Duration     // a record written more than Late after its due time is behind schedule
	SendCost time.Duration     // a pause before each record is generated (a sender that cannot keep up)
	// Queue, when set, receives each record before it is first handed to the sender; when it is full
	// the Conn flushes and waits for room.
	Queue chan<- Entry
	// Reconnect re-establishes a broken connection with backoff and sends again the records not wholly
	// written and those scheduled in DuplicateWindow before the break was detected (NSS's "Duplicate
	// Logs"). Without it a break is final: every later record is offered and lost at send.
	Reconnect       bool
	DuplicateWindow time.Duration
	Stopped         *StopClock // the run's interrupt time
	Counts          *Counts

	next    uint64   // records offered so far: k < next
	fw      uint64   // every record k < fw has been wholly written at least once
	unsent  []unsent // records given up, by cause, by k
	dead    bool     // broken for good (without Reconnect)
	rest    string   // why the records not reached are lost when Run ends ("": none are left)
	pending int64    // when the oldest record in the sender's buffer was written (0: none)

	reconnects, risky, resent uint64 // see reports.Delivery
}

var _ transport.Ledger = (*Conn)(nil)

// errStopped: the run stopped while a record waited for room in the Queue.
var errStopped = errors.New("offer: stopped")

// Run offers the connection's share of the schedule until it ends, the run's time is over (End) or
// ctx is done; then it writes what is left, closes the sender, and offers the records it did not reach
// that were due (by the interrupt, or the whole rest of the schedule at End) as lost at send.
func (c *Conn) Run(ctx context.Context) {
	stop, cancel := ctx, context.CancelFunc(func() {})
	if c.End != math.MaxInt64 {
		stop, cancel = context.WithDeadline(ctx, c.Start.Add(time.Duration(c.End)))
	}
	defer cancel()
	out, clock := newScratch(c.Sender), batchClock{now: c.Now}
	var cursor uint64
	for ok := true; ok; {
		k := cursor
		seq := c.Share.Seq(k)
		first := k == c.next
		due, more := c.Share.Schedule.Pacer.Due(seq)
		var now int64
		if first && more {
			now = clock.check(int64(due))
			if stop.Err() != nil || now >= c.End { // no record is taken after an interrupt or the run's end
				c.rest, more = c.stopCause(ctx), false
			}
		}
		switch {
		case first && !more:
			if c.dead || c.Sender.Drain() == nil {
				ok = false
				break
			}
			cursor, ok = c.recover(ctx, k)
		case first && due > time.Duration(now):
			// A sender behind its schedule never waits, so never flushes here.
			c.pending = 0
			if err := c.Sender.Flush(); err != nil && !c.dead {
				cursor, ok = c.recover(ctx, k)
				break
			}
			sleepUntil(stop, c.Now, due) // when stop is done, the next turn ends the loop
		default:
			if first && c.SendCost > 0 {
				time.Sleep(c.SendCost)
			}
			if first && c.dead {
				c.Recorder.Offered(int64(due))
				c.markUnsent(k, transport.LostSendError)
				c.next++
				cursor++
				break
			}
			cursor, ok = c.send(ctx, stop, k, seq, due, &out, &clock)
		}
	}
	// After the final drain (or a give-up) closing loses nothing: an HTTP sender posts its last batch
	// and reports its fate to the ledger, and the collector may end the stream while the rest is counted.
	c.Sender.Close()
	switch c.rest {
	case transport.LostInterrupted:
		c.offerRest(c.rest, c.Stopped.Time(c.Now))
	case transport.LostNotSent:
		c.offerRest(c.rest, math.MaxInt64)
	}
}

// send renders the connection's k-th record (seq, due at due) and hands it to the sender, for the
// first time when k is the next to offer. It returns the record to go on from, or false when the
// connection is given up.
func (c *Conn) send(ctx, stop context.Context, k, seq uint64, due time.Duration, out *scratch, clock *batchClock) (uint64, bool) {
	first := k == c.next
	line, label := render(c.Clock, c.Start, c.Source, out.dst(), seq, due)
	out.rendered(line)
	var written int64
	if first {
		written = clock.written()
		if c.Queue != nil {
			switch err := c.enqueue(stop, Entry{Seq: seq, Class: label.Class, Scheduled: int64(due), Written: written}); {
			case errors.Is(err, errStopped):
				c.Recorder.Offered(int64(due))
				c.markUnsent(k, c.stopCause(ctx))
				c.next++
				return k + 1, true
			case err != nil:
				return c.recover(ctx, k)
			}
		}
	}
	err := c.Sender.Send(seq, line)
	if !first {
		if err == nil {
			c.resent++
		}
	} else {
		c.next++
		c.Recorder.Offered(int64(due))
		// A record the sender refused outright (a UDP socket's error) was not sent: it is lost at send.
		// A stream's write failing later does not unsend what it had taken, unless the break is final:
		// then the record counts as not sent (its queued entry, as not received).
		if _, refused := c.unsentCause(k); !refused && (err == nil || c.Reconnect) {
			c.sent(due, written, label.Class, len(line))
		}
	}
	if err != nil {
		return c.recover(ctx, k)
	}
	if first { // flush once the oldest buffered record has waited Late/2
		switch {
		case c.pending == 0:
			c.pending = written
		case written-c.pending >= int64(c.Late/2):
			c.pending = 0
			if err := c.Sender.Flush(); err != nil {
				return c.recover(ctx, k+1)
			}
		}
	}
	return k + 1, true
}

// sent counts a record written at written (run clock) as sent.
func (c *Conn) sent(due time.Duration, written int64, class uint16, n int) {
	behind := written-int64(due) > int64(c.Late)
	c.Recorder.Sent(reports.Timing{Scheduled: int64(due), Written: written}, behind)
	c.Recorder.SentBytes(class, n)
	c.Counts.Sent.Add(1)
	if behind {
		c.Counts.Behind.Add(1)
	}
}

// enqueue queues e; when the Queue is full (the collector is far behind) it flushes, so the collector
// can catch up, and waits for room or for stop (errStopped).
func (c *Conn) enqueue(stop context.Context, e Entry) error {
	select {
	case c.Queue <- e:
		return nil
	default:
	}
	if err := c.Sender.Flush(); err != nil {
		return err
	}
	select {
	case c.Queue <- e:
		return nil
	case <-stop.Done():
		return errStopped
	}
}

// stopCause is why records due and unsent are lost once the run has stopped.
func (c *Conn) stopCause(ctx context.Context) string {
	if ctx.Err() != nil {
		return transport.LostInterrupted
	}
	return transport.LostNotSent
}

// recover handles a broken connection met at record k. Without Reconnect the break is final: it goes
// on from the next record to offer. With it, it reconnects with backoff and returns the record to go
// on from (the duplicate window's first, or the first not written), or gives the unwritten records up
// and returns false when the run ends first.
func (c *Conn) recover(ctx context.Context, k uint64) (uint64, bool) {
	if !c.Reconnect {
		c.dead = true
		return c.next, true
	}
	c.pending = 0
	detect := time.Duration(c.Now())
	// Records at or after fw attempted on the broken connection and not in unwritten were written.
	next := uint64(math.MaxUint64)
	for _, q := range c.Sender.Broke() {
		if kq := c.Share.K(q); kq >= c.fw {
			next = min(next, kq)
		}
	}
	if k >= c.fw {
		next = min(next, k)
	}
	if next != math.MaxUint64 {
		c.fw = next
	}
	backoff := reconnectFirst
	for {
		if ctx.Err() != nil {
			c.giveUp(transport.LostInterrupted)
			c.rest = transport.LostInterrupted
			return 0, false
		}
		if c.Now() >= c.End {
			cause := transport.LostSendError
			if c.Sender.Stalled() {
				cause = LostStalled
			}
			c.giveUp(cause)
			c.rest = transport.LostNotSent
			return 0, false
		}
		if err := c.Sender.Reconnect(ctx); err == nil {
			break
		}
		t := time.NewTimer(min(backoff, time.Duration(c.End-c.Now())))
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
		backoff = min(2*backoff, reconnectMax)
	}
	c.reconnects++
	from := c.fw
	if w := c.DuplicateWindow; w > 0 {
		// The first record scheduled in the window before the break was detected.
		start := detect - w
		from = uint64(sort.Search(int(c.fw), func(i int) bool {
			d, _ := c.Share.due(uint64(i))
			return d >= start
		}))
	}
	return from, true
}

// giveUp counts the records offered and never wholly written as lost at send for cause.
func (c *Conn) giveUp(cause string) {
	for k := c.fw; k < c.next; k++ {
		c.markUnsent(k, cause)
	}
}

// offerRest offers the records not reached that were due by upTo (run clock; math.MaxInt64: the whole
// rest of the schedule) and counts them lost for cause. Millions of records may be left: it counts them
// per class and timeline second (wall-clock seconds, as the recorder, which starts at Start, keeps
// them), not one by one.
func (c *Conn) offerRest(cause string, upTo int64) {
	lost := make([]uint64, len(c.Source.Classes()))
	frac := int64(c.Start.Nanosecond())
	at, sec := int64(0), int64(-1) // a time in the second being counted, and that second
	flush := func() {
		for class, n := range lost {
			if n > 0 {
				c.Recorder.LostAt(at, uint16(class), cause, n)
				lost[class] = 0
			}
		}
	}
	for k := c.next; ; k++ {
		seq := c.Share.Seq(k)
		due, ok := c.Share.Schedule.Pacer.Due(seq)
		if !ok || int64(due) > upTo {
			break
		}
		if t := (frac + int64(due)) / int64(time.Second); t != sec {
			flush()
			at, sec = int64(due), t
		}
		c.Recorder.Offered(int64(due))
		lost[c.Source.LabelOf(seq).Class]++
	}
	flush()
}

// render renders record seq, due at offset due of a schedule that started at start, as clock stamps it.
func render(clock generator.Clock, start time.Time, g generator.Source, dst []byte, seq uint64, due time.Duration) ([]byte, generator.Label) {
	if clock == generator.ClockWall {
		return g.AppendAt(dst, seq, start.UnixNano()+int64(due))
	}
	return g.Append(dst, seq)
}

// Lost implements transport.Ledger.
func (c *Conn) Lost(seq uint64, cause string) { c.markUnsent(c.Share.K(seq), cause) }

// AtRisk implements transport.Ledger.
func (c *Conn) AtRisk(n uint64) { c.risky += n }

// Retried implements transport.Ledger.
func (c *Conn) Retried(n uint64) {
	c.reconnects++
	c.resent += n
}

// AddTo adds the connection's reconnections, records at risk and records sent again to d.
func (c *Conn) AddTo(d *reports.Delivery) {
	d.Reconnects += c.reconnects
	d.AtRisk += c.risky
	d.Resent += c.resent
}

// unsent is the set of records given up for one cause.
type unsent struct {
	cause string
	ks    sink.SeqSet
}

// markUnsent gives record k up for cause, unless it was given up already.
func (c *Conn) markUnsent(k uint64, cause string) {
	if _, gone := c.unsentCause(k); gone {
		return
	}
	for i := range c.unsent {
		if c.unsent[i].cause == cause {
			c.unsent[i].ks.Add(k)
			return
		}
	}
	c.unsent = append(c.unsent, unsent{cause: cause})
	c.unsent[len(c.unsent)-1].ks.Add(k)
}

// unsentCause returns the cause record k was given up for, if it was.
func (c *Conn) unsentCause(k uint64) (string, bool) {
	for i := range c.unsent {
		if c.unsent[i].ks.Has(k) {
			return c.unsent[i].cause, true
		}
	}
	return "", false
}

// Each calls f with every record offered so far and the cause it was given up for ("": none), once
// Run has returned.
func (c *Conn) Each(f func(seq uint64, cause string)) {
	for k := uint64(0); k < c.next; k++ {
		cause, _ := c.unsentCause(k)
		f(c.Share.Seq(k), cause)
	}
}

// Settle accounts for the records offered and not counted yet, once Run has returned: each one given
// up is counted in rec as lost at send, with its cause, at its due time; each other one is passed to
// sent. Records arrived reports as arrived (at a sink) are passed over. arrived and sent may be nil.
func (c *Conn) Settle(rec *reports.Recorder, arrived func(seq uint64) bool, sent func(seq uint64)) {
	if len(c.unsent) == 0 && sent == nil {
		return
	}
	c.Each(func(seq uint64, cause string) {
		switch {
		case arrived != nil && arrived(seq):
		case cause != "":
			due, _ := c.Share.Schedule.Pacer.Due(seq)
			rec.LostAt(int64(due), c.Source.LabelOf(seq).Class, cause, 1)
		case sent != nil:
			sent(seq)
		}
	})
}
