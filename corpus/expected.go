package corpus

import (
	"io"

	"github.com/nssbench/nssbench/generator/verdict"
)

// ReadExpected calls each with the expected verdict of every record, in input order, and returns its
// first error or the first problem of the expected file (an *Error naming file and line). Patterns do
// not apply: the verdicts are as written (a replay of the corpus checks them exactly).
func (c *Corpus) ReadExpected(each func(verdict.Expectation) error) error {
	path, err := c.expectedPath()
	if err != nil {
		return err
	}
	exp, err := openExpected(path)
	if err != nil {
		return err
	}
	defer exp.close()
	var (
		wp wantParser
		w  want
	)
	for {
		line, err := exp.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := wp.parse(exp.file, exp.line, line, &w); err != nil {
			return err
		}
		if err := each(w.expectation()); err != nil {
			return err
		}
	}
}
