package reports

import (
	"fmt"
	"strconv"
)

// Delivery is what a run against an external collector saw beyond the wire: the sender's side (broken
// connections, records at risk, records sent again) and, when a sink watched the collector's output,
// what came out of it. It is nil in reports of runs on the embedded collector.
//
// With a sink, every record the sink attributed to the run is also a verdict in Counts (arrived: an
// alert; did not arrive: a drop when that was expected, else lost with cause "not_delivered"), so the
// balance holds. Without one (Observed false), only the sender's side is known: Unobserved counts the
// sent records whose fate nobody saw, and Counts has no verdicts for them.
type Delivery struct {
	Observed bool   `json:"observed"` // a sink watched the collector's output
	Sink     string `json:"sink"`     // the sink's address, empty without one
	Expect   string `json:"expect"`   // what was expected to arrive: "verdicts" (alerts only) or "all" (every valid record)

	Delivered    uint64 `json:"delivered"`    // records of the run that arrived at the sink (first arrivals)
	Duplicates   uint64 `json:"duplicates"`   // arrivals of a record that had arrived before
	Reordered    uint64 `json:"reordered"`    // first arrivals after a later record of the same sender connection
	Unattributed uint64 `json:"unattributed"` // arrivals without a usable record id (malformed, oversize, not NSS)
	Foreign      uint64 `json:"foreign"`      // arrivals whose record id is not one the run had sent
	Unobserved   uint64 `json:"unobserved"`   // records sent whose fate nobody saw: no sink, or (with one) replayed lines without a record id

	Reconnects uint64 `json:"reconnects"` // connections re-established after a break (HTTP: retried requests)
	AtRisk     uint64 `json:"atRisk"`     // records written but unacknowledged when their connection broke
	Resent     uint64 `json:"resent"`     // records sent again: the duplicate window's replay, failed writes, HTTP retries

	Note string `json:"note"` // what the figures cannot tell, in words
}

// add adds o's counts to d; Observed is any, text fields keep d's value when o's is empty or equal, else
// join with " + ".
func (d *Delivery) add(o *Delivery) {
	d.Observed = d.Observed || o.Observed
	d.Sink = joinDistinct(d.Sink, o.Sink)
	d.Expect = joinDistinct(d.Expect, o.Expect)
	d.Note = joinDistinct(d.Note, o.Note)
	d.Delivered += o.Delivered
	d.Duplicates += o.Duplicates
	d.Reordered += o.Reordered
	d.Unattributed += o.Unattributed
	d.Foreign += o.Foreign
	d.Unobserved += o.Unobserved
	d.Reconnects += o.Reconnects
	d.AtRisk += o.AtRisk
	d.Resent += o.Resent
}

func joinDistinct(a, b string) string {
	switch {
	case b == "" || a == b:
		return a
	case a == "":
		return b
	}
	return a + " + " + b
}

// mergeDelivery sums the Delivery sections of rs; nil when none has one.
func mergeDelivery(rs []*Report) *Delivery {
	var out *Delivery
	for _, r := range rs {
		if r.Delivery == nil {
			continue
		}
		if out == nil {
			out = &Delivery{}
		}
		out.add(r.Delivery)
	}
	return out
}

// textDelivery writes the Delivery section, if any.
func textDelivery(ew *errWriter, r *Report) {
	d := r.Delivery
	if d == nil {
		return
	}
	if d.Observed {
		ew.print(fmt.Sprintf("delivery (sink %s, expect %s): delivered %d, duplicates %d, reordered %d, unattributed %d, foreign %d\n",
			d.Sink, d.Expect, d.Delivered, d.Duplicates, d.Reordered, d.Unattributed, d.Foreign))
	} else {
		ew.print(fmt.Sprintf("delivery NOT OBSERVED (no sink): %d sent records' fate unknown\n", d.Unobserved))
	}
	ew.print(fmt.Sprintf("sender: reconnects %d, at risk %d, re-sent %d\n", d.Reconnects, d.AtRisk, d.Resent))
	if d.Note != "" {
		ew.print("note: ", d.Note, "\n")
	}
	ew.print("\n")
}

// markdownDelivery writes the Delivery section as a Markdown table, if any.
func markdownDelivery(ew *errWriter, r *Report) {
	d := r.Delivery
	if d == nil {
		return
	}
	if d.Observed {
		ew.print("\n**Delivery**: observed by the sink ", mdCode(d.Sink), ", expect ", mdCode(d.Expect), "\n\n| | count |\n|---|--:|\n")
		ew.print("| delivered | ", u(d.Delivered), " |\n| duplicates | ", u(d.Duplicates), " |\n| reordered | ", u(d.Reordered),
			" |\n| unattributed | ", u(d.Unattributed), " |\n| foreign | ", u(d.Foreign), " |\n")
	} else {
		ew.print("\n**Delivery**: **not observed** (no sink)\n\n| | count |\n|---|--:|\n")
		ew.print("| sent, fate unknown (no sink) | ", u(d.Unobserved), " |\n")
	}
	ew.print("| sender: reconnects | ", u(d.Reconnects), " |\n| sender: at risk | ", u(d.AtRisk), " |\n| sender: re-sent | ", u(d.Resent), " |\n")
	if d.Note != "" {
		ew.print("\nNote: ", mdCell(d.Note), "\n")
	}
}

// unobservedBalance is the balance line of a run whose delivery nobody observed: each offered event was
// either sent, its fate unknown, or lost before it left.
func unobservedBalance(r *Report) string {
	c, d := &r.Counts, r.Delivery
	s := "balance: offered " + strconv.FormatUint(c.Offered, 10)
	if r.Accounted() {
		return s + " = unobserved " + strconv.FormatUint(d.Unobserved, 10) + " + lost " + strconv.FormatUint(c.Lost, 10) +
			": delivery not observed (no sink)"
	}
	return s + fmt.Sprintf(" vs unobserved %d + lost %d + verdicts %d: NOT BALANCED", d.Unobserved, c.Lost, c.Verdicts)
}
