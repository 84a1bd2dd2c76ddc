package generator

// Field specs of the DNS feed (NSSDNSlog).

func dnsFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":       txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.dns.action...) }),
		"reqaction":    txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.dns.reqaction...) }),
		"resaction":    txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.dns.resaction...) }),
		"reqrulelabel": txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.dns.reqrule...) }),
		"resrulelabel": txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.dns.resrule...) }),
		"reqtype":      txt(func(e *event, dst []byte) []byte { return append(dst, e.reqtype...) }),
		"req":          txt(func(e *event, dst []byte) []byte { return append(dst, e.site.host...) }),
		"res":          txt(func(e *event, dst []byte) []byte { return append(dst, e.res...) }),
		"sip":          txt(func(e *event, dst []byte) []byte { return append(dst, e.sip...) }),
		"sport":        num(func(*event) int64 { return 53 }),
		"durationms":   num(func(e *event) int64 { return e.durationms }),
		"domcat":       txt(func(e *event, dst []byte) []byte { return append(dst, e.site.urlcat...) }),
		"respipcat":    txt(func(e *event, dst []byte) []byte { return append(dst, e.site.urlcat...) }),
		"protocol":     lit("UDP"),
		"dnsapp":       lit("None"),
		"dnsappcat":    lit("None"),
		"error": sel(func(e *event) []byte {
			switch {
			case e.cls.dns.blocked:
				return reqBlocked
			case &e.res[0] == &emptyResp[0]:
				return emptyResp
			}
			return bNone
		}),
	}
	alias(fs, txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.dns.rule...) }), "rulelabel", "erulelabel")
	return fs
}

var reqBlocked = []byte("REQ_BLOCKED")
