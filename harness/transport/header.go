package transport

import (
	"fmt"
	"net/http"
	"strings"
)

// Headers is a repeatable flag (a flag.Value) of extra request headers for HTTP(S) targets, each
// written "Name: value"; Header collects them (HTTPOptions.Header).
type Headers struct{ Header http.Header }

// String lists the headers as "Name: value, …".
func (h *Headers) String() string {
	if h == nil || len(h.Header) == 0 {
		return ""
	}
	var parts []string
	for k, vs := range h.Header {
		for _, v := range vs {
			parts = append(parts, k+": "+v)
		}
	}
	return strings.Join(parts, ", ")
}

// Set adds one "Name: value" header; a name that is empty or holds blanks is an error.
func (h *Headers) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("header %q: want 'Name: value'", s)
	}
	if h.Header == nil {
		h.Header = http.Header{}
	}
	h.Header.Add(name, value)
	return nil
}
