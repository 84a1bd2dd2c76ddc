package main

// run -replay FILE: the recorded lines themselves (harness/replay, corpus.Replay), or with
// -replay-timing-only the scenario's records at the recording's times.

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/nssbench/nssbench/corpus"
	"github.com/nssbench/nssbench/generator/pacer"
	"github.com/nssbench/nssbench/harness/replay"
	"github.com/nssbench/nssbench/harness/run"
	"github.com/nssbench/nssbench/harness/sink"
)

// replayConfig sets cfg up to send the recording at -replay verbatim, at its recorded times × -speed
// within lim, each record judged by cfg's pipeline (the reference verdict) or, for a corpus, by its
// expected verdicts and decided by the corpus's pipeline (-rules and -mappings override its own). It
// returns the report's description of the replay.
func (f *runFlags) replayConfig(e *env, cfg *run.Config, lim pacer.Limit) (string, error) {
	switch { // replay.Setup.Open checks -speed
	case strings.HasPrefix(cfg.Target, "http"):
		return "", errors.New("-replay sends recorded lines over a stream or datagrams; a Cloud NSS HTTP target takes generated JSON batches: use -replay-timing-only")
	case f.traffic.Given["clock"]:
		return "", errors.New("-clock stamps generated records; -replay sends the recorded lines with their own stamps (use -replay-timing-only to stamp generated ones)")
	}
	rs := replay.Setup{Path: *f.replay, Options: replay.Options{Pipeline: cfg.Pipeline, IDs: cfg.SinkOptions}, Speed: *f.speed, Limit: lim}
	if f.traffic.Given["framing"] {
		rs.Framing = cfg.Framing
	}
	rs, cpl, warnings, err := corpus.Replay(rs, corpus.PipelineSpec{Rules: *f.traffic.rulesFile, Mappings: *f.traffic.mapsFile})
	printWarnings(e, "run", warnings)
	if err != nil {
		return "", err
	}
	if cpl != nil {
		cfg.Pipeline = cpl
	}
	rp, err := rs.Open()
	if err != nil {
		return "", err
	}
	cfg.Source, cfg.Framing, cfg.Pacer = rp.Source, rp.Source.Recording().Framing(), rp.Pacer
	if cfg.Target != "" && cfg.Sink != "" {
		if n := rp.Source.Unattributable(); n > 0 {
			fmt.Fprintf(e.stderr, "nssbench run: -replay: %d of %d recorded lines have no record id of their own (%s): they are sent, but the sink cannot attribute them\n",
				n, rp.Source.Recording().Len(), cmp.Or(cfg.SinkOptions.IDField, sink.DefaultIDField))
		}
	}
	return rp.Description, nil
}
