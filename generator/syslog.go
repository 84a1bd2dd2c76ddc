package generator

import (
	"bytes"
	"fmt"
	"time"
)

// Syslog is the syslog header a rendered CEF line starts with (Config.Syslog). The forms other than
// SyslogFormat replace the text the feed format renders before its "CEF:" signature, the first one at
// the line's start or after a space (the built-in CEF formats render an RFC 3164 timestamp and the NSS
// host there, "Jun 11 02:52:44 zscaler-nss "):
//
//	form           line
//	SyslogFormat   the format's own text, as it renders (the default)
//	SyslogNone     the record from "CEF:" on
//	SyslogBSD      "<134>Jun 11 02:52:44 zscaler-nss " + the record (RFC 3164)
//	SyslogPRI      "<134>" + the format's own text
//	SyslogRFC5424  "<134>1 2024-06-11T02:52:44Z zscaler-nss nss - - - " + the record as MSG
//
// The priority is always 134: facility local0 (16) and severity informational (6), whatever the
// record's CEF severity, so that a line stays a function of its record. The timestamp is the record's own time
// (its second, in Config.Location; RFC 3164 pads the day with a space, RFC 5424 writes the offset or
// "Z"), so it agrees with the record's time fields. The host is the last word of the format's own
// text before "CEF:" (zscaler-nss, zscaler-nss-fw for the built-in formats), or zscaler-nss when that
// text has no word (or only a "<PRI>"); APP-NAME is "nss", PROCID, MSGID and STRUCTURED-DATA are nil.
type Syslog uint8

// Syslog forms.
const (
	SyslogFormat Syslog = iota
	SyslogNone
	SyslogBSD
	SyslogPRI
	SyslogRFC5424
	numSyslogs
)

var syslogNames = [numSyslogs]string{"format", "none", "bsd", "pri", "rfc5424"}

// SyslogChoices lists the names ParseSyslog reads, for flag help and errors.
const SyslogChoices = "format, none, bsd, pri or rfc5424"

// String returns the form's name as ParseSyslog reads it, e.g. "rfc5424".
func (s Syslog) String() string {
	if s < numSyslogs {
		return syslogNames[s]
	}
	return fmt.Sprintf("syslog(%d)", uint8(s))
}

// ParseSyslog parses a form name as String writes it; "" is SyslogFormat.
func ParseSyslog(name string) (Syslog, error) {
	if name == "" {
		return SyslogFormat, nil
	}
	for s := SyslogFormat; s < numSyslogs; s++ {
		if name == syslogNames[s] {
			return s, nil
		}
	}
	return SyslogFormat, fmt.Errorf("unknown syslog form %q (want %s)", name, SyslogChoices)
}

// Set parses a form name (ParseSyslog), so that a *Syslog is a command line's -syslog flag (flag.Value).
func (s *Syslog) Set(name string) error {
	form, err := ParseSyslog(name)
	if err != nil {
		return err
	}
	*s = form
	return nil
}

// syslogPRI is the priority of every header: local0 (16) * 8 + informational (6).
var syslogPRI = []byte("<134>")

// syslogHost is the host when the format's own text names none.
var syslogHost = []byte("zscaler-nss")

// syslogCache holds the timestamps of the current second in both syslog forms, formatted again only
// when the second changes, and the header being built.
type syslogCache struct {
	ok      bool
	sec     int64
	bsd     []byte // "Jan _2 15:04:05"
	rfc5424 []byte // RFC 3339, seconds
	hdr     []byte
}

// stamps returns the RFC 3164 and RFC 5424 timestamps of second sec in loc.
func (c *syslogCache) stamps(sec int64, loc *time.Location) (bsd, rfc5424 []byte) {
	if !c.ok || c.sec != sec {
		t := time.Unix(sec, 0).In(loc)
		c.bsd = t.AppendFormat(c.bsd[:0], time.Stamp)
		c.rfc5424 = t.AppendFormat(c.rfc5424[:0], time.RFC3339)
		c.ok, c.sec = true, sec
	}
	return c.bsd, c.rfc5424
}

// reheader gives the line dst[start:] that the format rendered the syslog header form s, in place,
// and returns dst. sec is the record's second. A line without "CEF:" is left as it is (New refuses
// such a format for the forms other than SyslogFormat). It does not allocate once dst and the cache's
// buffers have grown.
func (c *syslogCache) reheader(dst []byte, start int, s Syslog, sec int64, loc *time.Location) []byte {
	line := dst[start:]
	sig := cefSig(line)
	if s == SyslogFormat || sig < 0 {
		return dst
	}
	switch s {
	case SyslogNone:
		return splice(dst, start, start+sig, nil)
	case SyslogPRI:
		return splice(dst, start, start, syslogPRI)
	}
	bsd, rfc5424 := c.stamps(sec, loc)
	h := append(c.hdr[:0], syslogPRI...)
	if s == SyslogBSD {
		h = append(h, bsd...)
	} else {
		h = append(append(h, "1 "...), rfc5424...)
	}
	h = append(append(h, ' '), formatHost(line[:sig])...)
	if s == SyslogRFC5424 {
		h = append(h, " nss - - -"...)
	}
	c.hdr = append(h, ' ')
	return splice(dst, start, start+sig, c.hdr)
}

// formatHost returns the host of a format's own prefix: its last word, unless the prefix has none or
// only a "<PRI>", then syslogHost.
func formatHost(prefix []byte) []byte {
	prefix = bytes.TrimRight(prefix, " \t")
	w := prefix[bytes.LastIndexAny(prefix, " \t")+1:]
	if len(w) == 0 || w[0] == '<' {
		return syslogHost
	}
	return w
}
