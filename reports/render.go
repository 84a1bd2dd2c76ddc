package reports

import (
	"io"

	"github.com/nssbench/nssbench/reports/render"
)

// Renderer writes a report in one format.
type Renderer = render.Renderer[*Report]

// ComparisonRenderer writes a Comparison in one format.
type ComparisonRenderer = render.Renderer[*Comparison]

// The renderers of reports. Text is the human summary for stdout, Summary its first screen; JSON is complete (histograms
// included, so reports decode and merge exactly) and is what Decode reads; Markdown is for pull-request
// comments; JUnit is the gates as test cases for CI systems. reports/html adds HTML.
var (
	Text     Renderer = textRenderer{}
	Summary  Renderer = textRenderer{short: true} // Text's first screen: no target section, no per-type, per-reason or per-class tables
	JSON     Renderer = jsonRenderer{}
	Markdown Renderer = markdownRenderer{}
	JUnit    Renderer = junitRenderer{}
)

// The renderers of comparisons, in the formats of the report renderers of the same names.
var (
	TextComparison     ComparisonRenderer = textComparison{}
	JSONComparison     ComparisonRenderer = render.JSON[*Comparison]{}
	MarkdownComparison ComparisonRenderer = markdownComparison{}
)

// jsonRenderer is JSON: the report with its derived verdict and limit lines filled in.
type jsonRenderer struct{}

// Render writes r as indented JSON, with Verdict and Limit derived from it and, when delivery was not
// observed, without the delivered bytes (r is unchanged).
func (jsonRenderer) Render(w io.Writer, r *Report) error {
	cp := *r
	if !r.DeliveryObserved() {
		cp.Bytes = r.Bytes.withoutDelivered()
	}
	cp.Verdict = r.VerdictLine()
	l := r.LimitedBy()
	cp.Limit = &l
	return render.JSON[*Report]{}.Render(w, &cp)
}
