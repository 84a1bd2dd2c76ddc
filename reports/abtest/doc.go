// Package abtest decides, from replicates, whether a metric regressed between a base and a new side of
// an A/B comparison, and writes the answer as a stable, machine-readable regression signal (JSON) and
// as text and Markdown for people and pull-request comments.
//
// # Method
//
// Each side is a sample of one metric: one value per replicate run (a single report is n = 1). For a
// metric the package reports both sides' n, mean, median and coefficient of variation (CV: the sample
// standard deviation over the absolute mean), the difference of the means new − base, absolute and
// relative to the base mean, and a 95 % confidence interval of that difference.
//
// The interval is a percentile bootstrap of the difference of means: Resamples times (10,000 by
// default) each side is resampled with replacement to its own size, the difference of the resampled
// means is taken, and the interval is the 2.5th and 97.5th percentiles of those differences (linear
// interpolation between closest ranks). The relative interval is the absolute one divided by the
// observed base mean's magnitude. The resampling draws from a PCG generator with a fixed seed
// (Options.Seed, 1 by default) restarted for every metric, so the same inputs always give the same
// interval, whatever the order of the metrics.
//
// As a cross-check, the two-sided Mann-Whitney U test's p-value is reported when both sides have at
// least two replicates and not every value is equal (exact distribution for small samples, ties
// included). It does not enter the verdict: with three replicates a side its smallest possible p-value
// is 0.1, so it cannot confirm a change on its own; a p-value far from the bootstrap's conclusion is
// a reason to add replicates.
//
// # Verdicts
//
// Against a minimum effect size, the margin m (Options.Margin, 5 % in DefaultOptions; Options.Margins
// overrides it per metric), and the metric's direction, the first rule that applies decides:
//
//  1. insufficient replicates: either side has a single value. A single sample says nothing about
//     the run-to-run spread, so it cannot decide; the point difference is still shown.
//  2. regressed: the whole interval lies beyond the margin in the bad direction (for lower-is-better
//     metrics its lower end is above +m; for higher-is-better ones its upper end is below −m). The
//     interval then also excludes 0.
//  3. improved: the whole interval lies beyond the margin in the good direction.
//  4. erratic: the CV of either side exceeds m (or a side spreads around a zero mean): the replicates
//     vary more than the effect the comparison is meant to resolve, so it cannot claim "no change".
//  5. no change: the interval lies within [−m, +m].
//  6. erratic: otherwise the interval straddles ±m, so the replicates cannot decide.
//
// A regression confident by rule 2 stands even when a side's CV exceeds m: the bootstrap interval
// already carries the spread, and a doubling of p99 must not hide behind ordinary jitter.
//
// When the base mean is 0 the relative difference is undefined (null in JSON) and the rules read the
// absolute interval instead: any confident rise from zero is beyond every margin (a lower-is-better
// metric such as lost regresses when the interval's lower end is above 0), and two all-zero sides are
// no change.
//
// The comparison's overall verdict takes the gated metrics (those not marked Informational): regressed
// if any regressed, else erratic if any is, else insufficient replicates if any is, else improved if
// any improved, else no change. Only a regressed overall verdict hints exit code 3; every other
// verdict hints 0.
package abtest
