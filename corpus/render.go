package corpus

import (
	"fmt"
	"io"
	"strings"

	"github.com/nssbench/nssbench/harness/coverage"
	"github.com/nssbench/nssbench/reports/render"
)

// The renderers of verification outcomes, one per output of nssbench verify.
var (
	// Text is the human summary: first, when any record changed, each corpus's changes by alert type
	// (expected → decided, e.g. "RDP Allow: alert T1021.001 → alert unmapped, 306 records") and the grand
	// total line (Totals); then each outcome: a status line, what an update rewrote, warnings, the
	// differing fields, the per-class table and the first mismatches as "line N: field: got X, want Y"
	// followed by the input record; a run without changes ends with the grand total.
	Text render.Renderer[[]Outcome] = render.Func[[]Outcome](writeText)
	// JSON is the machine summary: one indented document {"ok": bool, "total": Totals, "corpora":
	// [{"corpus", "status", "error", "records", "matched", "mismatched", "fields", "classes", "changes",
	// "mismatches", …}]}, where "ok" is true only when every corpus was verified and matched.
	JSON render.Renderer[[]Outcome] = render.Func[[]Outcome](writeJSON)
	// JUnit is JUnit XML for CI: one test suite per corpus, holding a test case for the corpus as a whole
	// and one per expected class; a class with mismatches fails, a corpus that could not be verified
	// has an error.
	JUnit render.Renderer[[]Outcome] = render.Func[[]Outcome](writeJUnit)
)

// Navigator is the ATT&CK Navigator layer of the alerts the pipeline decided in the corpora, scored by
// records: tally, the VerifyOptions.Tally of the verification of paths, titled with paths and the number
// of corpora verified.
func Navigator(paths []string, tally *coverage.Tally) render.Renderer[[]Outcome] {
	return render.Func[[]Outcome](func(w io.Writer, outs []Outcome) error {
		return coverage.FromTally(fmt.Sprintf("%s (%d corpora)", strings.Join(paths, " "), len(outs)), tally).Layer().WriteJSON(w)
	})
}

// Outcome is what verifying one corpus came to, for the renderers: a Result, an error that stopped it
// (with the partial Result, if any), and what an update did.
type Outcome struct {
	Dir    string
	Result *Result
	Err    error
	Update *UpdateStats // set when the expected file was rewritten before verifying
}

// Status returns "ok", "FAIL" (mismatches) or "ERROR" (the corpus could not be verified).
func (o *Outcome) Status() string {
	switch {
	case o.Err != nil || o.Result == nil:
		return "ERROR"
	case !o.Result.OK():
		return "FAIL"
	}
	return "ok"
}
