package main

import "github.com/nssbench/nssbench/harness/progress"

// progressOf prints a command's progress lines on stderr (progress.Printer).
func progressOf(e *env) progress.Printer { return progress.Printer{W: e.stderr, Prefix: "nssbench: "} }
