package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nssbench/nssbench/harness/pipeline"
)

// File names of a corpus.
const (
	ManifestFile = "corpus.json"
	ExpectedFile = "expected.jsonl" // or with ".zst"
)

// inputNames lists the input file names a corpus may have, with the format each implies.
var inputNames = []struct {
	name   string
	format Format
}{
	{"input.log", FormatCEF}, {"input.log.zst", FormatCEF},
	{"input.jsonl", FormatJSON}, {"input.jsonl.zst", FormatJSON},
	{"input.json", FormatJSON}, {"input.json.zst", FormatJSON},
}

// Corpus is a loaded corpus directory: its manifest and the paths of its input and expected files.
// It holds no records: Verify and Update stream them. A Corpus is immutable and safe for concurrent use.
type Corpus struct {
	Dir      string
	Manifest Manifest
	Input    string // path of the input file
	Expected string // path of the expected verdicts; "" when the corpus has none yet

	patterns *patternSet
}

// expectedPath returns the path of the expected file, or an *Error of kind ErrMissing.
func (c *Corpus) expectedPath() (string, error) {
	if c.Expected == "" {
		return "", &Error{Kind: ErrMissing, File: filepath.Join(c.Dir, ExpectedFile),
			Msg: "no expected verdicts (expected.jsonl or expected.jsonl.zst); write them with 'nssbench verify -update'"}
	}
	return c.Expected, nil
}

// Format returns the corpus's input format.
func (c *Corpus) Format() Format { return c.Manifest.Format }

// Framing returns the declared framing of a CEF corpus: "lf" or "octet".
func (c *Corpus) Framing() string {
	if c.Manifest.Framing == "" {
		return "lf"
	}
	return c.Manifest.Framing
}

// Name returns the corpus directory's base name, e.g. "filters".
func (c *Corpus) Name() string { return filepath.Base(c.Dir) }

// String describes the corpus, e.g. "corpus filters (cef, lf, input.log)".
func (c *Corpus) String() string {
	f := string(c.Format())
	if c.Format() == FormatCEF {
		f += ", " + c.Framing()
	}
	return fmt.Sprintf("corpus %s (%s, %s)", c.Name(), f, filepath.Base(c.Input))
}

// Load reads the corpus in dir: corpus.json, and which input and expected files it has. A missing or
// ambiguous file (say both input.log and input.log.zst) is an *Error of kind ErrMissing; an invalid
// corpus.json is one of kind ErrManifest. A corpus without expected verdicts loads (Expected is
// empty: Update writes them), but Verify reports it as missing. The records themselves are read by
// Verify and Update.
func Load(dir string) (*Corpus, error) {
	mpath := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(mpath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Kind: ErrMissing, File: mpath, Msg: "not a corpus: no corpus.json"}
		}
		return nil, &Error{Kind: ErrMissing, File: mpath, Msg: "cannot read", Err: err}
	}
	m, err := parseManifest(mpath, data)
	if err != nil {
		return nil, err
	}
	c := &Corpus{Dir: dir, Manifest: *m, patterns: compilePatterns(m.Patterns)}
	var inputFormat Format
	for _, in := range inputNames {
		p := filepath.Join(dir, in.name)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if c.Input != "" {
			return nil, &Error{Kind: ErrMissing, File: p, Msg: fmt.Sprintf("a corpus has one input, and %s exists too", filepath.Base(c.Input))}
		}
		c.Input, inputFormat = p, in.format
	}
	if c.Input == "" {
		return nil, &Error{Kind: ErrMissing, File: filepath.Join(dir, "input.log"),
			Msg: "no input (input.log, input.jsonl or input.json, optionally .zst)"}
	}
	switch c.Manifest.Format {
	case "":
		c.Manifest.Format = inputFormat
	case inputFormat:
	default:
		return nil, &Error{Kind: ErrManifest, File: mpath, Field: "format",
			Msg: fmt.Sprintf("format %q does not fit the input %s", c.Manifest.Format, filepath.Base(c.Input))}
	}
	for _, name := range []string{ExpectedFile, ExpectedFile + zstdSuffix} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if c.Expected != "" {
			return nil, &Error{Kind: ErrMissing, File: p, Msg: "a corpus has one expected file, and expected.jsonl exists too"}
		}
		c.Expected = p
	}
	if s := c.Manifest.Provenance.Sources; s != "" {
		if _, err := os.Stat(filepath.Join(dir, s)); err != nil {
			return nil, &Error{Kind: ErrMissing, File: filepath.Join(dir, s), Msg: "named by corpus.json provenance.sources but missing"}
		}
	}
	return c, nil
}

// PipelineSpec overrides the rules and mappings a corpus names in corpus.json: each is a path (relative
// to the working directory), "builtin", or "" to keep the corpus's own.
type PipelineSpec struct {
	Rules, Mappings string
}

// Pipeline builds the reference pipeline the corpus expects (corpus.json's rules and mappings), with
// spec's overrides. Mapping-file warnings (an identical duplicate row) are returned, not fatal. A
// file that cannot be read is an *Error of kind ErrMissing; a file that does not load is the pipeline
// package's error (*pipeline.FileError values).
func (c *Corpus) Pipeline(spec PipelineSpec) (*pipeline.Pipeline, []pipeline.Warning, error) {
	resolve := func(override, own string) string {
		switch {
		case override != "":
			return override
		case own == "" || own == Builtin:
			return Builtin
		}
		return filepath.Join(c.Dir, own)
	}
	rules := pipeline.DefaultRules()
	if p := resolve(spec.Rules, c.Manifest.Rules); p != Builtin {
		if _, err := os.Stat(p); err != nil {
			return nil, nil, &Error{Kind: ErrMissing, File: p, Msg: "rules file", Err: err}
		}
		r, err := pipeline.LoadRules(p)
		if err != nil {
			return nil, nil, err
		}
		rules = r
	}
	maps := pipeline.DefaultMappings()
	var warnings []pipeline.Warning
	if p := resolve(spec.Mappings, c.Manifest.Mappings); p != Builtin {
		if _, err := os.Stat(p); err != nil {
			return nil, nil, &Error{Kind: ErrMissing, File: p, Msg: "mappings file", Err: err}
		}
		m, w, err := pipeline.LoadMappings(p)
		if err != nil {
			return nil, nil, err
		}
		maps, warnings = m, w
	}
	return pipeline.New(rules, maps, pipeline.Options{}), warnings, nil
}

// LoadMappings loads the mapping table that path names as corpus.json names one: Builtin, the built-in
// table, or a mapping file (pipeline.LoadMappings), with the file's warnings.
func LoadMappings(path string) (*pipeline.Mappings, []pipeline.Warning, error) {
	if path == Builtin {
		return pipeline.DefaultMappings(), nil, nil
	}
	return pipeline.LoadMappings(path)
}

// Find returns the corpus directories at or under root (directories holding a corpus.json), sorted.
// root itself is returned when it is a corpus.
func Find(root string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(root, ManifestFile)); err == nil {
		return []string{root}, nil
	}
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == ManifestFile {
			dirs = append(dirs, filepath.Dir(p))
		}
		if d.IsDir() && p != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, &Error{Kind: ErrMissing, File: root, Msg: "no corpus.json here or below"}
	}
	sort.Strings(dirs)
	return dirs, nil
}
