// Package render is the one shape of every renderer in nssbench: a Renderer[T] writes a value of type
// T in one format. Run reports (package reports and reports/html), corpus verification outcomes
// (package corpus) and capacity sweeps (package harness/sweep) all render through it, so a caller picks
// a format by picking a value — reports.Markdown, corpus.JUnit, sweep.HTML — and calls Render.
//
// It imports nothing of the project, so every layer from reports up may use it.
package render

import (
	"encoding/json"
	"fmt"
	"io"
)

// Renderer writes a value of type T in one format. Render writes the whole rendering to w or returns
// an error; renderers meant for files build the output first, so that a failure writes nothing.
type Renderer[T any] interface {
	Render(w io.Writer, v T) error
}

// Func adapts a function to a Renderer.
type Func[T any] func(w io.Writer, v T) error

// Render calls f(w, v).
func (f Func[T]) Render(w io.Writer, v T) error { return f(w, v) }

// JSON renders a value as indented JSON (two spaces) followed by a newline, as encoding/json marshals
// it. The zero value is ready to use.
type JSON[T any] struct{}

// Render writes v as indented JSON followed by a newline.
func (JSON[T]) Render(w io.Writer, v T) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
