package generator_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/generator"
	"github.com/nssbench/nssbench/generator/feeds"
	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/harness/cef"
)

// extensionField matches the start of an extension pair of a CEF format whose value begins with a field
// directive, e.g. " dpt=%d{cdport}"; nextKey, what must follow for the directive to be the whole value
// (not "rt=%s{mon} %02d{dd} …", which composes several).
var (
	extensionField = regexp.MustCompile(` ([A-Za-z0-9_]+)=(%[-0-9a-z]*\{[a-z0-9_]+\})`)
	nextKey        = regexp.MustCompile(`^ [A-Za-z0-9_]+=`)
)

// singleFieldExtensions returns the keys of format's extensions whose value is one field directive, and
// the directives.
func singleFieldExtensions(format string) (keys, directives []string) {
	for _, m := range extensionField.FindAllStringSubmatchIndex(format, -1) {
		rest := format[m[1]:]
		if rest != "" && !nextKey.MatchString(rest) {
			continue
		}
		keys, directives = append(keys, format[m[2]:m[3]]), append(directives, format[m[4]:m[5]])
	}
	return keys, directives
}

// probeSep separates the fields of a probe format's line; no generated value contains it.
const probeSep = "\x1f"

// TestRoundTripEveryField: for each built-in CEF feed, every extension whose value is one field parses
// back, with the project's CEF parser in its default (lenient) mode, to exactly what that field
// rendered. The values are rendered a second time through a probe format that prints just those fields
// between separators: a record is a pure function of the seed and its sequence number, whatever the
// format, so both renderings see the same event.
func TestRoundTripEveryField(t *testing.T) {
	for _, name := range []string{"web", "web-short", "firewall", "dns"} {
		t.Run(name, func(t *testing.T) {
			f, err := feeds.ByName(name)
			if err != nil {
				t.Fatal(err)
			}
			full, err := f.Compile(feeds.Options{RecordTracking: true})
			if err != nil {
				t.Fatal(err)
			}
			keys, directives := singleFieldExtensions(full.String())
			if len(keys) < 15 {
				t.Fatalf("found %d single-field extensions in the %s format; the pattern no longer matches it", len(keys), name)
			}
			probe, err := nssfmt.Compile(strings.Join(directives, probeSep), nssfmt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			classes := library(t, func(c *generator.Class) bool { return c.Feed == f.Log && wellFormed(c) })
			gens := [2]*generator.Generator{}
			for i, prog := range []*nssfmt.Program{full, probe} {
				var progs [verdict.NumFeeds]*nssfmt.Program
				progs[f.Log] = prog
				if gens[i], err = generator.New(generator.Config{Seed: 11, Classes: classes, Programs: progs}); err != nil {
					t.Fatal(err)
				}
			}
			var p cef.Parser
			checked := 0
			for seq := range uint64(40 * len(classes)) {
				line, lbl := gens[0].Append(nil, seq)
				values, _ := gens[1].Append(nil, seq)
				want := bytes.Split(values, []byte(probeSep))
				rec := parseRecord(t, &p, line)
				for i, key := range keys {
					got, ok := rec.ext[key]
					if !ok {
						t.Fatalf("%s seq %d (class %s): extension %s missing\n%s", name, seq, classes[lbl.Class].Name, key, line)
					}
					if got != string(want[i]) {
						t.Fatalf("%s seq %d (class %s): %s parses as %q; the field %s rendered %q\n%s",
							name, seq, classes[lbl.Class].Name, key, got, directives[i], want[i], line)
					}
					checked++
				}
			}
			t.Logf("%s: %d extensions of %d lines checked, %d keys per line", name, checked, 40*len(classes), len(keys))
		})
	}
}
