package corpus

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nssbench/nssbench/reports/golden"
)

// goldenDirs lists the shipped corpora.
func goldenDirs(t testing.TB) []string {
	t.Helper()
	dirs, err := Find("golden")
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestGolden verifies every shipped corpus in-process with its own pipeline: all must match. With
// -update (golden.Update) it first rewrites their expected verdicts from the current pipeline
// (TestGeneratedGroundTruth makes golden/generated again from its provenance); review the diff by hand
// against PIPELINE.md.
func TestGolden(t *testing.T) {
	for _, dir := range goldenDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			c, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if golden.Update() && filepath.Base(dir) != "generated" {
				st, err := Update(context.Background(), c, nil)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("rewrote %s: %d of %d records changed", st.File, st.Changed, st.Records)
				if c, err = Load(dir); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Verify(context.Background(), c, VerifyOptions{MaxMismatches: 5})
			if err != nil {
				t.Fatalf("Verify(%s) error: %v", dir, err)
			}
			if !res.OK() || res.Records == 0 {
				for i := range res.Mismatches {
					t.Error(res.Mismatches[i].String())
				}
				t.Fatalf("Verify(%s): %d records, %d mismatches; want >0 records, 0 mismatches", dir, res.Records, res.Mismatched)
			}
		})
	}
}
