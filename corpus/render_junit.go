package corpus

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML, as CI systems read it.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Time     float64     `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		ClassName string        `xml:"classname,attr"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// WriteJUnit writes the outcomes as JUnit XML: one test suite per corpus, holding one test case for the
// corpus as a whole and one per expected class. A class with mismatches fails with those of its
// mismatches the Result kept; a corpus that could not be verified has an error.
func WriteJUnit(w io.Writer, outs []Outcome) error {
	doc := junitSuites{Name: "nssbench verify"}
	for i := range outs {
		o := &outs[i]
		s := junitSuite{Name: o.Dir}
		whole := junitCase{Name: "corpus", ClassName: o.Dir}
		r := o.Result
		switch {
		case o.Err != nil:
			whole.Error = &junitProblem{Message: o.Err.Error(), Type: "error", Text: o.Err.Error()}
			s.Errors++
		case !r.OK():
			whole.Failure = &junitProblem{Message: fmt.Sprintf("%d of %d records mismatch", r.Mismatched, r.Records), Type: "mismatch",
				Text: mismatchText(r, "")}
			s.Failures++
		}
		s.Cases = append(s.Cases, whole)
		if r != nil {
			s.Time = r.Elapsed.Seconds()
			for _, c := range r.Classes {
				jc := junitCase{Name: c.Name, ClassName: o.Dir}
				if c.Mismatches > 0 {
					jc.Failure = &junitProblem{Message: fmt.Sprintf("%d of %d records mismatch", c.Mismatches, c.Records), Type: "mismatch",
						Text: mismatchText(r, c.Name)}
					s.Failures++
				}
				s.Cases = append(s.Cases, jc)
			}
		}
		s.Tests = len(s.Cases)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
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
