package abtest

import (
	"math/bits"
	"math/rand/v2"

	moremath "github.com/aclements/go-moremath/stats"
	"github.com/montanaflynn/stats"
)

// bootstrap returns the 95 % percentile-bootstrap interval of mean(cur) − mean(base) from resamples
// resamplings of each side with replacement, drawn from a PCG generator seeded with seed.
func bootstrap(base, cur []float64, resamples int, seed uint64) (lo, hi float64) {
	rng := newRNG(seed)
	diffs := make([]float64, resamples)
	for r := range diffs {
		diffs[r] = resampledMean(rng, cur) - resampledMean(rng, base)
	}
	alpha := (1 - Confidence) / 2 * 100
	// The inputs are finite and not empty and the percents in (0, 100]: Percentile cannot fail.
	lo, _ = stats.Percentile(diffs, alpha)
	hi, _ = stats.Percentile(diffs, 100-alpha)
	return lo, hi
}

// newRNG returns the resampling generator of seed.
func newRNG(seed uint64) *rand.PCG { return rand.NewPCG(seed, seed^0x9e3779b97f4a7c15) }

// resampledMean returns the mean of len(values) values drawn from values with replacement. An index is
// the high word of a 64-bit draw times len(values) (Lemire's multiply, bias below len/2⁶⁴), so the
// sequence depends only on the PCG algorithm, which is specified.
func resampledMean(rng *rand.PCG, values []float64) float64 {
	n := uint64(len(values))
	var sum float64
	for range n {
		i, _ := bits.Mul64(rng.Uint64(), n)
		sum += values[i]
	}
	return sum / float64(n)
}

// mannWhitney returns the two-sided Mann-Whitney U test's p-value of base against cur, or nil when the
// test has no answer: every value is equal (the samples are not empty, the only other failure).
func mannWhitney(base, cur []float64) *float64 {
	r, err := moremath.MannWhitneyUTest(base, cur, moremath.LocationDiffers)
	if err != nil {
		return nil
	}
	return ptr(r.P)
}
