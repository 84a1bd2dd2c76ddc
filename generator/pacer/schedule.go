package pacer

import "time"

// maxEvents bounds the schedules a Schedule treats as finite.
const maxEvents = 1 << 40

// Schedule is the part of a pacer's schedule one process offers: with Shards > 1, shard Shard's events,
// those whose sequence number is Shard mod Shards (the zero Shard/Shards: the whole schedule). It alone
// derives what runners and reports say about the offered load: the events due by a time and the
// nominal rate.
type Schedule struct {
	Pacer         Pacer
	Shard, Shards int
}

func (s Schedule) shards() uint64 { return uint64(max(s.Shards, 1)) }

// Offered returns how many of the shard's events are due by elapsed. The shard's j-th event is event
// j*Shards+Shard of the whole schedule, and due times never decrease, so it is a binary search.
func (s Schedule) Offered(elapsed time.Duration) uint64 {
	n := s.shards()
	due := func(j uint64) bool {
		at, ok := s.Pacer.Due(j*n + uint64(s.Shard))
		return ok && at <= elapsed
	}
	hi := uint64(1)
	for due(hi - 1) {
		if hi >= maxEvents {
			return hi
		}
		hi *= 2
	}
	lo := hi / 2  // due(lo-1) holds, or lo is 0
	for lo < hi { // the first j not due
		mid := lo + (hi-lo)/2
		if due(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// Rate is the shard's share of the schedule's nominal rate: the whole schedule's events over the span
// from its first to its last due time when it is bounded and spans time, else its rate at the start,
// divided by Shards. Reports show it as the offered rate (reports.Meta.OfferedRate).
func (s Schedule) Rate() float64 {
	r := s.Pacer.RateAt(0)
	if n, last, ok := s.End(); ok && n > 1 && last > 0 {
		r = float64(n-1) / last.Seconds()
	}
	return r / float64(s.shards())
}

// End returns the whole schedule's event count and its last event's due time, or false when the
// schedule is unbounded (more than 2^40 events).
func (s Schedule) End() (n uint64, last time.Duration, ok bool) {
	n, ok = Count(s.Pacer, maxEvents)
	if ok && n > 0 {
		last, _ = s.Pacer.Due(n - 1)
	}
	return n, last, ok
}
