package html

import (
	"fmt"
	"math"
	"strconv"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/nssbench/nssbench/reports"
)

// chartData is the JSON the page's script draws its charts from. Arrays of one chart have equal lengths
// (uPlot's aligned data).
type chartData struct {
	Timeline timelineData `json:"timeline"`
	Dist     distData     `json:"dist"`
	Target   targetData   `json:"target"`
}

// targetData is the target's CPU and RSS over time, one entry per point of its timeline; empty when
// no process was sampled.
type targetData struct {
	T   []num `json:"t"`   // seconds since the first sample
	CPU []num `json:"cpu"` // cores
	RSS []num `json:"rss"` // MiB
}

// newTargetData lays the target's timeline out as columns.
func newTargetData(t *reports.Target) targetData {
	td := targetData{T: []num{}, CPU: []num{}, RSS: []num{}}
	if t == nil {
		return td
	}
	for _, p := range t.Timeline {
		td.T = append(td.T, num(p.At.Seconds()))
		td.CPU = append(td.CPU, num(p.CPU))
		td.RSS = append(td.RSS, num(float64(p.RSS)/(1<<20)))
	}
	return td
}

// timelineData holds one entry per timeline second.
type timelineData struct {
	T        []int64  `json:"t"` // the second's start, seconds since the run's start second
	Offered  []uint64 `json:"offered"`
	Sent     []uint64 `json:"sent"`
	Verdicts []uint64 `json:"verdicts"`
	Lost     []uint64 `json:"lost"`
	P50      []num    `json:"p50"` // end-to-end latency, ms; null when the second had no sample
	P99      []num    `json:"p99"`
}

// distData holds percentile curves of the stages' latency histograms on a shared x grid.
type distData struct {
	X      []num        `json:"x"` // "nines" of the percentile p: -log10(1 - p/100); 1 is p90, 2 p99, 3 p99.9
	Stages []stageCurve `json:"stages"`
}

// stageCurve is one stage's latency at each percentile of distData.X.
type stageCurve struct {
	Stage string `json:"stage"`
	Y     []num  `json:"y"` // ms; null beyond the stage's resolution (1/count) or where the value is 0
}

// num is a float written to JSON with 6 significant digits, and NaN as null.
type num float64

// null is the num JSON writes as null: a gap in a chart.
var null = num(math.NaN())

// MarshalJSON writes n in at most 6 significant digits, NaN as null.
func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) {
		return []byte("null"), nil
	}
	if math.IsInf(f, 0) {
		return nil, fmt.Errorf("chart value %v is not finite", f)
	}
	return strconv.AppendFloat(nil, f, 'g', 6, 64), nil
}

// Percentile curve geometry: distStepsPerNine points per nine, up to distMaxNines (p99.9999). A stage's
// curve ends at the nines of 1/count: beyond that a histogram has no percentiles left to tell apart.
const (
	distStepsPerNine = 20
	distMaxNines     = 6
)

// ms converts a duration to milliseconds.
func ms(d time.Duration) num { return num(float64(d) / 1e6) }

// newChartData derives the charts' data from r. It decodes every stage histogram once.
func newChartData(r *reports.Report) (chartData, error) {
	dist, err := newDistData(r.Latency)
	if err != nil {
		return chartData{}, err
	}
	return chartData{Timeline: newTimelineData(r), Dist: dist, Target: newTargetData(r.Target)}, nil
}

// newTimelineData lays r's timeline out as columns. The x origin is the second of Meta.Started, or the
// timeline's first second when Started is unset.
func newTimelineData(r *reports.Report) timelineData {
	n := len(r.Timeline)
	td := timelineData{
		T: make([]int64, n), Offered: make([]uint64, n), Sent: make([]uint64, n), Verdicts: make([]uint64, n),
		Lost: make([]uint64, n), P50: make([]num, n), P99: make([]num, n),
	}
	if n == 0 {
		return td
	}
	origin := r.Timeline[0].Unix
	if !r.Meta.Started.IsZero() {
		origin = r.Meta.Started.Unix()
	}
	for i := range r.Timeline {
		s := &r.Timeline[i]
		td.T[i] = s.Unix - origin
		td.Offered[i], td.Sent[i], td.Verdicts[i], td.Lost[i] = s.Offered, s.Sent, s.Verdicts, s.Lost
		if len(s.E2E) == 0 && s.P50 == 0 && s.P99 == 0 {
			td.P50[i], td.P99[i] = null, null
			continue
		}
		td.P50[i], td.P99[i] = ms(s.P50), ms(s.P99)
	}
	return td
}

// newDistData reads percentile curves from the histograms of stages with samples.
func newDistData(stages []reports.StageLatency) (distData, error) {
	type decoded struct {
		name  string
		h     *hdr.Histogram
		nines float64
	}
	var hs []decoded
	top := 0.0
	for i := range stages {
		st := &stages[i]
		if st.Count == 0 || st.Histogram == "" {
			continue
		}
		h, err := hdr.Decode([]byte(st.Histogram))
		if err != nil {
			return distData{}, fmt.Errorf("%s latency: decode histogram: %w", st.Stage, err)
		}
		if h.TotalCount() == 0 {
			continue
		}
		nines := min(math.Log10(float64(h.TotalCount())), distMaxNines)
		top = max(top, nines)
		hs = append(hs, decoded{st.Stage, h, nines})
	}
	dd := distData{X: []num{}, Stages: make([]stageCurve, len(hs))}
	if len(hs) == 0 {
		return dd, nil
	}
	points := int(math.Floor(top*distStepsPerNine+1e-9)) + 1
	dd.X = make([]num, points)
	for i := range dd.X {
		dd.X[i] = num(float64(i) / distStepsPerNine)
	}
	for j, d := range hs {
		y := make([]num, points)
		for i, x := range dd.X {
			y[i] = null
			if float64(x) > d.nines+1e-9 {
				continue
			}
			if v := d.h.ValueAtQuantile(percentile(float64(x))); v > 0 {
				y[i] = ms(time.Duration(v))
			}
		}
		dd.Stages[j] = stageCurve{Stage: d.name, Y: y}
	}
	return dd, nil
}

// percentile returns the percentile (0–100) whose nines are x: 100·(1 − 10^−x).
func percentile(x float64) float64 { return 100 * (1 - math.Pow(10, -x)) }
