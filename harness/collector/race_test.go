//go:build race

package collector_test

// raceEnabled is set when the tests run under the race detector, whose shadow memory makes a
// process's RSS no measure of the collector's own.
const raceEnabled = true
