package corpus

import "context"

// VerifyAll verifies every corpus that paths name (Find: a corpus directory or a directory of
// corpora), one Outcome each; a path that names none is an Outcome with its error. With update, each
// corpus's expected verdicts are first rewritten and opts.Spec's rules and mappings made its own
// (UpdateWith); it is then verified as it stands, without overrides.
func VerifyAll(ctx context.Context, paths []string, update bool, opts VerifyOptions) []Outcome {
	var outs []Outcome
	for _, p := range paths {
		dirs, err := Find(p)
		if err != nil {
			outs = append(outs, Outcome{Dir: p, Err: err})
			continue
		}
		for _, dir := range dirs {
			outs = append(outs, verifyOne(ctx, dir, update, opts))
		}
	}
	return outs
}

// verifyOne updates (if asked) and verifies one corpus.
func verifyOne(ctx context.Context, dir string, update bool, opts VerifyOptions) Outcome {
	o := Outcome{Dir: dir}
	c, err := Load(dir)
	if err != nil {
		o.Err = err
		return o
	}
	if update {
		st, err := UpdateWith(ctx, c, opts.Spec)
		if err != nil {
			o.Err = err
			return o
		}
		o.Update = &st
		if c, err = Load(dir); err != nil {
			o.Err = err
			return o
		}
		opts.Spec = PipelineSpec{} // the corpus's own pipeline is the spec's now: check that it stands alone
	}
	o.Result, o.Err = Verify(ctx, c, opts)
	return o
}
