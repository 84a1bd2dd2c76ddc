// Package threshold parses and evaluates CI gates on run reports, such as `p99<5ms`, `lost==0`,
// `achieved>=0.99*offered` or `dropped.malformed>0`.
//
// # Grammar
//
// Whitespace is allowed between tokens; columns in errors are 1-based byte offsets into the expression.
//
//	threshold = metric op rhs
//	op        = "<" | "<=" | ">" | ">=" | "==" | "!="
//	rhs       = value | [number "*"] metric      (a constant, or a metric scaled by a plain number)
//	value     = number [unit]
//	number    = digits ["." digits] | "." digits
//	metric    = letter { letter | digit | "_" | "." }
//
// Every metric has a kind, and the right-hand side must be of the same kind:
//
//	kind      units (after the number)                         example
//	duration  ns us µs ms s m h (required unless the number is 0)  e2e.p99.9<20ms
//	rate      none, /s, k/s, M/s, k, M (events per second)       achieved>=4.5k/s
//	count     none, k, M                                        lost==0
//	ratio     none, % (a fraction of 1)                         loss<0.1%
//	cpu       none (cores busy: 1 is one core all the time)      target.cpu<0.8
//	size      none, B, kB, MB, GB, TB (10ⁿ), KiB, MiB, GiB, TiB (2ⁿ) target.rss<150MiB
//
// # Metrics
//
// Rates: offered (the schedule's nominal rate, Meta.OfferedRate, when the report states it; else events
// per second over the elapsed time), achieved (verdicts per second over the elapsed time, which runs to
// the last verdict, so a collector that falls behind lowers it), sent.rate, and the per-second verdict
// rate's achieved.mean, achieved.stddev, achieved.p1, achieved.p50, achieved.p99.
// Counts: offered.count, sent, behind, verdicts, alerts, alerts.mapped, alerts.unmapped, dropped,
// dropped.collector, dropped.platform, dropped.<reason>, dropped.malformed.<detail>, lost, lost.<cause>
// (any cause name; 0 when the run lost nothing for it), lost.sender (the causes the sender itself sees:
// send_error, send_stalled, interrupted, http_400, retry_exhausted), checked, mismatches. Ratios: loss
// (lost/offered), behind.ratio (behind/sent), mismatch.ratio (mismatches/checked). Durations:
// [stage.]stat with stage send, wire, pipeline or e2e (the default) and stat pN (any percentile, e.g.
// p50, p99.9, p99.99), min, mean or max.
//
// Delivery (runs against an external collector; see reports.Delivery), all prefixed "delivery.": the
// sink's side, counts delivery.delivered, delivery.duplicates, delivery.reordered,
// delivery.unattributed, delivery.foreign and the ratio delivery.duplicate.ratio (duplicates/delivered);
// the sender's side, counts delivery.unobserved, delivery.reconnects, delivery.at_risk, delivery.resent.
//
// Target (the collector's own cost, sampled from /proc; see reports.Target): target.cpu, the mean CPU
// in cores over the run (CPU time over elapsed time); target.cpu.p99 and target.cpu.max, over the
// trailing one-second windows of the samples; target.rss, the most resident memory the process tree
// had at a sample (summed over its processes), and target.rss.mean. Against the embedded collector the
// figures are nssbench's own process, generator and sender included. Without a sampled target they
// have no value, and fail as not observed: "no target process was sampled …".
//
// # Not observed
//
// A gate never passes on a figure the run did not observe: it fails with got "not observed: " and why, and
// Result.NotObserved set. What a run observes is its Vantage, fixed by how it was set up: without a sink
// on an external collector, nothing past the sender is known (verdicts, loss, conformance, achieved, wire,
// pipeline and end-to-end latency: "no sink: delivery and loss past the sender are unknown"); a standalone
// sink's report knows nothing of the sender (sent, behind, send latency, the sender's delivery figures);
// an embedded run has no delivery figures. Within what a run observes, a metric without a value is not
// observed either: a latency stage without samples, mismatches or mismatch.ratio when no verdict was
// checked against an expectation. Observable sorts a scenario's default gates by what a run can observe
// before it starts, so that the run leaves the others out and says so.
package threshold

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nssbench/nssbench/reports"
)

// Result is the outcome of one threshold on one report; reports record it.
type Result = reports.ThresholdResult

// Threshold is one parsed gate. It is immutable and safe for concurrent use.
type Threshold struct {
	expr  string
	lhs   *metric
	op    op
	value float64 // the constant, or the scale of rhs
	rhs   *metric // nil for a constant
	text  string  // the right-hand side as written, trimmed
}

// ParseError is a malformed threshold expression.
type ParseError struct {
	Expr string // the expression
	Col  int    // 1-based byte column of the problem
	Msg  string // what was wrong or expected
}

// Error returns e.g. `threshold "p99<<5ms": col 5: expected a number or duration`.
func (e *ParseError) Error() string {
	return fmt.Sprintf("threshold %q: col %d: %s", e.Expr, e.Col, e.Msg)
}

// op is a comparison operator.
type op uint8

const (
	opLT op = iota
	opLE
	opGT
	opGE
	opEQ
	opNE
)

var opNames = [...]string{"<", "<=", ">", ">=", "==", "!="}

// String returns the operator as written.
func (o op) String() string { return opNames[o] }

func (o op) holds(a, b float64) bool {
	switch o {
	case opLT:
		return a < b
	case opLE:
		return a <= b
	case opGT:
		return a > b
	case opGE:
		return a >= b
	case opEQ:
		return a == b
	}
	return a != b
}

// Parse parses one threshold expression (see the package documentation for the grammar). Errors are
// *ParseError values naming the column and what was expected; unknown metrics list the known ones.
func Parse(expr string) (*Threshold, error) {
	p := parser{expr: expr}
	t, err := p.parse()
	if err != nil {
		return nil, err
	}
	return t, nil
}

// MustParse is Parse for expressions known to be valid; it panics on error.
func MustParse(expr string) *Threshold {
	t, err := Parse(expr)
	if err != nil {
		panic("BUG: " + err.Error())
	}
	return t
}

// String returns the expression as written.
func (t *Threshold) String() string { return t.expr }

type parser struct {
	expr string
	i    int
}

func (p *parser) fail(at int, format string, args ...any) error {
	return &ParseError{Expr: p.expr, Col: at + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.i < len(p.expr) && (p.expr[p.i] == ' ' || p.expr[p.i] == '\t') {
		p.i++
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func (p *parser) parse() (*Threshold, error) {
	t := &Threshold{expr: p.expr}
	p.skipSpace()
	m, err := p.metric("a metric")
	if err != nil {
		return nil, err
	}
	t.lhs = m
	p.skipSpace()
	if t.op, err = p.op(); err != nil {
		return nil, err
	}
	p.skipSpace()
	rhsStart := p.i
	if err := p.rhs(t); err != nil {
		return nil, err
	}
	t.text = strings.TrimSpace(p.expr[rhsStart:p.i])
	p.skipSpace()
	if p.i < len(p.expr) {
		return nil, p.fail(p.i, "unexpected %q after the threshold", p.expr[p.i:])
	}
	return t, nil
}

// metric reads a metric name; want names what was expected when there is none.
func (p *parser) metric(want string) (*metric, error) {
	start := p.i
	if p.i >= len(p.expr) || !isLetter(p.expr[p.i]) {
		return nil, p.fail(start, "expected %s", want)
	}
	for p.i < len(p.expr) {
		c := p.expr[p.i]
		if !isLetter(c) && !isDigit(c) && c != '_' && c != '.' {
			break
		}
		p.i++
	}
	name := p.expr[start:p.i]
	m, ok := lookup(name)
	if !ok {
		return nil, p.fail(start, "unknown metric %q (known: %s)", name, strings.Join(Known(), ", "))
	}
	return m, nil
}

func (p *parser) op() (op, error) {
	rest := p.expr[p.i:]
	for _, o := range []op{opLE, opGE, opEQ, opNE, opLT, opGT} { // two-byte operators first
		if strings.HasPrefix(rest, opNames[o]) {
			p.i += len(opNames[o])
			return o, nil
		}
	}
	return 0, p.fail(p.i, "expected an operator (<, <=, >, >=, ==, !=)")
}

// expected names what may start the right-hand side of a threshold on a metric of kind k.
var expected = [...]string{
	kindCount:    "a number",
	kindRate:     "a number or rate",
	kindRatio:    "a number or percentage",
	kindDuration: "a number or duration",
	kindCores:    "a number of cores",
	kindBytes:    "a number or size",
}

func (p *parser) rhs(t *Threshold) error {
	k := t.lhs.kind
	if p.i < len(p.expr) && isLetter(p.expr[p.i]) {
		t.value = 1
		return p.scaled(t)
	}
	start := p.i
	for p.i < len(p.expr) && isDigit(p.expr[p.i]) {
		p.i++
	}
	if p.i < len(p.expr) && p.expr[p.i] == '.' {
		p.i++
		for p.i < len(p.expr) && isDigit(p.expr[p.i]) {
			p.i++
		}
	}
	num := p.expr[start:p.i]
	if num == "" || num == "." {
		return p.fail(start, "expected %s", expected[k])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return p.fail(start, "bad number %q", num)
	}
	t.value = v
	p.skipSpace()
	if p.i < len(p.expr) && p.expr[p.i] == '*' {
		p.i++
		p.skipSpace()
		return p.scaled(t)
	}
	unitStart := p.i
	for p.i < len(p.expr) && p.expr[p.i] != ' ' && p.expr[p.i] != '\t' {
		_, n := utf8.DecodeRuneInString(p.expr[p.i:])
		p.i += n
	}
	unit := p.expr[unitStart:p.i]
	scale, ok := units[k][unit]
	switch {
	case ok:
		t.value *= scale
		return nil
	case unit == "" && k == kindDuration && v == 0:
		return nil
	case unit == "":
		return p.fail(unitStart, "expected a unit after %s (%s)", num, unitNames[k])
	}
	return p.fail(unitStart, "unknown unit %q for a %s (want %s)", unit, k, unitNames[k])
}

// scaled reads the metric of a "k*metric" right-hand side and checks its kind.
func (p *parser) scaled(t *Threshold) error {
	start := p.i
	m, err := p.metric("a metric")
	if err != nil {
		return err
	}
	if m.kind != t.lhs.kind {
		return p.fail(start, "metric %q is a %s, %q needs a %s", m.name, m.kind, t.lhs.name, t.lhs.kind)
	}
	t.rhs = m
	return nil
}

// units maps each kind's unit spellings to their scale.
var units = [...]map[string]float64{
	kindCount:    {"": 1, "k": 1e3, "M": 1e6},
	kindRate:     {"": 1, "/s": 1, "k/s": 1e3, "M/s": 1e6, "k": 1e3, "M": 1e6},
	kindRatio:    {"": 1, "%": 0.01},
	kindDuration: {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9},
	kindCores:    {"": 1},
	kindBytes: {"": 1, "B": 1, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
		"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40},
}

var unitNames = [...]string{
	kindCount:    "none, k or M",
	kindRate:     "none, /s, k/s, M/s, k or M",
	kindRatio:    "none or %",
	kindDuration: "ns, us, µs, ms, s, m or h",
	kindCores:    "none",
	kindBytes:    "none, B, kB, MB, GB, TB, KiB, MiB, GiB or TiB",
}

// Vantage is what a run observes, fixed by how it was set up.
type Vantage struct {
	External bool // an external collector: the report has delivery figures
	Verdicts bool // the collector's verdicts are seen: the embedded collector, or a sink on an external one's output
	Sender   bool // what was sent is seen: every run but a standalone sink (whose shards sent)
}

// VantageOf returns the vantage of the run r reports: a report without delivery figures is an embedded
// run's, one whose delivery nobody observed had no sink, and Meta.TargetKind reports.TargetSink marks a
// standalone sink's.
func VantageOf(r *reports.Report) Vantage {
	if r.Delivery == nil {
		return Vantage{Verdicts: true, Sender: true}
	}
	return Vantage{External: true, Verdicts: r.Delivery.Observed, Sender: r.Meta.TargetKind != reports.TargetSink}
}

// Unobserved says why a run with vantage v cannot observe a metric of t, or returns "" when it can.
func (t *Threshold) Unobserved(v Vantage) string {
	if why := t.lhs.unobserved(v); why != "" {
		return why
	}
	if t.rhs != nil {
		return t.rhs.unobserved(v)
	}
	return ""
}

// Observable splits ts into the thresholds a run with vantage v observes, in order, and the others,
// each with why: a run applies the first and reports the second as left out. Use it for defaults only
// (a scenario's gates): a gate the user asked of the run is applied as given, and fails as not observed.
//
// A default gate on lost that a run without a sink cannot observe is checked on what it can: the losses
// its sender saw (lost.sender with the same comparison), so that records lost at send never pass
// unseen; the left-out entry says so.
func Observable(ts []*Threshold, v Vantage) (keep List, left []reports.LeftOutThreshold) {
	for _, t := range ts {
		if why := t.Unobserved(v); why != "" {
			if sub := t.senderSide(v); sub != nil {
				keep = append(keep, sub)
				why += "; checked as " + sub.expr
			}
			left = append(left, reports.LeftOutThreshold{Expr: t.expr, Why: why})
			continue
		}
		keep = append(keep, t)
	}
	return keep, left
}

// senderSide returns t on the sender's losses (lost.sender) when t is a gate on lost with a constant
// and v observes the sender, or nil.
func (t *Threshold) senderSide(v Vantage) *Threshold {
	if t.lhs.name != "lost" || t.rhs != nil || !v.Sender {
		return nil
	}
	rest, ok := strings.CutPrefix(t.expr, "lost")
	if !ok {
		return nil
	}
	sub, err := Parse("lost.sender" + rest)
	if err != nil || sub.Unobserved(v) != "" {
		return nil
	}
	return sub
}

// notObserved prefixes the reason a metric has no value.
const notObserved = "not observed: "

// side evaluates one metric of t on r: its value, or ok=false with why it was not observed.
func side(m *metric, r *reports.Report, v Vantage) (val float64, why string, err error) {
	if why := m.unobserved(v); why != "" {
		return 0, why, nil
	}
	val, ok, err := m.get(r)
	if err != nil || ok {
		return val, "", err
	}
	return 0, m.noData(r), nil
}

// Eval evaluates t on r. A metric the run did not observe (see the package documentation) fails the
// threshold with got, or for the right-hand side want, "not observed: " and why, and NotObserved set; a
// report whose histogram cannot be read fails with got "error: …".
func (t *Threshold) Eval(r *reports.Report) Result {
	res := Result{Expr: t.expr}
	v := VantageOf(r)
	lv, lwhy, err := side(t.lhs, r, v)
	if err != nil {
		res.Got = "error: " + err.Error()
		return res
	}
	if lwhy == "" {
		res.Got = format(t.lhs.kind, lv)
	} else {
		res.Got, res.NotObserved = notObserved+lwhy, true
	}
	rv := t.value
	if t.rhs != nil {
		v, why, err := side(t.rhs, r, v)
		if err != nil {
			res.Got = "error: " + err.Error()
			return res
		}
		if why != "" {
			res.Want, res.NotObserved = t.op.String()+" "+t.text+" ("+notObserved+why+")", true
			return res
		}
		rv *= v
	}
	res.Want = t.op.String() + " " + format(t.lhs.kind, rv)
	if t.rhs != nil {
		res.Want += " (" + t.text + ")"
	}
	res.Pass = lwhy == "" && t.op.holds(lv, rv)
	return res
}

// Apply evaluates every threshold on r, records the results in r.Thresholds (replacing any) and reports
// whether all passed.
func Apply(r *reports.Report, ts ...*Threshold) bool {
	r.Thresholds = make([]Result, 0, len(ts))
	for _, t := range ts {
		r.Thresholds = append(r.Thresholds, t.Eval(r))
	}
	return r.ThresholdsPassed()
}

// NotObserved says, a line each, which gates of r failed as not observed, and why
// (reports.ThresholdResult.NotObservedWhy): "threshold EXPR failed, WHY".
func NotObserved(r *reports.Report) []string {
	var lines []string
	for i := range r.Thresholds {
		if why := r.Thresholds[i].NotObservedWhy(); why != "" {
			lines = append(lines, "threshold "+r.Thresholds[i].Expr+" failed, "+why)
		}
	}
	return lines
}

// List is a repeatable command-line flag of thresholds: each Set parses one expression.
type List []*Threshold

// Set parses expr and appends it.
func (l *List) Set(expr string) error {
	t, err := Parse(expr)
	if err != nil {
		return err
	}
	*l = append(*l, t)
	return nil
}

// String joins the expressions with ", ".
func (l *List) String() string {
	if l == nil {
		return ""
	}
	parts := make([]string, len(*l))
	for i, t := range *l {
		parts[i] = t.expr
	}
	return strings.Join(parts, ", ")
}
