package generator

import "github.com/nssbench/nssbench/generator/nssfmt"

// Field specs of the firewall feed (NSSFWlog).

func fwFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":     cls(func(cm *classModel) []byte { return cm.fw.action }),
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
		"threatcat":  unlessThreat(txt(func(e *event, dst []byte) []byte { return append(dst, e.threatcat...) })),
		"threatname": unlessThreat(txt(func(e *event, dst []byte) []byte { return append(dst, e.fwThreat...) })),
		"aggregate": cls(func(cm *classModel) []byte {
			if cm.fw.aggregated {
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
		"ipsrulelabel": cls(func(cm *classModel) []byte {
			if cm.fw.threat {
				return cm.fw.rule
			}
			return bNone
		}),
	}
	alias(fs, constNum(0), "tsport", "tunsport")
	alias(fs, cls(func(cm *classModel) []byte { return cm.fw.rule }), "rulelabel", "erulelabel")
	return fs
}

// unlessThreat marks a firewall threat field as "None" for every event of a class without threats.
func unlessThreat(s fieldSpec) fieldSpec {
	s.class = func(cm *classModel) (nssfmt.Constant, bool) {
		return nssfmt.Constant{Text: bNone}, !cm.fw.threat
	}
	return s
}
