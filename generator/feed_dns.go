package generator

// Field specs of the DNS feed (NSSDNSlog).

func dnsFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":       cls(func(cm *classModel) []byte { return cm.dns.action }),
		"reqaction":    cls(func(cm *classModel) []byte { return cm.dns.reqaction }),
		"resaction":    cls(func(cm *classModel) []byte { return cm.dns.resaction }),
		"reqrulelabel": cls(func(cm *classModel) []byte { return cm.dns.reqrule }),
		"resrulelabel": cls(func(cm *classModel) []byte { return cm.dns.resrule }),
		"reqtype":      txt(func(e *event, dst []byte) []byte { return append(dst, e.reqtype...) }),
		"req":          txt(func(e *event, dst []byte) []byte { return append(dst, e.site.host...) }),
		"res":          txt(func(e *event, dst []byte) []byte { return append(dst, e.res...) }),
		"sip":          txt(func(e *event, dst []byte) []byte { return append(dst, e.sip...) }),
		"sport":        constNum(53),
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
	alias(fs, cls(func(cm *classModel) []byte { return cm.dns.rule }), "rulelabel", "erulelabel")
	return fs
}

var reqBlocked = []byte("REQ_BLOCKED")
