package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// Renderer writes a report in one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}

// ComparisonRenderer writes a Comparison in one format. Text, JSON and Markdown implement it; find it by
// type assertion or use RenderComparison.
type ComparisonRenderer interface {
	RenderComparison(w io.Writer, c *Comparison) error
}

// The renderers. Text is the human summary for stdout; JSON is complete (histograms included, so reports
// decode and merge exactly) and is what Decode reads; Markdown is for pull-request comments. Each also
// renders comparisons (see ComparisonRenderer).
var (
	Text     Renderer = textRenderer{}
	JSON     Renderer = jsonRenderer{}
	Markdown Renderer = markdownRenderer{}
)

var (
	_ ComparisonRenderer = textRenderer{}
	_ ComparisonRenderer = jsonRenderer{}
	_ ComparisonRenderer = markdownRenderer{}
)

// RenderComparison writes c with rd, which must implement ComparisonRenderer.
func RenderComparison(w io.Writer, rd Renderer, c *Comparison) error {
	cr, ok := rd.(ComparisonRenderer)
	if !ok {
		return fmt.Errorf("renderer %T cannot render comparisons", rd)
	}
	return cr.RenderComparison(w, c)
}

type jsonRenderer struct{}

// Render writes r as indented JSON followed by a newline.
func (jsonRenderer) Render(w io.Writer, r *Report) error {
	return writeJSON(w, r)
}

// RenderComparison writes c as indented JSON followed by a newline.
func (jsonRenderer) RenderComparison(w io.Writer, c *Comparison) error {
	return writeJSON(w, c)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
