// Package junit is the JUnit XML document that CI systems read (<testsuites>, <testsuite>,
// <testcase>, <failure>, <error>, <skipped>), defined once for every nssbench output that reports test results.
// Build a document with Suite.Add and Suites.Add, which keep the counts, and write it with Write.
//
// It imports nothing of the project, so every layer from reports up may use it.
package junit

import (
	"encoding/xml"
	"fmt"
	"io"
)

// Suites is the document: <testsuites> with the totals of its suites.
type Suites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr,omitempty"`
	Suites   []Suite  `xml:"testsuite"`
}

// Suite is one <testsuite> with the counts of its cases and how long it took, in seconds.
type Suite struct {
	Name     string  `xml:"name,attr"`
	Tests    int     `xml:"tests,attr"`
	Failures int     `xml:"failures,attr"`
	Errors   int     `xml:"errors,attr"`
	Skipped  int     `xml:"skipped,attr,omitempty"`
	Time     float64 `xml:"time,attr"`
	Cases    []Case  `xml:"testcase"`
}

// Case is one <testcase>: it passed when it has neither a Failure nor an Error, and was not Skipped
// (it could not be judged: CI systems show it as neither passed nor failed).
type Case struct {
	Name      string   `xml:"name,attr"`
	ClassName string   `xml:"classname,attr"`
	Failure   *Problem `xml:"failure,omitempty"`
	Error     *Problem `xml:"error,omitempty"`
	Skipped   *Problem `xml:"skipped,omitempty"`
	SystemOut string   `xml:"system-out,omitempty"` // what a passing case measured, shown beside it
}

// Problem is a <failure> (the check ran and failed), an <error> (it could not run) or a <skipped> (it
// ran and could not be judged): a one-line message, a type and the details as the element's text.
type Problem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Add appends c to s, counting it as a test and, when it has one, a failure, an error or a skip.
func (s *Suite) Add(c Case) {
	s.Cases = append(s.Cases, c)
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	if c.Error != nil {
		s.Errors++
	}
	if c.Skipped != nil {
		s.Skipped++
	}
}

// Add appends s to d, adding its counts to d's totals.
func (d *Suites) Add(s Suite) {
	d.Suites = append(d.Suites, s)
	d.Tests += s.Tests
	d.Failures += s.Failures
	d.Errors += s.Errors
	d.Skipped += s.Skipped
}

// Write writes d as an XML document: the XML header, the elements indented by two spaces, and a final
// newline.
func Write(w io.Writer, d *Suites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	return nil
}
