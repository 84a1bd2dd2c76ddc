package corpus

import (
	"context"
	"errors"

	"github.com/nssbench/nssbench/harness/pipeline"
)

// Severity is how bad an Outcome is, for a command's exit code; a worse outcome has a greater one.
type Severity int

// Severities, least severe first.
const (
	Verified    Severity = iota // verified, every record matched
	Mismatched                  // verified, with mismatches
	BadInput                    // a bad corpus.json (ErrManifest), rules or mappings file (*pipeline.FileError)
	Failed                      // the corpus could not be read or verified for another reason
	Interrupted                 // stopped by the context
)

// Severity classes the outcome. A corpus that could not be verified is never Verified.
func (o *Outcome) Severity() Severity {
	var fe *pipeline.FileError
	switch err := o.Err; {
	case err == nil && o.Result.OK():
		return Verified
	case err == nil:
		return Mismatched
	case errors.Is(err, context.Canceled):
		return Interrupted
	case errors.Is(err, ErrManifest) || errors.As(err, &fe):
		return BadInput
	}
	return Failed
}

// Worst returns the greatest Severity of outs, Verified for none.
func Worst(outs []Outcome) Severity {
	w := Verified
	for i := range outs {
		w = max(w, outs[i].Severity())
	}
	return w
}
