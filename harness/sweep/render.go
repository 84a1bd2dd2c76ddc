package sweep

import "github.com/nssbench/nssbench/reports/render"

// The renderers of sweep results.
var (
	// Text is for people: what was swept, a table of the steps in the order they ran (rate, achieved,
	// end-to-end p50/p99, send p99, lost, behind, verdict and the thresholds that failed), why each
	// failed step failed, and the conclusion.
	Text render.Renderer[*Result] = render.Func[*Result](writeText)
	// JSON is the sweep.json format Decode reads: the result as indented JSON followed by a newline.
	JSON render.Renderer[*Result] = render.JSON[*Result]{}
	// HTML is a self-contained HTML page: the conclusion, two charts as inline SVG (offered vs achieved
	// rate with the ideal diagonal, and end-to-end p50/p99 against offered on a log scale, the knee's
	// bracket shaded on both) and the table of steps. The page loads nothing and runs no script.
	HTML render.Renderer[*Result] = render.Func[*Result](writeHTML)
	// JUnit is for CI systems: a test case per step, named "step N: RATE (phase)", and a last case
	// "capacity" for the sweep's own verdict. A step that passed its SLO passes. One that failed it (or
	// overran while the collector pushed back) above a sustainable rate passes too, its figures in
	// <system-out>: failing there is how a sweep finds its knee, so the document has failures exactly
	// when the sweep exits 3; when no rate was sustainable, every failed step is a failure. An
	// inconclusive step measured the load generator, not the collector, and an interrupted one was not
	// judged: both are skipped, which CI systems show as neither passed nor failed, as the sweep counts
	// them. "capacity" fails when no step passed (exit status 3) and is in error when the sweep was
	// interrupted or stopped by an error.
	JUnit render.Renderer[*Result] = render.Func[*Result](writeJUnit)
)
