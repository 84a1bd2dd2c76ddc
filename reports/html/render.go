package html

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"

	"github.com/nssbench/nssbench/reports"
)

// Renderer writes a report as one self-contained HTML page (see the package documentation). The zero
// value is ready to use and safe for concurrent use. It is meant for the end of a run, not a hot path.
type Renderer struct{}

var _ reports.Renderer = Renderer{}

// HTML is the HTML renderer, for tables of renderers by format name.
var HTML reports.Renderer = Renderer{}

// Render writes r as an HTML page to w. It fails when a latency histogram of r does not decode or w
// fails; nothing of the page is written when the page cannot be built.
func (Renderer) Render(w io.Writer, r *reports.Report) error {
	p, err := newPage(r)
	if err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	// Executing into a buffer first keeps a template error from leaving half a page in w.
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, pageArgs{page: p, Assets: inline}); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("render html: write: %w", err)
	}
	return nil
}

// pageArgs is the template's dot: the page plus the inlined assets.
type pageArgs struct {
	*page
	Assets assets
}

// The inlined assets. uPlot is vendored (assets/README.md); report.js draws the charts, report.css lays
// the page out.
var (
	//go:embed assets/uPlot.iife.min.js
	uPlotJS string
	//go:embed assets/uPlot.min.css
	uPlotCSS string
	//go:embed assets/report.js
	reportJS string
	//go:embed assets/report.css
	reportCSS string
	//go:embed assets/report.html.tmpl
	pageSource string
)

// assets are the trusted texts the template inlines verbatim into <script> and <style> elements.
type assets struct {
	UPlotJS, ReportJS   template.JS
	UPlotCSS, ReportCSS template.CSS
	UPlotVersion        string
}

// uPlotVersion is the version of the vendored uPlot; the library's banner comment must name it.
const uPlotVersion = "1.6.32"

var inline = mustAssets()

// closesElement matches what would end an inline <script> or <style> element early, or switch the HTML
// parser into a script-data escape state: a closing tag or a comment opener.
var closesElement = regexp.MustCompile(`(?i)</(script|style)|<!--`)

// inlineSafe reports an error when text cannot be inlined verbatim in a <script> or <style> element.
func inlineSafe(text string) error {
	if loc := closesElement.FindStringIndex(text); loc != nil {
		return fmt.Errorf("%q at byte %d would end its inline element", text[loc[0]:loc[1]], loc[0])
	}
	return nil
}

// mustAssets checks that no embedded asset can break out of the element it is inlined in: such an asset
// is a vendoring mistake, caught by every test of this package.
func mustAssets() assets {
	for name, text := range map[string]string{
		"uPlot.iife.min.js": uPlotJS, "uPlot.min.css": uPlotCSS, "report.js": reportJS, "report.css": reportCSS,
	} {
		if err := inlineSafe(text); err != nil {
			panic("BUG: asset " + name + ": " + err.Error())
		}
	}
	return assets{
		UPlotJS: template.JS(uPlotJS), ReportJS: template.JS(reportJS),
		UPlotCSS: template.CSS(uPlotCSS), ReportCSS: template.CSS(reportCSS),
		UPlotVersion: uPlotVersion,
	}
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"dur":   reports.FormatDuration,
	"rate":  reports.FormatRate,
	"count": count,
	"share": share,
	"inc":   func(i int) int { return i + 1 },
	"add":   func(a, b uint64) uint64 { return a + b },
}).Parse(pageSource))
