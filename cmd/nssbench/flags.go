package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator/pacer"
)

// rateValue is a flag holding a positive event rate in pacer.ParseRate's grammar: "20000", "20000/s",
// "1200/m", "5k/s".
type rateValue struct{ perSecond float64 }

func (r *rateValue) String() string {
	if r.perSecond == 0 {
		return ""
	}
	return strconv.FormatFloat(r.perSecond, 'g', -1, 64) + "/s"
}

func (r *rateValue) Set(s string) error {
	v, err := pacer.ParseRate(s)
	if errors.Is(err, pacer.ErrRateUnit) {
		return err
	}
	if err != nil || v <= 0 {
		return fmt.Errorf("rate %q: want a positive number of events, e.g. 20000/s", s)
	}
	r.perSecond = v
	return nil
}

// shardValue is a flag holding "i/n": the i-th (0-based) of n disjoint parts of a schedule.
type shardValue struct{ index, count int }

func (s *shardValue) String() string {
	if s.count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.index, s.count)
}

func (s *shardValue) Set(v string) error {
	is, ns, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/4", v)
	}
	s.index, s.count = i, n
	return nil
}

// timeValue is a flag holding a wall-clock time in RFC 3339; empty means none.
type timeValue struct{ t time.Time }

func (v *timeValue) String() string {
	if v.t.IsZero() {
		return ""
	}
	return v.t.Format(time.RFC3339Nano)
}

func (v *timeValue) Set(s string) error {
	if s == "" {
		v.t = time.Time{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time %q: want RFC 3339, e.g. 2026-11-25T23:30:00Z", s)
	}
	v.t = t
	return nil
}
