package main

// run -replay FILE: the recorded lines themselves (harness/replay, corpus.Replay), or with
// -replay-timing-only the scenario's records at the recording's times.

import (
	"fmt"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/replay"
	"github.com/nssbench/nssbench/harness/run"
)

// replayConfig sets cfg up to send the recording at -replay verbatim, at its recorded times × -speed
// within lim, refusing -clock (corpus.ConfigureReplay), printing the mapping file's warnings and its note.
func (f *runFlags) replayConfig(e *env, cfg *run.Config, lim pacer.Limit) error {
	rs := replay.Setup{Path: *f.replay, Speed: *f.speed, Limit: lim, Clocked: f.traffic.Given["clock"]}
	if f.traffic.Given["framing"] {
		rs.Framing = cfg.Framing
	}
	note, warnings, err := corpus.ConfigureReplay(cfg, rs, corpus.PipelineSpec{Rules: *f.traffic.rulesFile, Mappings: *f.traffic.mapsFile})
	printWarnings(e, "run", warnings)
	if note != "" {
		fmt.Fprintf(e.stderr, "nssbench run: -replay: %s\n", note)
	}
	return err
}
