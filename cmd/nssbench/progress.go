package main

import (
	"time"

	"github.com/nssbench/nssbench/harness/progress"
)

// progressOf prints a command's progress lines on stderr (progress.Printer).
func progressOf(e *env) progress.Printer { return progress.Printer{W: e.stderr, Prefix: "nssbench: "} }

// progressLine prints one progress line on stderr, refreshing in place on a terminal.
func progressLine(e *env, line string) { progressOf(e).Line(line) }

// endProgress ends a refreshing progress line and prints line on a line of its own (none when "").
func endProgress(e *env, line string) { progressOf(e).End(line) }

// drainLine ends the progress lines with the drain's.
func drainLine(e *env, inFlight uint64, drain time.Duration) { progressOf(e).Drain(inFlight, drain) }

// doneLine is the last progress line: how long the command took since began.
func doneLine(e *env, began time.Time) { progressOf(e).Done(began) }
