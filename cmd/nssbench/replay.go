package main

// run -replay FILE: the recorded lines themselves (harness/replay), or with -replay-timing-only the
// scenario's records at the recording's times.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/replay"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sink"
)

// replayCorpus returns the corpus path belongs to: path is a corpus directory, or the input file of
// the corpus in its directory. nil when it is neither.
func replayCorpus(path string) (*corpus.Corpus, error) {
	dir := path
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.IsDir() {
		dir = filepath.Dir(path)
	}
	if _, err := os.Stat(filepath.Join(dir, corpus.ManifestFile)); err != nil {
		if dir == path {
			return nil, fmt.Errorf("%s: a directory to replay must be a corpus (no %s)", path, corpus.ManifestFile)
		}
		return nil, nil
	}
	c, err := corpus.Load(dir)
	if err != nil {
		return nil, err
	}
	if dir != path && filepath.Clean(c.Input) != filepath.Clean(path) {
		return nil, nil // a file beside a corpus, not its input
	}
	return c, nil
}

// replayConfig sets cfg up to send the recording at path verbatim, at its recorded times × speed,
// each record judged by pl (the reference verdict) or, for a corpus, by its expected verdicts and
// decided by the corpus's pipeline (-rules and -mappings override the corpus's own). It returns the
// report's description of the replay.
func (f *runFlags) replayConfig(e *env, cfg *run.Config, path string, speed float64, lim pacer.Limit) (string, error) {
	switch {
	case speed <= 0:
		return "", fmt.Errorf("speed %g must be > 0", speed)
	case strings.HasPrefix(cfg.Target, "http"):
		return "", errors.New("-replay sends recorded lines over a stream or datagrams; a Cloud NSS HTTP target takes generated JSON batches: use -replay-timing-only")
	case f.traffic.set["clock"]:
		return "", errors.New("-clock stamps generated records; -replay sends the recorded lines with their own stamps (use -replay-timing-only to stamp generated ones)")
	}
	c, err := replayCorpus(path)
	if err != nil {
		return "", err
	}
	opts := replay.Options{Pipeline: cfg.Pipeline, IDs: cfg.SinkOptions}
	truth := "the reference pipeline's verdict of each line"
	if c != nil {
		switch {
		case c.Format() != corpus.FormatCEF:
			return "", fmt.Errorf("corpus %s: -replay sends CEF lines; a %s corpus cannot be replayed", c.Name(), c.Format())
		case len(c.Manifest.Patterns) > 0:
			return "", fmt.Errorf("corpus %s has patterns (fields that vary): a replay checks exact verdicts; check it with 'nssbench verify'", c.Name())
		}
		// The corpus's own rules and mappings decide, unless -rules or -mappings say otherwise.
		cpl, warnings, err := c.Pipeline(corpus.PipelineSpec{Rules: *f.traffic.rulesFile, Mappings: *f.traffic.mapsFile})
		for _, w := range warnings {
			fmt.Fprintf(e.stderr, "nssbench run: warning: %s:%d: %s\n", w.File, w.Line, w.Msg)
		}
		if err != nil {
			return "", err
		}
		cfg.Pipeline = cpl
		path, opts.Expected = c.Input, c.ReadExpected
		truth = "corpus " + c.Name() + "'s expected verdicts"
	}
	rec, err := replay.Read(path)
	if err != nil {
		return "", err
	}
	if f.traffic.set["framing"] && cfg.Framing != rec.Framing() {
		return "", fmt.Errorf("-framing %s: the recording %s is framed %s, and -replay keeps its framing", cfg.Framing, path, rec.Framing())
	}
	src, err := rec.Source(opts)
	if err != nil {
		return "", err
	}
	cfg.Source, cfg.Framing = src, rec.Framing()
	cfg.Pacer = pacer.Replay{Offsets: rec.Offsets(), Speed: speed, Limit: lim}
	description := fmt.Sprintf("replay of %s: %d recorded lines (%d bytes) sent verbatim; ground truth: %s",
		path, rec.Len(), rec.Bytes(), truth)
	if cfg.Target != "" && cfg.Sink != "" {
		if n := src.Unattributable(); n > 0 {
			fmt.Fprintf(e.stderr, "nssbench run: -replay: %d of %d recorded lines have no record id of their own (%s): they are sent, but the sink cannot attribute them\n",
				n, rec.Len(), idField(cfg.SinkOptions.IDField))
		}
	}
	return description, nil
}

// idField names the record id field for messages.
func idField(name string) string {
	if name == "" {
		return sink.DefaultIDField
	}
	return name
}
