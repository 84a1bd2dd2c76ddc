package corpus

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nssbench/nssbench/corpus/zst"
	"github.com/nssbench/nssbench/reports/golden"
)

// generatedDir is the shipped generated corpus: 100 k records of the default scenario, seed 1.
const generatedDir = "golden/generated"

// generatedOptions are the options golden/generated was made with.
var generatedOptions = NewOptions{Scenario: "default", Seed: 1, Count: 100_000, Compress: true,
	Description: "100 000 records of the default scenario, seed 1, with record tracking (externalId on every feed), zstd-compressed; expected verdicts from the built-in pipeline, equal record by record to the generator's ground truth (TestGeneratedGroundTruth)"}

// TestGeneratedGroundTruth checks that the generated corpus's expected verdicts equal the generator's
// labels record by record, and that its input is still what the generator renders. With -update it
// makes the corpus again first.
func TestGeneratedGroundTruth(t *testing.T) {
	if golden.Update() {
		if err := os.RemoveAll(generatedDir); err != nil {
			t.Fatal(err)
		}
		st, err := New(context.Background(), generatedDir, generatedOptions)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("made %s: %d records, %d disagreements with the ground truth", generatedDir, st.Records, st.Disagreements)
		for _, name := range []string{"input.log.zst", "expected.jsonl.zst"} {
			recompress(t, filepath.Join(generatedDir, name))
		}
	}
	c, err := Load(generatedDir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := CheckGroundTruth(context.Background(), c, 5)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != generatedOptions.Count || !res.OK() {
		for i := range res.Mismatches {
			t.Error(res.Mismatches[i].String())
		}
		t.Fatalf("CheckGroundTruth: %d records, %d mismatches; want %d records, 0 mismatches", res.Records, res.Mismatched, generatedOptions.Count)
	}
	if len(res.Classes) < 40 {
		t.Errorf("ground truth covers %d classes; the default scenario has more than 40", len(res.Classes))
	}
}

// recompress rewrites a shipped zstd file at the best compression level, to keep the repository small.
func recompress(t *testing.T, path string) {
	t.Helper()
	data := readAll(t, path)
	if err := os.WriteFile(path, zst.Compress(nil, data, zst.Smallest), 0o644); err != nil {
		t.Fatal(err)
	}
}
