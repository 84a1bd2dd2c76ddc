// Package feeds holds the NSS feeds nssbench can generate: Zscaler's published CEF and Cloud NSS
// JSON feed output formats, selectable by name, and users' own formats read from a file.
//
// The built-in formats are embedded verbatim from github.com/zscaler/microsoft-resources
// (data/NAME.cef and data/NAME.fof, each file's first line is its "# source:" provenance, kept in
// Feed.Source). A format file belongs to the feed whose CEF product (verdict.Descriptor) it names.
package feeds

import (
	"cmp"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

//go:embed data/*
var data embed.FS

// Encoding is the shape of the records a format prints.
type Encoding uint8

// Encodings. EncodingOther is a format that is neither CEF nor JSON (a user's CSV or key=value
// format): it can be generated, but the reference pipeline will count it malformed.
const (
	EncodingOther Encoding = iota
	EncodingCEF
	EncodingJSON
)

// String returns "other", "cef" or "json".
func (e Encoding) String() string {
	switch e {
	case EncodingCEF:
		return "cef"
	case EncodingJSON:
		return "json"
	}
	return "other"
}

// Feed is an NSS feed: which log it carries and the output format it prints records with.
type Feed struct {
	// Name selects the feed: a built-in name, or the base name of a format file.
	Name string
	// Log is the NSS log type the feed carries.
	Log verdict.Feed
	// Encoding is CEF (VM NSS over TCP) or JSON (Cloud NSS over HTTPS).
	Encoding Encoding
	// Source is the provenance of the format: the text after "# source: " in its file, or the
	// file's path for a user file without one.
	Source string
	// Format is the NSS feed output format, without the source line and without a trailing line
	// break (NSS, here the framer, ends each record with a line feed).
	Format string
}

// String returns e.g. `firewall (firewall, cef)`.
func (f *Feed) String() string {
	return f.Name + " (" + f.Log.String() + ", " + f.Encoding.String() + ")"
}

// Options are per-run settings that change the format a feed compiles to.
type Options struct {
	// RecordTracking makes every record carry its generator sequence number as recordid, so the
	// harness can match outputs to inputs: firewall and DNS formats, which do not print recordid,
	// get ` externalId=%d{recordid}` (CEF) or `,"externalId":"%d{recordid}"` (JSON) added at the
	// end. Formats that already print recordid (web) are left as they are.
	RecordTracking bool
	// Escape is the feed's "Feed Escape Character" set (nssfmt.Options.Escape).
	Escape string
}

// Compile compiles the feed's format with opts. Built-in feeds always compile; a user feed from
// FromFile compiles unless record tracking cannot be added to it.
func (f *Feed) Compile(opts Options) (*nssfmt.Program, error) {
	nopts := nssfmt.Options{Escape: opts.Escape}
	p, err := nssfmt.Compile(f.Format, nopts)
	if err != nil {
		return nil, fmt.Errorf("feeds: feed %s: %w", f.Name, err)
	}
	if !opts.RecordTracking || slices.Contains(p.Fields(), recordID) {
		return p, nil
	}
	src, err := f.withRecordID()
	if err != nil {
		return nil, err
	}
	p, err = nssfmt.Compile(src, nopts)
	if err != nil {
		return nil, fmt.Errorf("BUG: feeds: feed %s with record tracking: %w", f.Name, err)
	}
	return p, nil
}

// recordID is the field record tracking prints.
var recordID = func() nssfmt.Field {
	f, ok := nssfmt.FieldByName("recordid")
	if !ok {
		panic("BUG: feeds: nssfmt has no recordid field")
	}
	return f
}()

// withRecordID returns the format with an externalId key carrying recordid added at the end.
func (f *Feed) withRecordID() (string, error) {
	switch f.Encoding {
	case EncodingCEF:
		return f.Format + " externalId=%d{recordid}", nil
	case EncodingJSON:
		// Before the last closing brace: the top-level object's, even when objects nest.
		if i := strings.LastIndex(f.Format, `\}`); i >= 0 {
			return f.Format[:i] + `,"externalId":"%d{recordid}"` + f.Format[i:], nil
		}
		return "", fmt.Errorf("feeds: feed %s: record tracking: JSON format has no closing \\}", f.Name)
	}
	return "", fmt.Errorf("feeds: feed %s: record tracking needs a CEF or JSON format, or %%d{recordid} in the format", f.Name)
}

// Built-in format files: data/NAME.cef prints CEF (VM NSS), data/NAME.fof JSON (Cloud NSS). Each is
// filed under the feed whose CEF product it names, so adding a format, or a feed's formats, is adding
// its file.
var extEncodings = map[string]Encoding{".cef": EncodingCEF, ".fof": EncodingJSON}

// builtins are the built-in feeds in the order Names lists them: CEF before JSON, then by feed, then
// by name.
var builtins = loadBuiltins()

// loadBuiltins reads every embedded format file.
func loadBuiltins() []Feed {
	entries, err := data.ReadDir("data")
	if err != nil {
		panic("BUG: feeds: embedded formats: " + err.Error())
	}
	out := make([]Feed, 0, len(entries))
	for _, e := range entries {
		file := e.Name()
		enc, ok := extEncodings[path.Ext(file)]
		if !ok {
			panic("BUG: feeds: embedded format " + file + ": want a .cef or .fof file")
		}
		raw, err := data.ReadFile("data/" + file)
		if err != nil {
			panic("BUG: feeds: embedded format " + file + ": " + err.Error())
		}
		source, format := splitSource(string(raw))
		log := productFeed(format)
		if log == verdict.FeedUnknown {
			panic("BUG: feeds: embedded format " + file + " names no NSS product, or several")
		}
		out = append(out, Feed{Name: strings.TrimSuffix(file, path.Ext(file)), Log: log, Encoding: enc, Source: source, Format: format})
	}
	slices.SortFunc(out, func(a, b Feed) int {
		return cmp.Or(cmp.Compare(a.Encoding, b.Encoding), cmp.Compare(a.Log, b.Log), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Names returns the names of the built-in feeds in a stable order.
func Names() []string {
	names := make([]string, len(builtins))
	for i, b := range builtins {
		names[i] = b.Name
	}
	return names
}

// ByName returns a built-in feed. The caller owns the returned Feed. An unknown name's error
// lists the valid ones.
func ByName(name string) (*Feed, error) {
	for _, b := range builtins {
		if b.Name == name {
			return &b, nil
		}
	}
	return nil, fmt.Errorf("feeds: unknown feed %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// sourcePrefix starts the provenance line of a format file.
const sourcePrefix = "# source: "

// splitSource splits a format file into its provenance (the text after "# source: " on the first
// line, "" without one) and the format, which loses its trailing line breaks.
func splitSource(text string) (source, format string) {
	if rest, ok := strings.CutPrefix(text, sourcePrefix); ok {
		source, text, _ = strings.Cut(rest, "\n")
		source = strings.TrimSuffix(source, "\r")
	}
	return source, strings.TrimRight(text, "\r\n")
}
