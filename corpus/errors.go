package corpus

import (
	"errors"
	"strconv"
)

// Kinds of corpus errors, matched with errors.Is. Every *Error has exactly one.
var (
	// ErrMissing: a file the corpus needs does not exist (corpus.json, the input, the expected
	// verdicts, a rules or mappings file it names), or two candidates exist where one is expected.
	ErrMissing = errors.New("corpus: missing file")
	// ErrManifest: corpus.json is not valid (syntax, unknown field, bad value), or UpdateWith cannot make
	// it name a rules or mappings file (a name clash).
	ErrManifest = errors.New("corpus: invalid corpus.json")
	// ErrInput: the input cannot be read to its end: a corrupt or truncated zstd stream, broken octet
	// counting, a LF-framed input whose last record has no line feed, invalid JSON in a Cloud NSS
	// input, or a framing other than the declared one.
	ErrInput = errors.New("corpus: corrupt input")
	// ErrExpected: a line of the expected verdicts is not a verdict record (invalid JSON, unknown or
	// mistyped field, unknown name), or the file cannot be read to its end.
	ErrExpected = errors.New("corpus: corrupt expected verdicts")
	// ErrCount: the input and the expected verdicts hold different numbers of records.
	ErrCount = errors.New("corpus: input and expected counts differ")
	// ErrGroundTruth: a generated corpus's input is not what its generator renders (CheckGroundTruth).
	ErrGroundTruth = errors.New("corpus: input differs from the generator's output")
)

// Error is a problem with a corpus file: which file, where in it, which field, and what.
type Error struct {
	Kind  error  // one of the Err* kinds above
	File  string // path of the file concerned
	Line  uint64 // 1-based line (or record, for framed inputs) where the problem is; 0 for the whole file
	Field string // the JSON field concerned, e.g. "patterns[1].match"; empty when none
	Msg   string
	Err   error // the underlying error, if any
}

// Error returns "file:line: field: msg: cause", leaving out the parts that are empty.
func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.FormatUint(e.Line, 10)
	}
	s += ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }
