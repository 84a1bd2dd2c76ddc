// Package output writes what a command outputs: each output in one format to a file or, for the path
// "-", to stdout, every file confirmed on stderr ("nssbench CMD: wrote FILE"), and a run report in every
// format asked for; FileOrStdout is the output flag that was once a switch (-json, -md: FILE, '-' or
// bare for stdout). It sits under reports because it writes reports in all their formats, HTML
// included (reports/html), which package reports itself cannot import.
package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/nssbench/nssbench/reports"
	"github.com/nssbench/nssbench/reports/html"
	"github.com/nssbench/nssbench/reports/render"
)

// Files writes the outputs of one command.
type Files struct {
	Stdout, Stderr io.Writer
	// Cmd names the command in the confirmations, e.g. "nssbench report merge".
	Cmd string
}

// Write writes one output with fn to the file at path, or to Stdout when path is "-", and confirms a
// file on Stderr. A file fn fails on is left as far as it got.
func (f Files) Write(path string, fn func(io.Writer) error) error {
	if path == "-" {
		return fn(f.Stdout)
	}
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(file); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(f.Stderr, "%s: wrote %s\n", f.Cmd, path)
	return nil
}

// Output is an output in one format: Write writes it to Path ("" none, "-" stdout).
type Output struct {
	Path  string
	Write func(io.Writer) error
}

// ErrTwoStdout is WriteAll's error when two outputs ask for stdout.
var ErrTwoStdout = errors.New("only one output can be - (stdout)")

// WriteAll writes text on Stdout, or instead the output whose path is "-", then every output that has
// a file. It fails with ErrTwoStdout, writing nothing, when two outputs ask for stdout.
func (f Files) WriteAll(text func(io.Writer) error, outs ...Output) error {
	toStdout := 0
	for _, o := range outs {
		if o.Path == "-" {
			toStdout++
			text = o.Write
		}
	}
	if toStdout > 1 {
		return ErrTwoStdout
	}
	if err := text(f.Stdout); err != nil {
		return err
	}
	for _, o := range outs {
		if o.Path == "" || o.Path == "-" {
			continue
		}
		if err := f.Write(o.Path, o.Write); err != nil {
			return err
		}
	}
	return nil
}

// ReportPaths are the files a report is written to, one per format ("" none, "-" stdout).
type ReportPaths struct {
	JSON, Markdown, HTML, JUnit string
}

// Any reports whether a path is set.
func (p ReportPaths) Any() bool { return p != ReportPaths{} }

// Text is the text renderer of a report on stdout (its first screen, reports.Summary, when summary), or
// nil when one of p is "-", stdout.
func (p ReportPaths) Text(summary bool) reports.Renderer {
	switch {
	case slices.Contains([]string{p.JSON, p.Markdown, p.HTML, p.JUnit}, "-"):
		return nil
	case summary:
		return reports.Summary
	}
	return reports.Text
}

// Report prints rep on Stdout with text (none when nil), then renders it to each path of p in its
// format: JSON, Markdown, HTML (reports/html) and JUnit XML (Render).
func (f Files) Report(rep *reports.Report, text reports.Renderer, p ReportPaths) error {
	return Render(f, rep, text, "report",
		Format[*reports.Report]{p.JSON, reports.JSON}, Format[*reports.Report]{p.Markdown, reports.Markdown},
		Format[*reports.Report]{p.HTML, html.HTML}, Format[*reports.Report]{p.JUnit, reports.JUnit})
}

// Format is an output of a value of type T in one format: R renders it to Path ("" none, "-" stdout).
type Format[T any] struct {
	Path string
	R    render.Renderer[T]
}

// Render writes v with f: with text on Stdout (none when text is nil or a format's path is "-",
// stdout), then with each format to its path, in order. An error of text is wrapped as "write what".
func Render[T any](f Files, v T, text render.Renderer[T], what string, formats ...Format[T]) error {
	if text != nil && !slices.ContainsFunc(formats, func(o Format[T]) bool { return o.Path == "-" }) {
		if err := text.Render(f.Stdout, v); err != nil {
			return fmt.Errorf("write %s: %w", what, err)
		}
	}
	for _, o := range formats {
		if o.Path == "" {
			continue
		}
		if err := f.Write(o.Path, func(w io.Writer) error { return o.R.Render(w, v) }); err != nil {
			return err
		}
	}
	return nil
}
