package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nssbench/nssbench/harness/pipeline"
	"github.com/nssbench/nssbench/harness/replay"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/reports"
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

// TestConfigureReplay: a replay sets the run's source, pacer, framing and description; a corpus brings
// its own pipeline; a sink that cannot attribute every line gets a note; an HTTP target is refused, and
// so is a clock.
func TestConfigureReplay(t *testing.T) {
	ref, _, err := pipeline.Load("", "", pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	beside := filepath.Join(t.TempDir(), "rec.log")
	if err := os.WriteFile(beside, []byte("Jun 11 02:52:44 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.7|Allowed|Allowed|3|act=Allowed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, target, sink string
		corpus, clocked          bool
		note, err                string
	}{
		{name: "corpus", path: filepath.Join("golden", "filters"), corpus: true},
		{name: "file", path: beside},
		{name: "file to a sink", path: beside, target: "tcp://127.0.0.1:1", sink: "tcp://127.0.0.1:2", note: "1 of 1 recorded lines have no record id of their own (externalId)"},
		{name: "http target", path: beside, target: "http://127.0.0.1:1/x", err: "a Cloud NSS HTTP target takes generated JSON batches"},
		{name: "clock", path: beside, clocked: true, err: "-clock stamps generated records; -replay sends the recorded lines with their own stamps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := run.Config{Pipeline: ref, Target: tc.target, Sink: tc.sink}
			note, _, err := ConfigureReplay(&cfg, replay.Setup{Path: tc.path, Speed: 1, Clocked: tc.clocked}, PipelineSpec{})
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want %q", err, tc.err)
				}
				return
			case err != nil:
				t.Fatal(err)
			case !strings.HasPrefix(note, tc.note) || (note == "") != (tc.note == ""):
				t.Errorf("note %q; want %q", note, tc.note)
			}
			if cfg.Source == nil || cfg.Pacer == nil || cfg.Framing != "lf" || cfg.Meta.Framing != "lf" || !strings.HasPrefix(cfg.Meta.Description, "replay of ") ||
				cfg.Meta.Clock != reports.ClockRecorded {
				t.Errorf("config: source %v, pacer %v, framing %q/%q, description %q, clock %q; want the recording's", cfg.Source, cfg.Pacer, cfg.Framing, cfg.Meta.Framing, cfg.Meta.Description, cfg.Meta.Clock)
			}
			if (cfg.Pipeline != ref) != tc.corpus {
				t.Errorf("pipeline replaced: %v; want %v", cfg.Pipeline != ref, tc.corpus)
			}
		})
	}
}
