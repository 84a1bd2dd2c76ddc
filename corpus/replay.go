package corpus

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/replay"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sink"
	"github.com/nssbench/nssbench/reports"
)

// Of returns the corpus path belongs to: path is a corpus directory, or the input file of the corpus
// in its directory; nil when it is a file of no corpus. A directory that is no corpus is an error.
func Of(path string) (*Corpus, error) {
	dir := path
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.IsDir() {
		dir = filepath.Dir(path)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		if dir == path {
			return nil, fmt.Errorf("%s: a directory to replay must be a corpus (no %s)", path, ManifestFile)
		}
		return nil, nil
	}
	c, err := Load(dir)
	if err != nil {
		return nil, err
	}
	if dir != path && filepath.Clean(c.Input) != filepath.Clean(path) {
		return nil, nil // a file beside a corpus, not its input
	}
	return c, nil
}

// Replay completes rs, a replay of rs.Path, when that path is a corpus (Of): the corpus's input is
// replayed, judged by its expected verdicts, and pl is the corpus's pipeline (with spec's overrides,
// -rules and -mappings) that decides it, with its mapping-file warnings. Otherwise rs is returned as it
// is and pl is nil. A corpus that is not CEF, or whose verdicts are not exact (patterns), cannot be
// replayed.
func Replay(rs replay.Setup, spec PipelineSpec) (_ replay.Setup, pl *pipeline.Pipeline, warnings []pipeline.Warning, err error) {
	c, err := Of(rs.Path)
	if err != nil || c == nil {
		return rs, nil, nil, err
	}
	switch {
	case c.Format() != FormatCEF:
		return rs, nil, nil, fmt.Errorf("corpus %s: -replay sends CEF lines; a %s corpus cannot be replayed", c.Name(), c.Format())
	case len(c.Manifest.Patterns) > 0:
		return rs, nil, nil, fmt.Errorf("corpus %s has patterns (fields that vary): a replay checks exact verdicts; check it with 'nssbench verify'", c.Name())
	}
	if pl, warnings, err = c.Pipeline(spec); err != nil {
		return rs, nil, warnings, err
	}
	rs.Path, rs.Expected, rs.Truth = c.Input, c.ReadExpected, "corpus "+c.Name()+"'s expected verdicts"
	return rs, pl, warnings, nil
}

// ConfigureReplay sets cfg up to send the recording at rs.Path verbatim (run -replay), at its recorded
// times × rs.Speed within rs.Limit, each record judged by cfg's pipeline (the reference verdict) or, for
// a corpus (Replay), by its expected verdicts and decided by the corpus's pipeline (spec's overrides,
// -rules and -mappings, applied), which then replaces cfg's. rs's Options are cfg's pipeline and sink
// options; rs.Framing is the framing asked for, if any. It sets cfg's source, framing, pacer and the
// report's description, framing and clock (reports.ClockRecorded), and returns the mapping file's
// warnings and, when a sink cannot attribute some recorded lines, a note saying so. A Cloud NSS HTTP
// target cannot take a replay, nor can a clock be asked for (rs.Clocked).
func ConfigureReplay(cfg *run.Config, rs replay.Setup, spec PipelineSpec) (note string, warnings []pipeline.Warning, err error) {
	if rs.Clocked {
		return "", nil, errors.New("-clock stamps generated records; -replay sends the recorded lines with their own stamps (use -replay-timing-only to stamp generated ones)")
	}
	if strings.HasPrefix(cfg.Target, "http") {
		return "", nil, errors.New("-replay sends recorded lines over a stream or datagrams; a Cloud NSS HTTP target takes generated JSON batches: use -replay-timing-only")
	}
	rs.Options = replay.Options{Pipeline: cfg.Pipeline, IDs: cfg.SinkOptions}
	rs, cpl, warnings, err := Replay(rs, spec)
	if err != nil {
		return "", warnings, err
	}
	if cpl != nil {
		cfg.Pipeline = cpl
	}
	rp, err := rs.Open() // checks rs.Speed
	if err != nil {
		return "", warnings, err
	}
	cfg.Source, cfg.Framing, cfg.Pacer = rp.Source, rp.Source.Recording().Framing(), rp.Pacer
	cfg.Meta.Description, cfg.Meta.Framing = rp.Description, cfg.Framing
	cfg.Meta.Clock = reports.ClockRecorded // the recorded lines keep their own stamps
	if cfg.Target != "" && cfg.Sink != "" {
		if n := rp.Source.Unattributable(); n > 0 {
			note = fmt.Sprintf("%d of %d recorded lines have no record id of their own (%s): they are sent, but the sink cannot attribute them",
				n, rp.Source.Recording().Len(), cmp.Or(cfg.SinkOptions.IDField, sink.DefaultIDField))
		}
	}
	return note, warnings, nil
}
