package sweep

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/nssbench/nssbench/reports"
)

//go:embed assets/sweep.html.tmpl
var pageTemplate string

// page is parsed once; executing a template is safe for concurrent use.
var page = template.Must(template.New("sweep").Funcs(template.FuncMap{
	"f1":      func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"add":     func(a, b float64) float64 { return a + b },
	"half":    func(v float64) float64 { return v / 2 },
	"legendX": func() float64 { return legendX },
}).Parse(pageTemplate))

// pageView is what the template shows.
type pageView struct {
	Title, Settings, Started, Took, Machine, Version, Schema string
	Conclusion, Peak, Cost                                   string
	SLO, Caveats                                             []string
	Plan                                                     *planView
	Sampled                                                  bool
	Charts                                                   []*chart
	Rows                                                     []rowView
}

type planView struct {
	Sentence string
	Details  []string
}

type rowView struct {
	N                                        int
	Phase, Rate, Achieved, P50, P99, SendP99 string
	Verdict, CPU, RSS                        string
	Class, Why                               string
	Lost, Behind                             uint64
}

// writeHTML renders r for HTML (see there).
func writeHTML(w io.Writer, r *Result) error {
	var buf bytes.Buffer
	if err := page.Execute(&buf, r.view()); err != nil {
		return fmt.Errorf("render sweep HTML: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("render sweep HTML: %w", err)
	}
	return nil
}

func (r *Result) view() *pageView {
	m := &r.Meta
	v := &pageView{
		Title: "nssbench capacity sweep", Settings: r.Settings.String(), Schema: r.Schema,
		Started: m.Started.UTC().Format(time.RFC3339), Took: reports.FormatDuration(m.Duration),
		Version: m.Version, Conclusion: r.Conclusion(), SLO: r.Settings.SLO,
		Charts: []*chart{throughputChart(r), latencyChart(r)},
		Cost:   r.Cost(), Caveats: r.Caveats(), Sampled: r.sampled(),
	}
	if r.Plan != nil {
		v.Plan = &planView{Sentence: r.Plan.Sentence(), Details: r.Plan.Details()}
	}
	if m.Scenario != "" {
		v.Title += ": scenario " + strconv.Quote(m.Scenario)
	}
	if m.Target != "" {
		v.Title += " against " + m.Target
	}
	if m.Machine != "" {
		v.Machine = m.GoVersion + ", " + m.Machine
	}
	if r.Peak > 0 {
		v.Peak = reports.FormatRate(r.Peak)
	}
	for i := range r.Steps {
		st := &r.Steps[i]
		class := "fail"
		switch {
		case st.Pass:
			class = "pass"
		case st.Inconclusive:
			class = "inconclusive"
		}
		cpu, rss := st.FormatCost()
		v.Rows = append(v.Rows, rowView{
			N: st.N, Phase: st.Phase.String(), Rate: rateString(st.Rate), Achieved: st.FormatAchieved(),
			P50: FormatLatency(st.P50), P99: FormatLatency(st.P99), SendP99: FormatLatency(st.SendP99), Lost: st.Lost, Behind: st.Behind,
			Verdict: st.Verdict() + st.triesNote(), CPU: cpu, RSS: rss, Class: class, Why: st.why(),
		})
	}
	return v
}
