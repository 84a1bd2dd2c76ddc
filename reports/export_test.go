package reports

import "time"

// SampleClasses and FeedSample expose the synthetic stream to the external tests (golden renders).
var (
	SampleClasses = sampleClasses
	SampleFeeds   = sampleFeeds
)

// FeedSample feeds r n events of the synthetic stream of seed, one every interval.
func FeedSample(r *Recorder, seed uint64, n int, interval time.Duration) {
	feedAll(r, sampleStream(seed, n, interval))
}

// Rebytes derives a report's volume section again, after a test changed its classes' byte counts.
var Rebytes = newBytes
