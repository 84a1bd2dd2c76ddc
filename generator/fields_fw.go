package generator

// Field specs of the firewall feed (NSSFWlog).

func fwFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":     txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.fw.action...) }),
		"csip":       txt(func(e *event, dst []byte) []byte { return append(dst, e.u.cip...) }),
		"csport":     num(func(e *event) int64 { return e.csport }),
		"cdip":       txt(func(e *event, dst []byte) []byte { return append(dst, e.cdip...) }),
		"cdport":     num(func(e *event) int64 { return e.dport }),
		"ssip":       txt(func(e *event, dst []byte) []byte { return append(dst, e.ssip...) }),
		"ssport":     num(func(e *event) int64 { return e.ssport }),
		"sdip":       txt(func(e *event, dst []byte) []byte { return append(dst, e.sdip...) }),
		"sdport":     num(func(e *event) int64 { return e.sdport }),
		"tsip":       txt(func(e *event, dst []byte) []byte { return append(dst, e.u.cpubip...) }),
		"ipproto":    txt(func(e *event, dst []byte) []byte { return append(dst, e.svc.ipproto...) }),
		"ttype":      txt(func(e *event, dst []byte) []byte { return append(dst, e.u.loc.ttype...) }),
		"dnat":       lit("No"),
		"stateful":   lit("Yes"),
		"inbytes":    num(func(e *event) int64 { return e.inbytes }),
		"outbytes":   num(func(e *event) int64 { return e.outbytes }),
		"nwsvc":      txt(func(e *event, dst []byte) []byte { return append(dst, e.svc.name...) }),
		"nwapp":      txt(func(e *event, dst []byte) []byte { return append(dst, e.nwapp...) }),
		"threatcat":  txt(func(e *event, dst []byte) []byte { return append(dst, e.threatcat...) }),
		"threatname": txt(func(e *event, dst []byte) []byte { return append(dst, e.fwThreat...) }),
		"aggregate": sel(func(e *event) []byte {
			if e.cls.fw.aggregated {
				return bYes
			}
			return bNo
		}),
		"durationms":  num(func(e *event) int64 { return e.durationms }),
		"duration":    num(func(e *event) int64 { return e.durationms / 1000 }),
		"numsessions": num(func(e *event) int64 { return e.numsessions }),
		"avgduration": num(func(e *event) int64 { return e.durationms / e.numsessions }),
		"ipcat":       txt(func(e *event, dst []byte) []byte { return append(dst, e.ipcat...) }),
		"destcountry": txt(func(e *event, dst []byte) []byte { return append(dst, e.country...) }),
		"ipsrulelabel": sel(func(e *event) []byte {
			if e.cls.fw.threat {
				return e.cls.fw.rule
			}
			return bNone
		}),
	}
	alias(fs, num(numZero), "tsport", "tunsport")
	alias(fs, txt(func(e *event, dst []byte) []byte { return append(dst, e.cls.fw.rule...) }), "rulelabel", "erulelabel")
	return fs
}
