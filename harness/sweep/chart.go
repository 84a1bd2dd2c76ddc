package sweep

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nssbench/nssbench/reports"
)

// The SVG geometry of a chart, in user units of its viewBox.
const (
	chartW, chartH                      = 640, 360
	marginL, marginR, marginT, marginB  = 72, 20, 28, 52
	plotW, plotH                        = chartW - marginL - marginR, chartH - marginT - marginB
	legendX, legendY, legendLineSpacing = marginL + 12, marginT + 14, 16
)

// chart is the view of one SVG line chart: everything in pixel coordinates, ready for the template.
type chart struct {
	Title, XLabel, YLabel string
	W, H                  int
	Plot                  box
	XTicks, YTicks        []tick
	Band                  *box // the knee's bracket, shaded
	Lines                 []line
	Marks                 []mark
	Dots                  []dot
	Legend                []legendItem
	Empty                 string // why there is nothing to plot; "" when there is
}

type box struct{ X, Y, W, H float64 }

// tick is a grid line and its label, at pixel Pos along its axis.
type tick struct {
	Pos   float64
	Label string
}

type line struct {
	Class  string
	Points string // SVG polyline points "x,y x,y …"
}

// mark is a labelled reference line.
type mark struct {
	X1, Y1, X2, Y2 float64
	Class, Label   string
	LX, LY         float64 // label position
}

type dot struct {
	X, Y  float64
	Class string // "pass", "fail" or "inconclusive"
	Title string // tooltip
}

type legendItem struct {
	Class, Label string
	Y            float64
}

// axis maps values to pixels, linearly or by log10.
type axis struct {
	lo, hi   float64 // value range (for a log axis, the values themselves, > 0)
	from, to float64 // pixel range
	log      bool
}

func (a axis) pos(v float64) float64 {
	lo, hi := a.lo, a.hi
	if a.log {
		v, lo, hi = math.Log10(v), math.Log10(lo), math.Log10(hi)
	}
	return a.from + (v-lo)/(hi-lo)*(a.to-a.from)
}

// judged returns the steps that were judged (not interrupted), by rate.
func judged(steps []Step) []Step {
	var out []Step
	for _, st := range steps {
		if !st.Interrupted {
			out = append(out, st)
		}
	}
	slices.SortStableFunc(out, func(a, b Step) int { return cmp.Compare(a.Rate, b.Rate) })
	return out
}

// rateAxisMax is the top of the offered axis: the highest rate or achieved rate with some headroom,
// rounded up to a tick.
func rateAxisMax(r *Result, steps []Step) float64 {
	top := max(r.Best, r.Knee)
	for _, st := range steps {
		top = max(top, st.Rate, st.Achieved)
	}
	if top <= 0 {
		top = max(r.Settings.Start, 1)
	}
	step := niceStep(top * 1.05 / 5)
	return math.Ceil(top*1.05/step) * step
}

func newChart(title, xLabel, yLabel string) *chart {
	return &chart{
		Title: title, XLabel: xLabel, YLabel: yLabel, W: chartW, H: chartH,
		Plot: box{X: marginL, Y: marginT, W: plotW, H: plotH},
	}
}

func (c *chart) xAxis(top float64) axis {
	return axis{lo: 0, hi: top, from: marginL, to: marginL + plotW}
}

func (c *chart) legend(class, label string) {
	c.Legend = append(c.Legend, legendItem{Class: class, Label: label, Y: legendY + float64(len(c.Legend)*legendLineSpacing)})
}

// linearTicks returns the ticks of 0..top along ax, labelled by label.
func linearTicks(ax axis, top float64, label func(float64) string) []tick {
	step := niceStep(top / 5)
	var ts []tick
	for i := 0.0; i*step <= top*(1+1e-9); i++ {
		ts = append(ts, tick{Pos: ax.pos(i * step), Label: label(i * step)})
	}
	return ts
}

// band shades the knee's bracket [Best, Knee] across the plot.
func (c *chart) band(r *Result, x axis) {
	if r.Best > 0 && r.Knee > r.Best {
		x1, x2 := x.pos(r.Best), x.pos(r.Knee)
		c.Band = &box{X: x1, Y: marginT, W: x2 - x1, H: plotH}
	}
}

// bestMark draws a vertical line at the best rate.
func (c *chart) bestMark(r *Result, x axis) {
	if r.Best > 0 {
		px := x.pos(r.Best)
		c.Marks = append(c.Marks, mark{X1: px, Y1: marginT, X2: px, Y2: marginT + plotH, Class: "best",
			Label: "best " + rateString(r.Best), LX: px - 4, LY: marginT + plotH - 8})
	}
}

// throughputChart plots achieved against offered, with the ideal achieved = offered diagonal.
func throughputChart(r *Result) *chart {
	steps := judged(r.Steps)
	c := newChart("Offered vs achieved", "offered rate (events/s)", "achieved rate (verdicts/s)")
	top := rateAxisMax(r, steps)
	x := c.xAxis(top)
	y := axis{lo: 0, hi: top, from: marginT + plotH, to: marginT}
	c.XTicks = linearTicks(x, top, rateLabel)
	c.YTicks = linearTicks(y, top, rateLabel)
	c.band(r, x)
	c.Lines = append(c.Lines, line{Class: "ideal", Points: points([][2]float64{{x.pos(0), y.pos(0)}, {x.pos(top), y.pos(top)}})})
	c.legend("ideal", "achieved = offered")
	if len(steps) == 0 {
		c.Empty = "no judged steps"
		return c
	}
	pts := make([][2]float64, len(steps))
	for i, st := range steps {
		pts[i] = [2]float64{x.pos(st.Rate), y.pos(st.Achieved)}
		c.Dots = append(c.Dots, stepDot(&st, pts[i]))
	}
	c.Lines = append(c.Lines, line{Class: "achieved", Points: points(pts)})
	c.legend("achieved", "achieved")
	c.bestMark(r, x)
	return c
}

// latencySeries is one line of the latency chart: a CSS class, a legend label and the step's value.
type latencySeries struct {
	class, label string
	of           func(*Step) time.Duration
}

// latencyChart plots the end-to-end p50 and p99 against offered, on a log scale. Without end-to-end
// latency (an external run without a sink) it plots the sender's lag instead.
func latencyChart(r *Result) *chart {
	all := judged(r.Steps)
	series := []latencySeries{
		{"p99", "p99", func(st *Step) time.Duration { return st.P99 }},
		{"p50", "p50", func(st *Step) time.Duration { return st.P50 }},
	}
	c := newChart("End-to-end latency vs offered", "offered rate (events/s)", "latency (log scale)")
	if !slices.ContainsFunc(all, func(st Step) bool { return st.P99 > 0 }) {
		c.Title = "Send lag vs offered (no end-to-end latency was observed)"
		c.YLabel = "scheduled → written (log scale)"
		series = []latencySeries{{"send", "send p99", func(st *Step) time.Duration { return st.SendP99 }}}
	}
	top := rateAxisMax(r, all)
	x := c.xAxis(top)
	c.XTicks = linearTicks(x, top, rateLabel)
	c.band(r, x)
	lo, hi := math.Inf(1), 0.0
	for _, st := range all {
		for _, se := range series {
			if v := float64(se.of(&st)); v > 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if hi == 0 {
		c.Empty = "no latency measured"
		lo, hi = float64(time.Millisecond), float64(time.Millisecond)
	}
	// Pad the bottom a little, so that a p50 of exactly 1ms does not sit on the axis.
	dlo, dhi := math.Floor(math.Log10(lo/1.2)), math.Ceil(math.Log10(hi))
	if dhi <= dlo {
		dlo, dhi = dlo-1, dhi+1
	}
	y := axis{lo: math.Pow(10, dlo), hi: math.Pow(10, dhi), from: marginT + plotH, to: marginT, log: true}
	for d := dlo; d <= dhi; d++ {
		v := math.Pow(10, d)
		c.YTicks = append(c.YTicks, tick{Pos: y.pos(v), Label: time.Duration(math.Round(v)).String()})
	}
	if c.Empty != "" {
		return c
	}
	for i, se := range series {
		var pts [][2]float64
		for _, st := range all {
			if v := se.of(&st); v > 0 {
				pts = append(pts, [2]float64{x.pos(st.Rate), y.pos(float64(v))})
				if i == 0 { // dots on the first series, the one the SLO usually judges
					c.Dots = append(c.Dots, stepDot(&st, pts[len(pts)-1]))
				}
			}
		}
		c.Lines = append(c.Lines, line{Class: se.class, Points: points(pts)})
		c.legend(se.class, se.label)
	}
	c.bestMark(r, x)
	return c
}

func stepDot(st *Step, at [2]float64) dot {
	class := "pass"
	switch {
	case st.Inconclusive:
		class = "inconclusive"
	case !st.Pass:
		class = "fail"
	}
	title := fmt.Sprintf("step %d (%s): offered %s, achieved %s, p50 %s, p99 %s, lost %d, behind %d: %s",
		st.N, st.Phase, rateString(st.Rate), reports.FormatRate(st.Achieved), reports.FormatDuration(st.P50),
		reports.FormatDuration(st.P99), st.Lost, st.Behind, st.Verdict())
	if why := st.why(); why != "" {
		title += " — " + why
	}
	return dot{X: at[0], Y: at[1], Class: class, Title: title}
}

// points writes pixel coordinates as an SVG points list, to 0.1 unit.
func points(pts [][2]float64) string {
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(p[0], 'f', 1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p[1], 'f', 1, 64))
	}
	return b.String()
}

// niceStep returns the 1, 2 or 5 times a power of ten nearest above raw: a readable tick spacing.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	}
	return 10 * p
}

// rateLabel writes a tick's rate compactly: "0", "500", "2k", "2.5k", "1.2M".
func rateLabel(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(roundSig(v)/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(roundSig(v)/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(roundSig(v), 'f', -1, 64)
}
