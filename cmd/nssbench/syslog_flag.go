package main

import "github.com/nssbench/nssbench/generator"

// syslogUsage describes -syslog, for gen and run.
const syslogUsage = "syslog header of the CEF lines: none (from CEF: on), bsd (<134> + RFC 3164 timestamp + host), " +
	"pri (<134> + the format's own text) or rfc5424 (<134>1 timestamp host nss - - - + the record); default: the feed format's own"

// syslogValue is a -syslog flag: a generator.Syslog form by name.
type syslogValue struct{ form generator.Syslog }

func (v *syslogValue) String() string {
	if v == nil || v.form == generator.SyslogFormat {
		return ""
	}
	return v.form.String()
}

func (v *syslogValue) Set(s string) error {
	form, err := generator.ParseSyslog(s)
	if err != nil {
		return err
	}
	v.form = form
	return nil
}
