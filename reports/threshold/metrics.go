package threshold

import (
	"math"
	"slices"
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

// need is what a run must have observed for a metric to have a value: a set of bits.
type need uint8

const (
	needVerdicts need = 1 << iota // the collector's verdicts: the embedded collector, or a sink on an external one
	needSender                    // what was sent: every run but a standalone sink, whose shards sent
	needDelivery                  // delivery figures: an external target
)

// metric is a named value of a report. get reports ok=false when the report has no value for it; missing,
// when set, then says why, in place of "no data". needs says what the run must observe for the value to
// mean anything, and blind why it is unknown without the collector's verdicts.
type metric struct {
	name    string
	kind    kind
	get     func(r *reports.Report) (v float64, ok bool, err error)
	missing func(r *reports.Report) string
	needs   need
	blind   string
}

// noData says why r has no value for m: "no data", or m's reason.
func (m *metric) noData(r *reports.Report) string {
	if m.missing == nil {
		return "no data"
	}
	return m.missing(r)
}

// unobserved says why a run with vantage v cannot observe m, or "" when it can.
func (m *metric) unobserved(v Vantage) string {
	switch {
	case m.needs&needDelivery != 0 && !v.External:
		return noDelivery
	case m.needs&needVerdicts != 0 && !v.Verdicts:
		return m.blind
	case m.needs&needSender != 0 && !v.Sender:
		return noSender
	}
	return ""
}

func value(f func(r *reports.Report) float64) func(*reports.Report) (float64, bool, error) {
	return func(r *reports.Report) (float64, bool, error) { return f(r), true, nil }
}

func count(f func(c *reports.Counts) uint64) func(*reports.Report) (float64, bool, error) {
	return value(func(r *reports.Report) float64 { return float64(f(&r.Counts)) })
}

// checked is a conformance figure, which has no value when no verdict was checked: zero mismatches
// among none checked would pass vacuously.
func checked(f func(c *reports.Conformance) float64) func(*reports.Report) (float64, bool, error) {
	return func(r *reports.Report) (float64, bool, error) {
		return f(&r.Conformance), r.Conformance.Checked > 0, nil
	}
}

func fraction(n, of uint64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Why a metric is not observed.
const (
	noDelivery  = "no delivery figures: the run had no external target"
	noSender    = "standalone sink: what was sent is in the shards' reports"
	noSinkLoss  = "no sink: delivery and loss past the sender are unknown"
	noSinkCount = "no sink: the collector's verdicts are unknown"
	noSinkTime  = "no sink: latency past the sender is unknown"
	noSink      = "no sink: delivery was not observed"
	noChecked   = "no verdict was checked against an expectation"
)

// senderCauses are the causes of loss the sender itself sees (harness/run's Lost* names): events that
// never left it. A run observes them whenever it sends, sink or not.
var senderCauses = []string{"send_error", "send_stalled", "interrupted", "http_400", "retry_exhausted"}

// defDelivery defines a metric of the Delivery section: a sink-side one (sink true) needs a sink's
// verdicts, a sender-side one the sender.
func defDelivery(name string, k kind, sink bool, f func(d *reports.Delivery) float64) {
	needs := needDelivery | needSender
	if sink {
		needs = needDelivery | needVerdicts
	}
	fixed[name] = &metric{name: name, kind: k, needs: needs, blind: noSink,
		get: func(r *reports.Report) (float64, bool, error) {
			if r.Delivery == nil {
				return 0, false, nil
			}
			return f(r.Delivery), true, nil
		},
		missing: func(*reports.Report) string { return noDelivery },
	}
}

// noTarget is the reason a target metric has no value.
const noTarget = "no target process was sampled (-target-pid, or a run on the embedded collector)"

// defTarget defines a metric of the target section's sampled usage. It has no value when no process
// was sampled (a zero would pass a budget vacuously) or when sampling covered part of the run only (a
// process that exited early would pass on the cost of its first seconds).
func defTarget(name string, k kind, f func(u *reports.TargetUsage) float64) {
	fixed[name] = &metric{name: name, kind: k,
		get: func(r *reports.Report) (float64, bool, error) {
			if r.Target == nil || r.Target.Samples == 0 || r.Target.Partial {
				return 0, false, nil
			}
			return f(&r.Target.TargetUsage), true, nil
		},
		missing: func(r *reports.Report) string {
			if r.Target != nil && r.Target.Samples > 0 && r.Target.Partial {
				return "the target was sampled over part of the run only (" + r.Target.Note + ")"
			}
			return noTarget
		},
	}
}

// fixed are the metrics with fixed names.
var fixed = map[string]*metric{}

// def defines a metric that needs what needs says; blind is why it is unknown without verdicts.
func def(name string, k kind, needs need, blind string, get func(*reports.Report) (float64, bool, error)) *metric {
	m := &metric{name: name, kind: k, get: get, needs: needs, blind: blind}
	fixed[name] = m
	return m
}

func init() {
	// The schedule's nominal rate when the run states it: under backpressure the elapsed time stretches
	// to the last verdict, and offered/elapsed would shrink with achieved, hiding the overload.
	def("offered", kindRate, 0, "", value(func(r *reports.Report) float64 {
		if r.Meta.OfferedRate > 0 {
			return r.Meta.OfferedRate
		}
		return r.Rates.Offered
	}))
	v, s := needVerdicts, needSender
	def("achieved", kindRate, v, noSinkCount, value(func(r *reports.Report) float64 { return r.Rates.Achieved }))
	def("sent.rate", kindRate, s, "", value(func(r *reports.Report) float64 { return r.Rates.Sent }))
	def("achieved.mean", kindRate, v, noSinkCount, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.Mean }))
	def("achieved.stddev", kindRate, v, noSinkCount, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.StdDev }))
	def("achieved.p1", kindRate, v, noSinkCount, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.P1 }))
	def("achieved.p50", kindRate, v, noSinkCount, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.P50 }))
	def("achieved.p99", kindRate, v, noSinkCount, value(func(r *reports.Report) float64 { return r.Rates.PerSecond.P99 }))

	def("offered.count", kindCount, 0, "", count(func(c *reports.Counts) uint64 { return c.Offered }))
	def("sent", kindCount, s, "", count(func(c *reports.Counts) uint64 { return c.Sent }))
	def("behind", kindCount, s, "", count(func(c *reports.Counts) uint64 { return c.Behind }))
	def("verdicts", kindCount, v, noSinkCount, count(func(c *reports.Counts) uint64 { return c.Verdicts }))
	def("alerts", kindCount, v, noSinkCount, count(func(c *reports.Counts) uint64 { return c.Alerts }))
	def("alerts.mapped", kindCount, v, noSinkCount, count(func(c *reports.Counts) uint64 { return c.Mapped }))
	def("alerts.unmapped", kindCount, v, noSinkCount, count(func(c *reports.Counts) uint64 { return c.Unmapped }))
	def("dropped", kindCount, v, noSinkCount, count(func(c *reports.Counts) uint64 { return c.Dropped }))
	def("lost", kindCount, v, noSinkLoss, count(func(c *reports.Counts) uint64 { return c.Lost }))
	def("lost.sender", kindCount, s, "", value(func(r *reports.Report) float64 { return float64(lostTo(r, senderCauses...)) }))
	def("checked", kindCount, v, noSinkCount, value(func(r *reports.Report) float64 { return float64(r.Conformance.Checked) }))
	def("mismatches", kindCount, v, noSinkCount, checked(func(c *reports.Conformance) float64 { return float64(c.Mismatches) })).
		missing = func(*reports.Report) string { return noChecked }

	def("loss", kindRatio, v, noSinkLoss, value(func(r *reports.Report) float64 { return fraction(r.Counts.Lost, r.Counts.Offered) }))
	def("behind.ratio", kindRatio, s, "", value(func(r *reports.Report) float64 { return fraction(r.Counts.Behind, r.Counts.Sent) }))
	def("mismatch.ratio", kindRatio, v, noSinkCount, checked(func(c *reports.Conformance) float64 {
		return fraction(c.Mismatches, c.Checked)
	})).missing = func(*reports.Report) string { return noChecked }

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
		def("dropped."+name, kindCount, v, noSinkCount, value(func(r *reports.Report) float64 {
			return float64(sumDrops(r, func(d *reports.DropCount) bool { return d.Stage == name }))
		}))
	}
	for _, rs := range verdict.Reasons() {
		name := rs.String()
		def("dropped."+name, kindCount, v, noSinkCount, value(func(r *reports.Report) float64 {
			return float64(sumDrops(r, func(d *reports.DropCount) bool { return d.Reason == name }))
		}))
	}
	for _, dt := range verdict.Details() {
		reason, detail := verdict.ReasonMalformed.String(), dt.String()
		def("dropped."+reason+"."+detail, kindCount, v, noSinkCount, value(func(r *reports.Report) float64 {
			return float64(sumDrops(r, func(d *reports.DropCount) bool { return d.Reason == reason && d.Detail == detail }))
		}))
	}
}

// lostTo counts r's events lost to any of causes.
func lostTo(r *reports.Report, causes ...string) uint64 {
	var n uint64
	for _, l := range r.Lost {
		if slices.Contains(causes, l.Cause) {
			n += l.Count
		}
	}
	return n
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
		// A cause the sender sees is observed by every run that sends; any other only with verdicts.
		m := &metric{name: name, kind: kindCount, needs: needVerdicts, blind: noSinkLoss,
			get: value(func(r *reports.Report) float64 { return float64(lostTo(r, cause)) })}
		if slices.Contains(senderCauses, cause) {
			m.needs = needSender
		}
		return m, true
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
	needs := needVerdicts
	if stage == reports.SendLag {
		needs = needSender
	}
	return &metric{name: name, kind: kindDuration, needs: needs, blind: noSinkTime,
		get: func(r *reports.Report) (float64, bool, error) {
			l := r.Stage(stage)
			if l == nil || l.Count == 0 {
				return 0, false, nil
			}
			d, err := get(l)
			return float64(d), true, err
		},
		missing: func(*reports.Report) string { return "no " + stage.String() + " latency samples" },
	}, true
}

// Known lists the known metric names, with <…> marking the parts a name may vary.
func Known() []string {
	return []string{
		"offered", "achieved", "sent.rate", "achieved.{mean,stddev,p1,p50,p99}",
		"offered.count", "sent", "behind", "verdicts", "alerts", "alerts.mapped", "alerts.unmapped",
		"dropped", "dropped.{collector,platform}", "dropped.<reason>", "dropped.malformed.<detail>",
		"lost", "lost.sender", "lost.<cause>", "checked", "mismatches", "loss", "behind.ratio", "mismatch.ratio",
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
		if v != 0 && math.Abs(v) < 0.001 { // a bound such as target.cpu<0.0001 is not "< 0.000"
			return strconv.FormatFloat(v, 'g', 3, 64) + " cores"
		}
		return strconv.FormatFloat(v, 'f', 3, 64) + " cores"
	case kindBytes:
		return reports.FormatBytes(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
