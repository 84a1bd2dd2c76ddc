package html

import (
	"encoding/json"

	"github.com/nssbench/nssbench/reports"
)

// UPlotJS exposes the embedded library so the external tests can find it inlined.
var UPlotJS = uPlotJS

// ChartDataJSON returns the chart data of r as the page embeds it, indented for golden files.
func ChartDataJSON(r *reports.Report) ([]byte, error) {
	d, err := newChartData(r)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(d, "", "\t")
}
