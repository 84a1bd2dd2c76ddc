package corpus

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/replay"
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
