package threshold

import (
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/reports"
)

// kind is what a metric measures, which fixes the units of its threshold.
type kind uint8

const (
	kindCount kind = iota
	kindRate
	kindRatio
	kindDuration
	kindCores
	kindBytes
)

// String names the kind in errors: "count", "rate", "ratio", "duration", "cpu" or "size".
func (k kind) String() string {
	return [...]string{"count", "rate", "ratio", "duration", "cpu", "size"}[k]
}

// metric is a named value of a report. get reports ok=false when the report has no value for it; missing,
// when set, then says why, in place of "no data".
type metric struct {
	name    string
	kind    kind
	get     func(r *reports.Report) (v float64, ok bool, err error)
	missing func(r *reports.Report) string
}

// noData says why r has no value for m: "no data", or m's reason.
func (m *metric) noData(r *reports.Report) string {
	if m.missing == nil {
		return "no data"
	}
	return m.missing(r)
}

func value(f func(r *reports.Report) float64) func(*reports.Report) (float64, bool, error) {
	return func(r *reports.Report) (float64, bool, error) { return f(r), true, nil }
}

func count(f func(c *reports.Counts) uint64) func(*reports.Report) (float64, bool, error) {
	return value(func(r *reports.Report) float64 { return float64(f(&r.Counts)) })
}

func fraction(n, of uint64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// The reasons a delivery metric has no value.
const (
	noDelivery = "no delivery figures: the run had no external target"
	noSink     = "no sink figures: delivery was not observed (no sink)"
)

// defDelivery defines a metric of the Delivery section. It has no value in a report without one; a
// sink-side metric (sink true) has none either when no sink watched the collector's output, as its
// figure is then zero for want of an observer, not for want of events.
func defDelivery(name string, k kind, sink bool, f func(d *reports.Delivery) float64) {
	fixed[name] = &metric{name: name, kind: k,
		get: func(r *reports.Report) (float64, bool, error) {
			d := r.Delivery
			if d == nil || sink && !d.Observed {
				return 0, false, nil
			}
			return f(d), true, nil
		},
		missing: func(r *reports.Report) string {
			if r.Delivery == nil {
				return noDelivery
			}
			return noSink
		},
	}
}

// noTarget is the reason a target metric has no value.
const noTarget = "not observed: no target process was sampled (-target-pid, or a run on the embedded collector)"

// defTarget defines a metric of the target section's sampled usage. It has no value when no process
// was sampled: a zero would pass a budget vacuously.
func defTarget(name string, k kind, f func(u *reports.TargetUsage) float64) {
	fixed[name] = &metric{name: name, kind: k,
		get: func(r *reports.Report) (float64, bool, error) {
			if r.Target == nil || r.Target.Samples == 0 {
				return 0, false, nil
			}
			return f(&r.Target.TargetUsage), true, nil
		},
		missing: func(*reports.Report) string { return noTarget },
	}
}

// fixed are the metrics with fixed names.
var fixed = map[string]*metric{}

func def(name string, k kind, get func(*reports.Report) (float64, bool, error)) {
	fixed[name] = &metric{name: name, kind: k, get: get}
}

func init() {
	// The schedule's nominal rate when the run states it: under backpressure the elapsed time stretches
	// to the last verdict, and offered/elapsed would shrink with achieved, hiding the overload.
	def("offered", kindRate, value(func(r *reports.Report) float64 {
		if r.Meta.OfferedRate > 0 {
			return r.Meta.OfferedRate
		}
		return r.Rates.Offered
	}))
	def("achieved", kindRate, value(func(r *reports.Report) float64 { return r.Rates.Achieved }))
	def("sent.rate", kindRate, value(func(r *reports.Report) float64 { return r.Rates.Sent }))
	def("achieved.mean", kindRate, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.Mean }))
	def("achieved.stddev", kindRate, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.StdDev }))
	def("achieved.p1", kindRate, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.P1 }))
	def("achieved.p50", kindRate, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.P50 }))
	def("achieved.p99", kindRate, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.P99 }))

	def("offered.count", kindCount, count(func(c *reports.Counts) uint64 { return c.Offered }))
	def("sent", kindCount, count(func(c *reports.Counts) uint64 { return c.Sent }))
	def("behind", kindCount, count(func(c *reports.Counts) uint64 { return c.Behind }))
	def("verdicts", kindCount, count(func(c *reports.Counts) uint64 { return c.Verdicts }))
	def("alerts", kindCount, count(func(c *reports.Counts) uint64 { return c.Alerts }))
	def("alerts.mapped", kindCount, count(func(c *reports.Counts) uint64 { return c.Mapped }))
	def("alerts.unmapped", kindCount, count(func(c *reports.Counts) uint64 { return c.Unmapped }))
	def("dropped", kindCount, count(func(c *reports.Counts) uint64 { return c.Dropped }))
	def("lost", kindCount, count(func(c *reports.Counts) uint64 { return c.Lost }))
	def("checked", kindCount, value(func(r *reports.Report) float64 { return float64(r.Conformance.Checked) }))
	def("mismatches", kindCount, value(func(r *reports.Report) float64 { return float64(r.Conformance.Mismatches) }))

	def("loss", kindRatio, value(func(r *reports.Report) float64 { return fraction(r.Counts.Lost, r.Counts.Offered) }))
	def("behind.ratio", kindRatio, value(func(r *reports.Report) float64 { return fraction(r.Counts.Behind, r.Counts.Sent) }))
	def("mismatch.ratio", kindRatio, value(func(r *reports.Report) float64 {
		return fraction(r.Conformance.Mismatches, r.Conformance.Checked)
	}))

	defDelivery("delivery.delivered", kindCount, true, func(d *reports.Delivery) float64 { return float64(d.Delivered) })
	defDelivery("delivery.duplicates", kindCount, true, func(d *reports.Delivery) float64 { return float64(d.Duplicates) })
	defDelivery("delivery.reordered", kindCount, true, func(d *reports.Delivery) float64 { return float64(d.Reordered) })
	defDelivery("delivery.unattributed", kindCount, true, func(d *reports.Delivery) float64 { return float64(d.Unattributed) })
	defDelivery("delivery.foreign", kindCount, true, func(d *reports.Delivery) float64 { return float64(d.Foreign) })
	defDelivery("delivery.duplicate.ratio", kindRatio, true, func(d *reports.Delivery) float64 { return fraction(d.Duplicates, d.Delivered) })
	defDelivery("delivery.unobserved", kindCount, false, func(d *reports.Delivery) float64 { return float64(d.Unobserved) })
	defDelivery("delivery.reconnects", kindCount, false, func(d *reports.Delivery) float64 { return float64(d.Reconnects) })
	defDelivery("delivery.at_risk", kindCount, false, func(d *reports.Delivery) float64 { return float64(d.AtRisk) })
	defDelivery("delivery.resent", kindCount, false, func(d *reports.Delivery) float64 { return float64(d.Resent) })

	defTarget("target.cpu", kindCores, func(u *reports.TargetUsage) float64 { return u.CPU.Mean })
	defTarget("target.cpu.p99", kindCores, func(u *reports.TargetUsage) float64 { return u.CPU.P99 })
	defTarget("target.cpu.max", kindCores, func(u *reports.TargetUsage) float64 { return u.CPU.Max })
	defTarget("target.rss", kindBytes, func(u *reports.TargetUsage) float64 { return float64(u.RSSMax) })
	defTarget("target.rss.mean", kindBytes, func(u *reports.TargetUsage) float64 { return float64(u.RSSMean) })

	for _, st := range []verdict.Stage{verdict.StageCollector, verdict.StagePlatform} {
		name := st.String()
		def("dropped."+name, kindCount, value(func(r *reports.Report) float64 {
			return float64(sumDrops(r, func(d *reports.DropCount) bool { return d.Stage == name }))
		}))
	}
	for _, rs := range verdict.Reasons() {
		name := rs.String()
		def("dropped."+name, kindCount, value(func(r *reports.Report) float64 {
			return float64(sumDrops(r, func(d *reports.DropCount) bool { return d.Reason == name }))
		}))
	}
	for _, dt := range verdict.Details() {
		reason, detail := verdict.ReasonMalformed.String(), dt.String()
		def("dropped."+reason+"."+detail, kindCount, value(func(r *reports.Report) float64 {
			return float64(sumDrops(r, func(d *reports.DropCount) bool { return d.Reason == reason && d.Detail == detail }))
		}))
	}
}

func sumDrops(r *reports.Report, match func(*reports.DropCount) bool) uint64 {
	var n uint64
	for i := range r.Drops {
		if match(&r.Drops[i]) {
			n += r.Drops[i].Count
		}
	}
	return n
}

// lookup resolves a metric name: a fixed name, lost.<cause>, or a latency [stage.]stat.
func lookup(name string) (*metric, bool) {
	if m, ok := fixed[name]; ok {
		return m, true
	}
	if cause, ok := strings.CutPrefix(name, "lost."); ok && validCause(cause) {
		return &metric{name: name, kind: kindCount, get: value(func(r *reports.Report) float64 {
			for _, l := range r.Lost {
				if l.Cause == cause {
					return float64(l.Count)
				}
			}
			return 0
		})}, true
	}
	return latency(name)
}

func validCause(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// latency resolves [stage.]stat, where stat is pN, min, mean or max; the default stage is e2e.
func latency(name string) (*metric, bool) {
	stage := reports.EndToEnd
	stat := name
	if before, after, ok := strings.Cut(name, "."); ok {
		if st, err := reports.ParseLatencyStage(before); err == nil {
			stage, stat = st, after
		}
	}
	var get func(l *reports.StageLatency) (time.Duration, error)
	switch stat {
	case "min":
		get = func(l *reports.StageLatency) (time.Duration, error) { return l.Min, nil }
	case "mean":
		get = func(l *reports.StageLatency) (time.Duration, error) { return l.Mean, nil }
	case "max":
		get = func(l *reports.StageLatency) (time.Duration, error) { return l.Max, nil }
	default:
		digits, ok := strings.CutPrefix(stat, "p")
		if !ok || digits == "" || !isDigit(digits[0]) {
			return nil, false
		}
		q, err := strconv.ParseFloat(digits, 64)
		if err != nil || q <= 0 || q > 100 || strings.ContainsAny(digits, "eE+-_") {
			return nil, false
		}
		get = func(l *reports.StageLatency) (time.Duration, error) {
			switch q {
			case 50:
				return l.P50, nil
			case 90:
				return l.P90, nil
			case 99:
				return l.P99, nil
			case 99.9:
				return l.P999, nil
			}
			return l.Quantile(q)
		}
	}
	return &metric{name: name, kind: kindDuration, get: func(r *reports.Report) (float64, bool, error) {
		l := r.Stage(stage)
		if l == nil || l.Count == 0 {
			return 0, false, nil
		}
		d, err := get(l)
		return float64(d), true, err
	}}, true
}

// Known lists the known metric names, with <…> marking the parts a name may vary.
func Known() []string {
	return []string{
		"offered", "achieved", "sent.rate", "achieved.{mean,stddev,p1,p50,p99}",
		"offered.count", "sent", "behind", "verdicts", "alerts", "alerts.mapped", "alerts.unmapped",
		"dropped", "dropped.{collector,platform}", "dropped.<reason>", "dropped.malformed.<detail>",
		"lost", "lost.<cause>", "checked", "mismatches", "loss", "behind.ratio", "mismatch.ratio",
		"delivery.{delivered,duplicates,reordered,unattributed,foreign,unobserved}", "delivery.{reconnects,at_risk,resent}",
		"delivery.duplicate.ratio",
		"target.cpu", "target.cpu.{p99,max}", "target.rss", "target.rss.mean",
		"[{send,wire,pipeline,e2e}.]{p<N>,min,mean,max}",
	}
}

// format writes a metric value in its kind's unit.
func format(k kind, v float64) string {
	switch k {
	case kindRate:
		return reports.FormatRate(v)
	case kindRatio:
		return reports.FormatRatio(v)
	case kindDuration:
		return reports.FormatDuration(time.Duration(v))
	case kindCores:
		return strconv.FormatFloat(v, 'f', 3, 64) + " cores"
	case kindBytes:
		return reports.FormatBytes(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
