package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/replay"
)

// TestReplay: a corpus directory or its input file replays the corpus's input against its expected
// verdicts; another file replays as it is; a directory that is no corpus and a corpus that is not CEF
// are refused.
func TestReplay(t *testing.T) {
	dir := filepath.Join("golden", "filters")
	beside := filepath.Join(t.TempDir(), "rec.log")
	if err := os.WriteFile(beside, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		corpus     bool
		err        string
	}{
		{"directory", dir, true, ""},
		{"input file", filepath.Join(dir, "input.log"), true, ""},
		{"a file of no corpus", beside, false, ""},
		{"a file beside a corpus", filepath.Join(dir, "mappings.txt"), false, ""},
		{"a directory of no corpus", t.TempDir(), false, "a directory to replay must be a corpus (no corpus.json)"},
		{"a JSON corpus", filepath.Join("golden", "seed-alerts-cloud"), false, "a json corpus cannot be replayed"},
		{"missing", filepath.Join(dir, "nope.log"), false, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, pl, _, err := Replay(replay.Setup{Path: tc.path}, PipelineSpec{})
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case tc.corpus && (pl == nil || rs.Expected == nil || filepath.Clean(rs.Path) != filepath.Join(dir, "input.log") || rs.Truth != "corpus filters's expected verdicts"):
				t.Errorf("setup %+v, pipeline %v; want the corpus's input, expected verdicts and pipeline", rs, pl)
			case !tc.corpus && (pl != nil || rs.Expected != nil || rs.Path != tc.path || rs.Truth != ""):
				t.Errorf("setup %+v, pipeline %v; want the file as it is", rs, pl)
			}
		})
	}
}
