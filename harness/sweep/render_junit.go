package sweep

import (
	"fmt"
	"io"

	"github.com/nssbench/nssbench/reports/junit"
)

// writeJUnit renders r for JUnit (see there). A step that failed its SLO above a sustainable rate is
// how a sweep finds its knee, not a failure: it passes, its figures in <system-out>, so that the
// document has failures exactly when the sweep exits 3 (no sustainable rate, the capacity case).
func writeJUnit(w io.Writer, r *Result) error {
	class := "nssbench.sweep." + r.Meta.Scenario
	s := junit.Suite{Name: "sweep " + r.Meta.Scenario, Time: r.Meta.Duration.Seconds()}
	for i := range r.Steps {
		st := &r.Steps[i]
		c := junit.Case{Name: fmt.Sprintf("step %d: %s (%s)", st.N, rateString(st.Rate), st.Phase), ClassName: class}
		switch {
		case st.Interrupted:
			c.Skipped = &junit.Problem{Message: "interrupted: " + st.why(), Type: "interrupted", Text: st.why()}
		case st.Inconclusive:
			c.Skipped = &junit.Problem{Message: "inconclusive: " + st.why(), Type: "inconclusive", Text: st.why()}
		case !st.Pass && r.Best > 0:
			c.SystemOut = "failed its SLO above the sustainable rate " + rateString(r.Best) + ", as a sweep's search expects: " +
				st.Summary() + ": " + st.why()
		case !st.Pass:
			typ := "slo"
			if st.Overrun {
				typ = "overrun"
			}
			c.Failure = &junit.Problem{Message: st.Summary(), Type: typ, Text: st.why()}
		}
		s.Add(c)
	}
	c := junit.Case{Name: "capacity", ClassName: class}
	switch {
	case r.Stop == StopInterrupted:
		c.Error = &junit.Problem{Message: r.Conclusion(), Type: "interrupted", Text: r.Conclusion()}
	case r.Stop == StopError:
		c.Error = &junit.Problem{Message: r.Conclusion(), Type: "error", Text: r.Conclusion()}
	case r.Best == 0:
		c.Failure = &junit.Problem{Message: r.Conclusion(), Type: "no_sustainable_rate", Text: r.Conclusion()}
	}
	s.Add(c)
	doc := junit.Suites{Name: "nssbench sweep"}
	doc.Add(s)
	return junit.Write(w, &doc)
}
