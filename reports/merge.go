package reports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
)

// Merge combines reports of shards of one run (processes or hosts that ran side by side) into one, as
// if a single recorder had seen every event: counts and histograms add exactly (percentiles are recomputed
// from the merged histograms, never averaged), timelines align on wall-clock seconds, and examples keep the
// inputs' order up to the largest MaxExamples among them.
//
// Reports of one run share their seed; shards (Meta.ShardCount > 0) must all be parts of the same
// division, each at most once. Merge refuses anything else, as its sum would count some records twice
// or mix runs; a missing shard is allowed (see MissingShards).
//
// Meta merges as: Started is the earliest start, Duration spans to the latest end, OfferedRate and
// Connections add, Interrupted is any, Seed is the common seed, the shard fields are zero, and each text
// field keeps its value when all reports agree, else their distinct values joined by " + ". Threshold
// results are dropped: evaluate thresholds on the merged report. Target sections add up (see
// mergeTargets: the fleet's cost).
func Merge(rs ...*Report) (*Report, error) {
	if len(rs) == 0 {
		return nil, errors.New("merge reports: no reports")
	}
	if err := checkShards(rs); err != nil {
		return nil, fmt.Errorf("merge reports: %w", err)
	}
	var acc *Recorder
	for i, r := range rs {
		if r == nil {
			return nil, fmt.Errorf("merge reports: report %d is nil", i)
		}
		rec, err := recorderFromReport(r)
		if err != nil {
			return nil, fmt.Errorf("merge reports: report %d: %w", i, err)
		}
		if acc == nil {
			acc = rec
			continue
		}
		acc.maxExamples = max(acc.maxExamples, rec.maxExamples)
		if err := acc.Merge(rec); err != nil {
			return nil, fmt.Errorf("merge reports: report %d: %w", i, err)
		}
	}
	rep := acc.Report(mergeMeta(rs))
	rep.Delivery = mergeDelivery(rs)
	rep.Target = mergeTargets(rs)
	return rep, nil
}

// checkShards checks that rs can be parts of one run: one seed, and shards of one division, each once.
// Reports may be nil (Merge reports those itself).
func checkShards(rs []*Report) error {
	first := -1
	seen := map[int]int{} // shard index → report
	for i, r := range rs {
		if r == nil {
			continue
		}
		m := &r.Meta
		if first < 0 {
			first = i
		}
		f := &rs[first].Meta
		switch {
		case m.Seed != f.Seed:
			return fmt.Errorf("report %d has seed %d, report %d seed %d: not parts of one run", i, m.Seed, first, f.Seed)
		case m.ShardCount != f.ShardCount:
			return fmt.Errorf("report %d is %s, report %d %s: not parts of one run", i, shardName(m), first, shardName(f))
		case m.ShardCount == 0:
			continue
		case m.ShardIndex < 0 || m.ShardIndex >= m.ShardCount:
			return fmt.Errorf("report %d: shard %d/%d out of range", i, m.ShardIndex, m.ShardCount)
		}
		if j, dup := seen[m.ShardIndex]; dup {
			return fmt.Errorf("report %d is shard %d/%d again (report %d): its records would count twice", i, m.ShardIndex, m.ShardCount, j)
		}
		seen[m.ShardIndex] = i
	}
	return nil
}

// shardName says which part of a run m covers: "shard 3/16" or "a whole run".
func shardName(m *Meta) string {
	if m.ShardCount == 0 {
		return "a whole run"
	}
	return fmt.Sprintf("shard %d/%d", m.ShardIndex, m.ShardCount)
}

// MissingShards returns the shard indexes of the division rs come from that none of them covers, in
// order: empty when rs are whole runs or every shard is there. A merge without them undercounts the run.
func MissingShards(rs ...*Report) []int {
	if len(rs) == 0 || rs[0] == nil || rs[0].Meta.ShardCount == 0 {
		return nil
	}
	have := map[int]bool{}
	for _, r := range rs {
		if r != nil {
			have[r.Meta.ShardIndex] = true
		}
	}
	var missing []int
	for i := range rs[0].Meta.ShardCount {
		if !have[i] {
			missing = append(missing, i)
		}
	}
	return missing
}

// PartialMerge says that a merge of rs misses shards of the run (MissingShards) and so covers only
// part of it, "" when none is missing.
func PartialMerge(rs ...*Report) string {
	missing := MissingShards(rs...)
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d shards merged; missing %v: the merged report covers only part of the run", len(rs), rs[0].Meta.ShardCount, missing)
}

func mergeMeta(rs []*Report) Meta {
	m := Meta{Seed: rs[0].Meta.Seed}
	var end time.Time
	field := func(get func(*Meta) string) string {
		var vals []string
		for _, r := range rs {
			v := get(&r.Meta)
			if v != "" && !contains(vals, v) {
				vals = append(vals, v)
			}
		}
		return strings.Join(vals, " + ")
	}
	for _, r := range rs {
		rm := &r.Meta
		m.OfferedRate += rm.OfferedRate
		m.Connections += rm.Connections
		m.Interrupted = m.Interrupted || rm.Interrupted
		if !rm.Started.IsZero() {
			if m.Started.IsZero() || rm.Started.Before(m.Started) {
				m.Started = rm.Started
			}
			if e := rm.Started.Add(rm.Duration); e.After(end) {
				end = e
			}
		}
	}
	if !m.Started.IsZero() {
		m.Duration = end.Sub(m.Started)
	}
	m.Scenario = field(func(m *Meta) string { return m.Scenario })
	m.Description = field(func(m *Meta) string { return m.Description })
	m.Pacer = field(func(m *Meta) string { return m.Pacer })
	m.Target = field(func(m *Meta) string { return m.Target })
	m.Transport = field(func(m *Meta) string { return m.Transport })
	m.Version = field(func(m *Meta) string { return m.Version })
	m.GoVersion = field(func(m *Meta) string { return m.GoVersion })
	m.Machine = field(func(m *Meta) string { return m.Machine })
	m.ScenarioHash = field(func(m *Meta) string { return m.ScenarioHash })
	m.TargetKind = field(func(m *Meta) string { return m.TargetKind })
	m.Framing = field(func(m *Meta) string { return m.Framing })
	m.RulesHash = field(func(m *Meta) string { return m.RulesHash })
	m.MappingsHash = field(func(m *Meta) string { return m.MappingsHash })
	m.Ending = field(func(m *Meta) string { return m.Ending })
	return m
}

func contains(vals []string, v string) bool {
	for _, x := range vals {
		if x == v {
			return true
		}
	}
	return false
}

// recorderFromReport rebuilds the recorder state a report was derived from, so reports merge through
// Recorder.Merge. It rejects reports whose names, histograms or timeline cannot be read back.
func recorderFromReport(rep *Report) (*Recorder, error) {
	start := rep.Meta.Started
	if len(rep.Timeline) > 0 {
		start = time.Unix(rep.Timeline[0].Unix, 0)
	}
	names := make([]string, len(rep.Classes))
	for i, c := range rep.Classes {
		if contains(names[:i], c.Name) {
			return nil, fmt.Errorf("class %q listed twice", c.Name)
		}
		names[i] = c.Name
	}
	r := NewRecorder(RecorderConfig{Classes: names, Start: start, Unchecked: true})
	r.maxExamples = max(rep.Conformance.MaxExamples, 0)
	r.counts = rep.Counts
	r.checked = rep.Conformance.Checked
	r.mismatches = rep.Conformance.Mismatches
	copy(r.classes, rep.Classes)
	for _, a := range rep.Alerts {
		key := a.AlertType
		if a.Mapped {
			key += "\x00" + a.ThreatID
		}
		if r.alerts[key] != nil {
			return nil, fmt.Errorf("alert type %q (threat %q) listed twice", a.AlertType, a.ThreatID)
		}
		cp := a
		r.alerts[key] = &cp
	}
	for _, d := range rep.Drops {
		k, err := parseDropKey(d)
		if err != nil {
			return nil, err
		}
		if _, dup := r.drops[k]; dup {
			return nil, fmt.Errorf("drop %s/%s/%s listed twice", d.Stage, d.Reason, d.Detail)
		}
		r.drops[k] = d.Count
	}
	for _, l := range rep.Lost {
		if _, dup := r.lost[l.Cause]; dup {
			return nil, fmt.Errorf("lost cause %q listed twice", l.Cause)
		}
		r.lost[l.Cause] = l.Count
	}
	for _, l := range rep.Latency {
		st, err := ParseLatencyStage(l.Stage)
		if err != nil {
			return nil, err
		}
		h, err := decodeHistogram(l.Histogram)
		if err != nil {
			return nil, fmt.Errorf("%s latency: %w", l.Stage, err)
		}
		if uint64(h.TotalCount()) != l.Count {
			return nil, fmt.Errorf("%s latency: histogram holds %d values, count says %d", l.Stage, h.TotalCount(), l.Count)
		}
		if r.lat[st].TotalCount() != 0 {
			return nil, fmt.Errorf("%s latency listed twice", l.Stage)
		}
		if dropped := r.lat[st].Merge(h); dropped != 0 {
			return nil, fmt.Errorf("%s latency: %d values outside the histogram range", l.Stage, dropped)
		}
	}
	for i, s := range rep.Timeline {
		idx := s.Unix - r.base
		if i > 0 && s.Unix <= rep.Timeline[i-1].Unix {
			return nil, fmt.Errorf("timeline second %d is not after second %d", s.Unix, rep.Timeline[i-1].Unix)
		}
		if idx >= maxTimelineSeconds {
			return nil, fmt.Errorf("timeline spans more than %d seconds", maxTimelineSeconds)
		}
		sec := r.secAt(idx)
		*sec = second{offered: s.Offered, sent: s.Sent, behind: s.Behind, verdicts: s.Verdicts, dropped: s.Dropped, lost: s.Lost}
		if len(s.E2E) > 0 {
			sec.e2e = new(coarse)
			if err := sec.e2e.addSparse(s.E2E); err != nil {
				return nil, fmt.Errorf("timeline second %d: %w", s.Unix, err)
			}
		}
	}
	ex := rep.Conformance.Examples
	r.examples = append(r.examples, ex[:min(len(ex), r.maxExamples)]...)
	return r, nil
}

func parseDropKey(d DropCount) (dropKey, error) {
	var k dropKey
	var err error
	if k.stage, err = parseEnum(d.Stage, "stage", verdict.ParseStage); err != nil {
		return k, err
	}
	if k.reason, err = parseEnum(d.Reason, "reason", verdict.ParseReason); err != nil {
		return k, err
	}
	if k.detail, err = parseEnum(d.Detail, "detail", verdict.ParseDetail); err != nil {
		return k, err
	}
	return k, nil
}

// parseEnum reads a verdict enum as its String method writes it: "" for the zero value, the name, or
// "prefix(N)" for a value without a name (which a buggy pipeline may produce and a report must keep).
func parseEnum[T ~uint8](s, prefix string, parse func(string) (T, error)) (T, error) {
	if s == "" {
		return 0, nil
	}
	if rest, ok := strings.CutPrefix(s, prefix+"("); ok {
		if digits, ok := strings.CutSuffix(rest, ")"); ok {
			if n, err := strconv.ParseUint(digits, 10, 8); err == nil {
				return T(n), nil
			}
		}
	}
	return parse(s)
}
