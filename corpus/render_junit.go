package corpus

import (
	"fmt"
	"io"
	"strings"

	"github.com/nssbench/nssbench/reports/junit"
)

// writeJUnit renders outcomes for JUnit (see there).
func writeJUnit(w io.Writer, outs []Outcome) error {
	doc := junit.Suites{Name: "nssbench verify"}
	for i := range outs {
		o := &outs[i]
		s := junit.Suite{Name: o.Dir}
		whole := junit.Case{Name: "corpus", ClassName: o.Dir}
		r := o.Result
		switch {
		case o.Err != nil:
			whole.Error = &junit.Problem{Message: o.Err.Error(), Type: "error", Text: o.Err.Error()}
		case !r.OK():
			whole.Failure = &junit.Problem{Message: fmt.Sprintf("%d of %d records mismatch", r.Mismatched, r.Records), Type: "mismatch",
				Text: mismatchText(r, "")}
		}
		s.Add(whole)
		if r != nil {
			s.Time = r.Elapsed.Seconds()
			for _, c := range r.Classes {
				jc := junit.Case{Name: c.Name, ClassName: o.Dir}
				if c.Mismatches > 0 {
					jc.Failure = &junit.Problem{Message: fmt.Sprintf("%d of %d records mismatch", c.Mismatches, c.Records), Type: "mismatch",
						Text: mismatchText(r, c.Name)}
				}
				s.Add(jc)
			}
		}
		doc.Add(s)
	}
	return junit.Write(w, &doc)
}

// mismatchText joins the kept mismatches of class (all classes for "").
func mismatchText(r *Result, class string) string {
	var b strings.Builder
	for i := range r.Mismatches {
		if class == "" || r.Mismatches[i].Class == class {
			b.WriteString(r.Mismatches[i].String())
		}
	}
	return b.String()
}
