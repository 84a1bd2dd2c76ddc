package main

import (
	"errors"

	"github.com/nssbench/nssbench/generator/pacer"
)

// scenarioPacer builds the pacer of a scenario's pacer spec, bounded by lim. A replay spec needs the
// recording that -replay gives.
func scenarioPacer(spec pacer.Spec, lim pacer.Limit) (pacer.Pacer, error) {
	if spec.Shape == "replay" {
		return nil, errors.New("replay pacer: give the recording to replay with -replay FILE")
	}
	return spec.New(lim)
}
