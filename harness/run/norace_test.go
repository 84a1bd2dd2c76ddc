//go:build !race

package run

// raceEnabled: see race_test.go.
const raceEnabled = false
