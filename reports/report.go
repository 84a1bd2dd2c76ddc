package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Schema identifies the report.json format; Decode rejects any other.
const Schema = "nssbench.report/v1"

// Report is everything a run measured: complete (JSON carries the histograms, not just their
// percentiles), self-describing (Meta says what ran) and exactly mergeable (Merge sums counts and merges
// histograms). Derived fields (rates, percentiles) are recomputed whenever reports merge.
//
// Slices are never nil, so a report survives a JSON round trip unchanged.
type Report struct {
	Schema      string            `json:"schema"`      // always Schema
	Verdict     string            `json:"verdict"`     // the verdict line (VerdictLine), written by the JSON renderer
	Meta        Meta              `json:"meta"`        // what ran, where, when
	Counts      Counts            `json:"counts"`      // run totals
	Rates       Rates             `json:"rates"`       // totals over the elapsed time, and per second
	Bytes       Bytes             `json:"bytes"`       // volume: sent and delivered bytes, per feed
	Classes     []ClassCounts     `json:"classes"`     // outcomes per label class, in class order
	Alerts      []AlertCount      `json:"alerts"`      // alerts by alert type: mapped first, then by count
	Drops       []DropCount       `json:"drops"`       // drops by stage, reason and detail, in pipeline order
	Lost        []LostCount       `json:"lost"`        // lost events by cause, most first
	Latency     []StageLatency    `json:"latency"`     // one per LatencyStage, in stage order
	Timeline    []Second          `json:"timeline"`    // seconds with any activity, in order; a missing second saw none
	Conformance Conformance       `json:"conformance"` // golden checks
	Thresholds  []ThresholdResult `json:"thresholds"`  // CI gates evaluated on this report; Merge drops them
	// ThresholdsLeftOut are the scenario's default gates the run left out, as it could not observe their
	// metrics; nil when none was. Merge drops them.
	ThresholdsLeftOut []LeftOutThreshold `json:"thresholdsLeftOut,omitempty"`

	// Delivery is set by runs against an external collector only (see Delivery).
	Delivery *Delivery `json:"delivery,omitempty"`
	// Target is what the collector under test cost (package harness/probe), when it was sampled.
	Target *Target `json:"target,omitempty"`
	// Limit says what limited the run (see Report.LimitedBy); written by the JSON renderer.
	Limit *Limit `json:"limit,omitempty"`
}

// Meta describes the run a report measured. The caller fills it; Recorder.Report copies it.
type Meta struct {
	Scenario    string        `json:"scenario"`
	Description string        `json:"description"`
	Seed        uint64        `json:"seed"`
	Pacer       string        `json:"pacer"`       // the pacer's String(), e.g. "Constant{5000/s}"
	OfferedRate float64       `json:"offeredRate"` // the pacer's nominal rate, events per second
	Duration    time.Duration `json:"duration"`    // elapsed, nanoseconds in JSON
	Target      string        `json:"target"`      // collector address, or "embedded"
	Transport   string        `json:"transport"`   // e.g. "tcp", "udp", "tls", "http"
	Connections int           `json:"connections"`
	Version     string        `json:"version"`
	GoVersion   string        `json:"goVersion"`
	Machine     string        `json:"machine"` // e.g. "linux/amd64, 2 CPUs, <cpu model>"
	Started     time.Time     `json:"started"` // wall clock of t=0, UTC in reports
	// Clock is how records were stamped: "virtual" (the generator's deterministic clock), "wall"
	// (each record's scheduled send time) or ClockRecorded; "" in reports that predate it.
	Clock       string `json:"clock,omitempty"`
	Interrupted bool   `json:"interrupted"`
	// Ending says how the run ended: EndDeadline (by the schedule's end plus the drain; records unsent
	// then are lost as not_sent) or EndDeliverAll (the whole schedule was delivered, late if need be).
	// Empty in reports of older versions.
	Ending string `json:"ending,omitempty"`
	// ShardIndex and ShardCount say which part of a sharded run (run -shard i/n) the report covers;
	// ShardCount is 0 for a whole run, and for a merged report.
	ShardIndex int `json:"shardIndex,omitempty"`
	ShardCount int `json:"shardCount,omitempty"`

	// What makes two runs the same experiment (see Experiment); empty in reports written before they
	// existed. Hashes are the first 16 hex digits of the SHA-256 of the file's content.
	ScenarioHash string `json:"scenarioHash,omitempty"` // the scenario file, with the class library it draws on
	TargetKind   string `json:"targetKind,omitempty"`   // TargetEmbedded, TargetSink, or the external target's scheme
	Framing      string `json:"framing,omitempty"`      // "lf" or "octet"
	RulesHash    string `json:"rulesHash,omitempty"`    // the collector and platform rules file
	MappingsHash string `json:"mappingsHash,omitempty"` // the alert-type → ATT&CK mapping file
}

// Target kinds of Meta.TargetKind besides an external target's scheme ("tcp", "udp", "tls", "http",
// "https").
const (
	TargetEmbedded = "embedded" // the embedded reference collector
	TargetSink     = "sink"     // a standalone sink (nssbench sink): it saw arrivals, its shards sent
)

// How a run ended (Meta.Ending).
const (
	EndDeadline   = "deadline"
	EndDeliverAll = "deliver-all"
)

// Counts are a run's event totals. Every offered event ends as exactly one of an alert, a drop or lost:
// Offered == Alerts + Dropped + Lost (see Report.Balanced).
type Counts struct {
	Offered  uint64 `json:"offered"`  // events due by the pacer's schedule (generated)
	Sent     uint64 `json:"sent"`     // events written to the transport
	Behind   uint64 `json:"behind"`   // sent later than the schedule by more than the tolerance
	Verdicts uint64 `json:"verdicts"` // verdicts received: Alerts + Dropped + Invalid
	Alerts   uint64 `json:"alerts"`   // Mapped + Unmapped
	Mapped   uint64 `json:"mapped"`   // alerts whose alert type maps to a threat
	Unmapped uint64 `json:"unmapped"` // alerts ingested without a threat
	Dropped  uint64 `json:"dropped"`  // verdicts that dropped the event
	Invalid  uint64 `json:"invalid"`  // verdicts that were neither alert nor dropped (a pipeline bug)
	Lost     uint64 `json:"lost"`     // events that never got a verdict
	// Unattributed counts records the embedded collector received and decided that no offered event
	// accounts for (a foreign connection to its port, a stray line): outside the balance, never hidden.
	Unattributed uint64 `json:"unattributed,omitempty"`
}

// Rates are events per second over Meta.Duration, plus statistics of the per-second achieved rate.
type Rates struct {
	Offered   float64     `json:"offered"`   // Counts.Offered per second
	Sent      float64     `json:"sent"`      // Counts.Sent per second
	Achieved  float64     `json:"achieved"`  // Counts.Verdicts per second
	PerSecond RateSummary `json:"perSecond"` // over the timeline's verdicts per second
}

// RateSummary summarises the verdicts received per wall-clock second from the timeline's first second to
// its last, seconds missing from the timeline counting as zero. The first and last seconds are partial
// and are left out when the span has at least three. StdDev is
// the population standard deviation; percentiles interpolate linearly between ranks (Hyndman–Fan type 7).
type RateSummary struct {
	Seconds int     `json:"seconds"` // seconds summarised
	Mean    float64 `json:"mean"`
	StdDev  float64 `json:"stddev"`
	P1      float64 `json:"p1"`
	P50     float64 `json:"p50"`
	P99     float64 `json:"p99"`
}

// ClassCounts are the outcomes of one ground-truth label class.
type ClassCounts struct {
	Name       string `json:"name"`
	Feed       string `json:"feed"` // the feed its records belong to; empty when the recorder was not told
	Alerts     uint64 `json:"alerts"`
	Mapped     uint64 `json:"mapped"`
	Unmapped   uint64 `json:"unmapped"`
	Dropped    uint64 `json:"dropped"`
	Invalid    uint64 `json:"invalid"`
	Lost       uint64 `json:"lost"`
	Checked    uint64 `json:"checked"`
	Mismatches uint64 `json:"mismatches"`
	// Volume (see Bytes): records counted by Recorder.SentBytes and DeliveredBytes, and their bytes.
	Sent           uint64 `json:"sent"`
	SentBytes      uint64 `json:"sentBytes"`
	Delivered      uint64 `json:"delivered"`
	DeliveredBytes uint64 `json:"deliveredBytes"`
}

// AlertCount counts the alerts of one alert type (and, for mapped alerts, one threat).
type AlertCount struct {
	AlertType  string `json:"alertType"`
	Mapped     bool   `json:"mapped"`
	ThreatID   string `json:"threatId"`   // empty when unmapped
	ThreatName string `json:"threatName"` // empty when unmapped
	Count      uint64 `json:"count"`
}

// DropCount counts the drops of one stage, reason and (for malformed records) detail, spelled as the
// verdict package spells them.
type DropCount struct {
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
	Detail string `json:"detail"` // empty unless Reason is "malformed"
	Count  uint64 `json:"count"`
}

// LostCount counts the events lost for one cause, e.g. "send_error", "connection_reset", "udp_overrun",
// "interrupted".
type LostCount struct {
	Cause string `json:"cause"`
	Count uint64 `json:"count"`
}

// StageLatency summarises one stage's latency histogram. Durations are nanoseconds in JSON; percentiles are
// HDR histogram values (within 0.1%, reported as the highest value equivalent to the recorded one).
type StageLatency struct {
	Stage     string        `json:"stage"` // LatencyStage.String()
	Count     uint64        `json:"count"`
	Min       time.Duration `json:"min"`
	Mean      time.Duration `json:"mean"`
	P50       time.Duration `json:"p50"`
	P90       time.Duration `json:"p90"`
	P99       time.Duration `json:"p99"`
	P999      time.Duration `json:"p99.9"`
	Max       time.Duration `json:"max"`
	Histogram string        `json:"histogram"` // HdrHistogram V2 compressed, base64: the source of truth for merges
}

// Quantile returns the p-th percentile (0 ≤ p ≤ 100) of the stage's histogram; 0 when it is empty.
// It decodes the histogram on every call.
func (l *StageLatency) Quantile(p float64) (time.Duration, error) {
	h, err := decodeHistogram(l.Histogram)
	if err != nil {
		return 0, fmt.Errorf("%s latency: %w", l.Stage, err)
	}
	return time.Duration(h.ValueAtPercentile(p)), nil
}

// Second is one wall-clock second of the timeline. Offered counts events scheduled in it, Sent events
// written in it, Verdicts/Dropped verdicts decided in it, Lost events lost in it (see Recorder.Lost). P50
// and P99 are the end-to-end latency of its verdicts read from the coarse histogram E2E (within 12.5%,
// see the Recorder documentation).
type Second struct {
	Unix     int64         `json:"unix"` // the second's start, Unix seconds
	Offered  uint64        `json:"offered"`
	Sent     uint64        `json:"sent"`
	Behind   uint64        `json:"behind"`
	Verdicts uint64        `json:"verdicts"`
	Dropped  uint64        `json:"dropped"`
	Lost     uint64        `json:"lost"`
	P50      time.Duration `json:"p50"`
	P99      time.Duration `json:"p99"`
	E2E      [][2]uint64   `json:"e2e"` // non-empty coarse buckets as [index, count]
}

// Conformance is the outcome of checking verdicts against golden expectations.
type Conformance struct {
	Checked     uint64            `json:"checked"`     // verdicts compared with an expectation
	Mismatches  uint64            `json:"mismatches"`  // verdicts that disagreed
	MaxExamples int               `json:"maxExamples"` // how many examples a merge keeps
	Examples    []MismatchExample `json:"examples"`    // the first MaxExamples mismatches
}

// MismatchExample is one verdict that disagreed with its expectation. Position names the record.
type MismatchExample struct {
	Class    string `json:"class"`
	RecordID string `json:"recordId"` // the record's externalId, when it had one
	// Conn is the connection the record came by, from 1 (the collector's stream; a sink's: the sender
	// connection that sent it); 0 when unknown or a file.
	Conn uint64 `json:"connection,omitempty"`
	// Line is the record's 1-based position in its connection (or file); 0 when unknown.
	Line  uint64 `json:"line"`
	Field string `json:"field"` // verdict.Mismatch.Field
	Got   string `json:"got"`
	Want  string `json:"want"`
	Input string `json:"input"` // the raw record, clipped to MaxExampleInput bytes (head…tail)
}

// Position names the mismatched record by what is known of it: "recordid 42 connection 3 line 17",
// each part only when known, "record of unknown position" when none is; never "line 0".
func (ex MismatchExample) Position() string {
	var parts []string
	if ex.RecordID != "" {
		parts = append(parts, "recordid "+ex.RecordID)
	}
	if ex.Conn > 0 {
		parts = append(parts, "connection "+strconv.FormatUint(ex.Conn, 10))
	}
	if ex.Line > 0 {
		parts = append(parts, "line "+strconv.FormatUint(ex.Line, 10))
	}
	if len(parts) == 0 {
		return "record of unknown position"
	}
	return strings.Join(parts, " ")
}

// ThresholdResult is one CI gate evaluated on a report (see package reports/threshold).
type ThresholdResult struct {
	Expr string `json:"expr"` // the expression as written
	Pass bool   `json:"pass"`
	Got  string `json:"got"`  // the metric's value, formatted in its unit
	Want string `json:"want"` // the comparison it had to satisfy, e.g. "< 5ms"
	// NotObserved is set when the run did not observe a metric of the gate, which then fails: Got (or
	// Want, for the right-hand side) says "not observed: " and why.
	NotObserved bool `json:"notObserved,omitempty"`
}

// NotObservedWhy says why t failed as not observed: its Got ("not observed: …"), or "right-hand side "
// and its Want when that side was the one not observed; "" when t was observed.
func (t *ThresholdResult) NotObservedWhy() string {
	switch {
	case !t.NotObserved:
		return ""
	case strings.HasPrefix(t.Got, "not observed"):
		return t.Got
	}
	return "right-hand side " + t.Want
}

// LeftOutThreshold is a default gate a run left out because it could not observe its metric.
type LeftOutThreshold struct {
	Expr string `json:"expr"` // the expression as written
	Why  string `json:"why"`  // e.g. "no sink: delivery and loss past the sender are unknown"
}

// ClockRecorded is Meta.Clock of a verbatim replay: the records carry their recorded stamps.
const ClockRecorded = "recorded"

// Balanced reports whether every offered event is accounted for exactly once: Offered == Alerts +
// Dropped + Lost, with no invalid verdicts. A run whose delivery nobody observed cannot balance so;
// see Accounted.
func (r *Report) Balanced() bool {
	c := &r.Counts
	return c.Invalid == 0 && c.Offered == c.Alerts+c.Dropped+c.Lost
}

// Accounted reports whether the accounting holds as the report's balance line states it: Balanced, or,
// for a run whose delivery nobody observed (Delivery.Observed false), Offered == Delivery.Unobserved +
// Lost with no verdicts; with a sink that could not attribute some records sent (Delivery.Unobserved:
// replayed lines without a record id), Offered == Alerts + Dropped + Lost + Delivery.Unobserved. The
// renderers' pass/fail status follows it.
func (r *Report) Accounted() bool {
	d, c := r.Delivery, &r.Counts
	switch {
	case d != nil && !d.Observed:
		return c.Verdicts == 0 && c.Offered == d.Unobserved+c.Lost
	case d != nil && d.Unobserved > 0:
		return c.Invalid == 0 && c.Offered == c.Alerts+c.Dropped+c.Lost+d.Unobserved
	}
	return r.Balanced()
}

// Relay reports whether r's sink expected every valid record (-expect-forward all): the collector is a
// relay, and an alert of the report means a record that arrived (a drop: one that did not, as its class
// expected; lost: one that did not, unexpectedly). The renderers word their sections so.
func (r *Report) Relay() bool {
	return r.Delivery != nil && r.Delivery.Observed && r.Delivery.Expect == "all"
}

// DeliveryObserved reports whether the run observed what was delivered: the embedded collector, or a
// sink behind an external one (Delivery.Observed). Without it the delivered figures are unknown.
func (r *Report) DeliveryObserved() bool { return r.Delivery == nil || r.Delivery.Observed }

// ThresholdsPassed reports whether every recorded threshold passed (true when there are none).
func (r *Report) ThresholdsPassed() bool {
	for _, t := range r.Thresholds {
		if !t.Pass {
			return false
		}
	}
	return true
}

// Stage returns the latency summary of stage s, or nil when the report has none.
func (r *Report) Stage(s LatencyStage) *StageLatency {
	name := s.String()
	for i := range r.Latency {
		if r.Latency[i].Stage == name {
			return &r.Latency[i]
		}
	}
	return nil
}

// Decode reads one report.json as the JSON renderer writes it. It checks the schema and that the report's
// histograms and names decode, so a decoded report can be merged.
func Decode(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("decode report: schema %q, want %q", r.Schema, Schema)
	}
	r.normalize()
	if _, err := recorderFromReport(&r); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	return &r, nil
}

// normalize replaces the nil slices JSON "null" decodes to with empty ones.
func (r *Report) normalize() {
	if r.Classes == nil {
		r.Classes = []ClassCounts{}
	}
	if r.Alerts == nil {
		r.Alerts = []AlertCount{}
	}
	if r.Drops == nil {
		r.Drops = []DropCount{}
	}
	if r.Lost == nil {
		r.Lost = []LostCount{}
	}
	if r.Latency == nil {
		r.Latency = []StageLatency{}
	}
	if r.Timeline == nil {
		r.Timeline = []Second{}
	}
	for i := range r.Timeline {
		if r.Timeline[i].E2E == nil {
			r.Timeline[i].E2E = [][2]uint64{}
		}
	}
	if r.Conformance.Examples == nil {
		r.Conformance.Examples = []MismatchExample{}
	}
	if r.Thresholds == nil {
		r.Thresholds = []ThresholdResult{}
	}
	if r.Bytes.Feeds == nil {
		r.Bytes.Feeds = []ByteCounts{}
	}
	if r.Target != nil && r.Target.Timeline == nil {
		r.Target.Timeline = []TargetPoint{}
	}
	r.Verdict, r.Limit = "", nil // derived when rendered
}

// ReadFile decodes the report saved in the file at path (Decode), naming the file in its error.
func ReadFile(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// ReadFiles reads the report files at paths (ReadFile), in order; it stops at the first that cannot be
// read.
func ReadFiles(paths ...string) ([]*Report, error) {
	reps := make([]*Report, len(paths))
	for i, p := range paths {
		var err error
		if reps[i], err = ReadFile(p); err != nil {
			return nil, err
		}
	}
	return reps, nil
}
