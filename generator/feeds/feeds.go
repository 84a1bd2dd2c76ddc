// Package feeds holds the NSS feeds nssbench can generate: Zscaler's published CEF and Cloud NSS
// JSON feed output formats, selectable by name, and users' own formats read from a file.
//
// The built-in formats are embedded verbatim from github.com/zscaler/microsoft-resources
// (data/*, each file's first line is its "# source:" provenance, kept in Feed.Source).
package feeds

import (
	"embed"
	"fmt"
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

// builtin describes one embedded feed.
type builtin struct {
	name     string
	log      verdict.Feed
	encoding Encoding
	file     string
}

// builtins are the built-in feeds, in the order Names lists them.
var builtins = [...]builtin{
	{"web", verdict.FeedWeb, EncodingCEF, "zscaler-microsoft-resources__nss-web.cef"},
	{"web-short", verdict.FeedWeb, EncodingCEF, "zscaler-microsoft-resources__nss-web.cef.2024-04-short"},
	{"firewall", verdict.FeedFirewall, EncodingCEF, "zscaler-microsoft-resources__nss-fw.cef"},
	{"dns", verdict.FeedDNS, EncodingCEF, "zscaler-microsoft-resources__nss-dns.cef"},
	{"cloud-web", verdict.FeedWeb, EncodingJSON, "zscaler-microsoft-resources__cloud-nss-web.fof"},
	{"cloud-firewall", verdict.FeedFirewall, EncodingJSON, "zscaler-microsoft-resources__cloud-nss-fw.fof"},
	{"cloud-dns", verdict.FeedDNS, EncodingJSON, "zscaler-microsoft-resources__cloud-nss-dns.fof"},
}

// Names returns the names of the built-in feeds in a stable order.
func Names() []string {
	names := make([]string, len(builtins))
	for i, b := range builtins {
		names[i] = b.name
	}
	return names
}

// ByName returns a built-in feed. The caller owns the returned Feed. An unknown name's error
// lists the valid ones.
func ByName(name string) (*Feed, error) {
	for _, b := range builtins {
		if b.name != name {
			continue
		}
		raw, err := data.ReadFile("data/" + b.file)
		if err != nil {
			return nil, fmt.Errorf("BUG: feeds: embedded format %s: %w", b.file, err)
		}
		source, format := splitSource(string(raw))
		return &Feed{Name: b.name, Log: b.log, Encoding: b.encoding, Source: source, Format: format}, nil
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
