//go:build race

package main

// raceEnabled is set when the tests run under the race detector, which slows nssbench many times over
// and whose shadow memory makes a process's RSS no measure of nssbench's own.
const raceEnabled = true
