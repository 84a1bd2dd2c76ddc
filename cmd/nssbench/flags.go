package main

import (
	"flag"

	"github.com/nssbench/nssbench/generator"
)

// syslogUsage describes -syslog, for gen and run.
const syslogUsage = "syslog header of the CEF lines: none (from CEF: on), bsd (<134> + RFC 3164 timestamp + host), " +
	"pri (<134> + the format's own text) or rfc5424 (<134>1 timestamp host nss - - - + the record); default: the feed format's own"

// addClockFlag defines -clock on fs; what defaults says is the command's default.
func addClockFlag(fs *flag.FlagSet, defaults string) *generator.ClockFlag {
	c := &generator.ClockFlag{}
	fs.Var(c, "clock", "how records are stamped: wall (each with its scheduled send time) or virtual (the generator's deterministic clock from 2024-06-11 02:52:44, 1000 events per virtual second); default "+defaults)
	return c
}
