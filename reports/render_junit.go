package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/reports/junit"
)

// junitRenderer is JUnit: a report's gates as JUnit test cases.
type junitRenderer struct{}

// Render writes r as a JUnit document with one suite, named after the scenario, holding a test case for
// each gate the verdict line counts: every threshold (named as written; a failure says what it got and
// wanted, and a threshold whose metric the run did not observe fails with type "not_observed"), the
// conformance check when any verdict was checked, and the balance (Accounted). A default threshold the
// run left out is skipped (named "EXPR (default, left out)"), with why; an interrupted run adds a case
// "run" in error.
func (junitRenderer) Render(w io.Writer, r *Report) error {
	class := "nssbench." + r.Meta.Scenario
	s := junit.Suite{Name: r.Meta.Scenario, Time: r.Meta.Duration.Seconds()}
	if r.Meta.Interrupted {
		s.Add(junit.Case{Name: "run", ClassName: class, Error: &junit.Problem{Message: "interrupted: the run was stopped before its end",
			Type: "interrupted", Text: "INTERRUPTED: the report covers only the part of the run before the stop"}})
	}
	for _, t := range r.Thresholds {
		c := junit.Case{Name: t.Expr, ClassName: class}
		switch {
		case t.NotObserved:
			msg := t.Expr + ": " + t.Got // "not observed: …", or the right-hand side's want says so
			if !strings.HasPrefix(t.Got, "not observed") {
				msg = fmt.Sprintf("%s: got %s, want %s", t.Expr, t.Got, t.Want)
			}
			c.Failure = &junit.Problem{Message: msg, Type: "not_observed",
				Text: "the run did not observe a metric of this gate, so the gate fails: got " + t.Got + ", want " + t.Want}
		case !t.Pass:
			c.Failure = &junit.Problem{Message: fmt.Sprintf("%s: got %s, want %s", t.Expr, t.Got, t.Want), Type: "threshold",
				Text: "got " + t.Got + ", want " + t.Want}
		}
		s.Add(c)
	}
	for _, t := range r.ThresholdsLeftOut {
		s.Add(junit.Case{Name: t.Expr + " (default, left out)", ClassName: class, Skipped: &junit.Problem{Message: "left out: " + t.Why, Type: "left_out", Text: t.Why}})
	}
	if cf := &r.Conformance; cf.Checked > 0 || cf.Mismatches > 0 {
		c := junit.Case{Name: "conformance", ClassName: class}
		if cf.Mismatches > 0 {
			c.Failure = &junit.Problem{Message: fmt.Sprintf("%d of %d checked verdicts mismatch", cf.Mismatches, cf.Checked), Type: "mismatch",
				Text: junitExamples(cf)}
		}
		s.Add(c)
	}
	b := junit.Case{Name: "balance", ClassName: class}
	if !r.Accounted() {
		b.Failure = &junit.Problem{Message: balanceLine(r), Type: "unbalanced", Text: balanceLine(r)}
	}
	s.Add(b)
	doc := junit.Suites{Name: "nssbench report"}
	doc.Add(s)
	return junit.Write(w, &doc)
}

// junitExamples lists the kept mismatch examples, one a line.
func junitExamples(cf *Conformance) string {
	var b strings.Builder
	for i := range cf.Examples {
		ex := &cf.Examples[i]
		b.WriteString(strconv.Itoa(i + 1))
		fmt.Fprintf(&b, ". class %q %s: %s got %q want %q\n", ex.Class, ex.Position(), ex.Field, ex.Got, ex.Want)
	}
	return b.String()
}
