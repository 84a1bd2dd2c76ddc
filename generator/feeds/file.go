package feeds

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// FileError is a problem in a format file, located by the file's 1-based line and byte column.
type FileError struct {
	Path         string
	Line, Column int
	Err          *nssfmt.CompileError
}

// Error returns e.g. `feeds: my.cef:2:31: unknown field "hots" (did you mean host, ehost?)`.
func (e *FileError) Error() string {
	return "feeds: " + e.Path + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": " + e.Err.Reason()
}

// Unwrap returns the compile error, whose Line counts from the format's first line.
func (e *FileError) Unwrap() error { return e.Err }

// FromFile reads a user's own NSS feed output format (--format-file) carrying the given log.
//
// The file holds the format exactly as typed into NSS; a first line starting with "# source: "
// is provenance, as in the built-in files, and trailing line breaks are dropped. The encoding is
// CEF when the format contains "CEF:", JSON when it starts with \{, else EncodingOther. When log
// is verdict.FeedUnknown it is taken from the CEF product the format names (verdict.Descriptor's
// Product, e.g. NSSFWlog); a named product that contradicts log is an error. Format problems are returned as
// *FileError (several joined with errors.Join) with file lines and columns.
func FromFile(path string, log verdict.Feed) (*Feed, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("feeds: format file: %w", err)
	}
	text := string(raw)
	source, format := splitSource(text)
	lineOffset := 0
	if strings.HasPrefix(text, sourcePrefix) {
		lineOffset = 1
	} else {
		source = path
	}
	if _, err := nssfmt.Compile(format, nssfmt.Options{}); err != nil {
		return nil, fileErrors(path, lineOffset, err)
	}
	named := productFeed(format)
	switch {
	case log == verdict.FeedUnknown && named == verdict.FeedUnknown:
		return nil, fmt.Errorf("feeds: %s: cannot tell the log type: the format names no NSS product; give the feed (%s)", path, verdict.FeedChoices())
	case log == verdict.FeedUnknown:
		log = named
	case named != verdict.FeedUnknown && named != log:
		return nil, fmt.Errorf("feeds: %s: the format names product %s (%s) but the feed is %s", path, named.Product(), named, log)
	}
	return &Feed{
		Name:     filepath.Base(path),
		Log:      log,
		Encoding: detectEncoding(format),
		Source:   source,
		Format:   format,
	}, nil
}

// fileErrors turns Compile's error into FileErrors with file lines.
func fileErrors(path string, lineOffset int, err error) error {
	var list nssfmt.ErrorList
	if !errors.As(err, &list) {
		var ce *nssfmt.CompileError
		if !errors.As(err, &ce) {
			return fmt.Errorf("feeds: %s: %w", path, err)
		}
		list = nssfmt.ErrorList{ce}
	}
	errs := make([]error, len(list))
	for i, ce := range list {
		errs[i] = &FileError{Path: path, Line: ce.Line + lineOffset, Column: ce.Column, Err: ce}
	}
	return errors.Join(errs...)
}

// detectEncoding tells CEF from JSON by the format's text.
func detectEncoding(format string) Encoding {
	switch {
	case strings.HasPrefix(strings.TrimLeft(format, " \t\r\n"), `\{`):
		return EncodingJSON
	case strings.Contains(format, "CEF:"):
		return EncodingCEF
	}
	return EncodingOther
}

// productFeed returns the feed whose CEF product name the format contains, or FeedUnknown when it
// names none or several.
func productFeed(format string) verdict.Feed {
	found := verdict.FeedUnknown
	for _, f := range verdict.Feeds() {
		if strings.Contains(format, f.Product()) {
			if found != verdict.FeedUnknown {
				return verdict.FeedUnknown
			}
			found = f
		}
	}
	return found
}
