package generator

import (
	"strconv"

	"github.com/nssbench/nssbench/generator/nssfmt"
)

// Field specs shared by all feeds: time, identity, user and device fields.

// lit is a text field with the same value in every record.
func lit(s string) fieldSpec {
	b := []byte(s)
	return fieldSpec{
		text:  func(_ *event, dst []byte) []byte { return append(dst, b...) },
		class: func(*classModel) (nssfmt.Constant, bool) { return nssfmt.Constant{Text: b}, true },
	}
}

// constNum is a number field with the same value in every record.
func constNum(n int64) fieldSpec {
	c := nssfmt.Constant{Text: strconv.AppendInt(nil, n, 10), Number: n}
	return fieldSpec{
		text:  func(_ *event, dst []byte) []byte { return append(dst, c.Text...) },
		num:   func(*event) int64 { return n },
		class: func(*classModel) (nssfmt.Constant, bool) { return c, true },
	}
}

// cls is a text field whose value the event's class alone decides (a rule label, an action).
func cls(get func(cm *classModel) []byte) fieldSpec {
	return fieldSpec{
		text:  func(e *event, dst []byte) []byte { return append(dst, get(e.cls)...) },
		class: func(cm *classModel) (nssfmt.Constant, bool) { return nssfmt.Constant{Text: get(cm)}, true },
	}
}

func txt(f textFn) fieldSpec { return fieldSpec{text: f} }

// at is a text field whose value each event keeps where get says (fieldSpec.textAt).
func at(get func(e *event) *[]byte) fieldSpec {
	return fieldSpec{text: func(e *event, dst []byte) []byte { return append(dst, *get(e)...) }, textAt: get}
}

// numAt is a number field whose value each event keeps where get says (fieldSpec.numAt).
func numAt(get func(e *event) *int64) fieldSpec {
	s := num(func(e *event) int64 { return *get(e) })
	s.numAt = get
	return s
}

func num(f numFn) fieldSpec {
	return fieldSpec{text: func(e *event, dst []byte) []byte { return strconv.AppendInt(dst, f(e), 10) }, num: f}
}

// sel is a text field whose value get selects (one of the model's values, not one composed while
// rendering): a bound program reads it from the event's picked slot, set once per event
// (fieldSpec.pick), with no call while rendering. A value composed from parts is a txt field.
func sel(get func(e *event) []byte) fieldSpec {
	return fieldSpec{text: func(e *event, dst []byte) []byte { return append(dst, get(e)...) }, pick: get}
}

// perSecond marks a field whose value is a function of the record's second alone (a time part), so a
// class renders a leading run of such fields once per second (see classModel.head).
func perSecond(s fieldSpec) fieldSpec {
	s.second = true
	return s
}

// alias registers spec under every name in names.
func alias(fs map[string]fieldSpec, spec fieldSpec, names ...string) {
	for _, n := range names {
		fs[n] = spec
	}
}

const monthNames = "JanFebMarAprMayJunJulAugSepOctNovDec"
const dayNames = "SunMonTueWedThuFriSat"

// monthBytes and dayBytes are monthNames and dayNames as values (vb), for %s{mon} and %s{day}.
var monthBytes, dayBytes = splitNames(monthNames), splitNames(dayNames)

// splitNames cuts a run of 3-letter names into values.
func splitNames(names string) [][]byte {
	out := make([][]byte, 0, len(names)/3)
	for i := 0; i+3 <= len(names); i += 3 {
		out = append(out, vb(names[i:i+3]))
	}
	return out
}

// appendTime appends the NSS %s{time} form, "Mon Jun 20 15:29:11 2022" (day of month space-padded).
func appendTime(dst []byte, tc *timeCache) []byte {
	dst = append(dst, dayNames[3*tc.wday:3*tc.wday+3]...)
	dst = append(dst, ' ')
	dst = append(dst, monthNames[3*(tc.month-1):3*tc.month]...)
	dst = append(dst, ' ')
	if tc.day < 10 {
		dst = append(dst, ' ')
	}
	dst = strconv.AppendInt(dst, tc.day, 10)
	dst = append(dst, ' ')
	dst = append2(dst, tc.hour)
	dst = append(dst, ':')
	dst = append2(dst, tc.min)
	dst = append(dst, ':')
	dst = append2(dst, tc.s)
	dst = append(dst, ' ')
	return strconv.AppendInt(dst, tc.year, 10)
}

func append2(dst []byte, v int64) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

func commonFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		// Time, in the configured zone. %d{yy} is the 4-digit year (an NSS quirk).
		"mon":       perSecond(sel(func(e *event) []byte { return monthBytes[e.tc.month-1] })),
		"day":       perSecond(sel(func(e *event) []byte { return dayBytes[e.tc.wday] })),
		"mth":       perSecond(numAt(func(e *event) *int64 { return &e.tc.month })),
		"dd":        perSecond(numAt(func(e *event) *int64 { return &e.tc.day })),
		"hh":        perSecond(numAt(func(e *event) *int64 { return &e.tc.hour })),
		"mm":        perSecond(numAt(func(e *event) *int64 { return &e.tc.min })),
		"ss":        perSecond(numAt(func(e *event) *int64 { return &e.tc.s })),
		"yy":        perSecond(numAt(func(e *event) *int64 { return &e.tc.year })),
		"epochtime": perSecond(numAt(func(e *event) *int64 { return &e.tc.sec })),
		"time":      perSecond(txt(func(e *event, dst []byte) []byte { return appendTime(dst, e.tc) })),
		"tz":        perSecond(txt(func(e *event, dst []byte) []byte { return append(dst, e.tc.zone...) })),
		"recordid":  numAt(func(e *event) *int64 { return &e.recordID }),

		"cloudname":             lit("zscaler.net"),
		"company":               lit("Example Corp"),
		"deviceowner":           at(func(e *event) *[]byte { return &e.uv.deviceowner }),
		"devicehostname":        at(func(e *event) *[]byte { return &e.uv.devicehostname }),
		"devicename":            at(func(e *event) *[]byte { return &e.uv.devicename }),
		"devicemodel":           at(func(e *event) *[]byte { return &e.uv.devicemodel }),
		"deviceostype":          at(func(e *event) *[]byte { return &e.uv.deviceostype }),
		"devicetype":            at(func(e *event) *[]byte { return &e.uv.devicetype }),
		"deviceappversion":      at(func(e *event) *[]byte { return &e.uv.deviceappver }),
		"external_devid":        at(func(e *event) *[]byte { return &e.uv.externalDevID }),
		"ztunnelversion":        at(func(e *event) *[]byte { return &e.uv.ztunnel }),
		"cip":                   at(func(e *event) *[]byte { return &e.uv.cip }),
		"cpubip":                at(func(e *event) *[]byte { return &e.uv.cpubip }),
		"trafficredirectmethod": at(func(e *event) *[]byte { return &e.uv.redirect }),
		"deviceosversion":       sel(func(e *event) []byte { return osVersion(e.u.deviceostype) }),
		// No Feed Escape Character is configured by default, so nothing was hex encoded.
		"eedone": lit("No"),
		// No packet capture rule applies to generated traffic.
		"pcapid": lit("None"),
	}
	alias(fs, at(func(e *event) *[]byte { return &e.uv.login }), "login", "elogin", "user")
	alias(fs, at(func(e *event) *[]byte { return &e.uv.dept }), "dept", "edept", "department", "edepartment")
	alias(fs, at(func(e *event) *[]byte { return &e.uv.location }), "location", "elocation", "locationname", "userlocationname", "euserlocationname")
	return fs
}

// OS versions by %s{deviceostype}, as ZHELP's examples write them; "NA" without Client Connector.
var (
	osWindows = vb("Microsoft Windows 10 Enterprise;64 bit")
	osMac     = vb("Version 14.4.1 (Build 23E224)")
	osLinux   = vb("Ubuntu 22.04.4 LTS")
)

// osVersion returns the %s{deviceosversion} of a device of OS type ostype.
func osVersion(ostype []byte) []byte {
	switch string(ostype) {
	case "Windows OS":
		return osWindows
	case "Mac OS":
		return osMac
	case "Linux OS":
		return osLinux
	}
	return ostype // "NA": no Client Connector, no device fields
}

// aux returns 64 random bits for the field of this event that salt names, without drawing from the
// event's stream: fields added to the model after a release take their values from here, so the
// values every other field draws (and existing output) stay as they were.
func (e *event) aux(salt uint64) uint64 {
	return mix64(e.m.cfg.Seed ^ mix64(e.seq*golden^salt))
}

// Salts of the aux draws, one per field that needs one.
const (
	auxDatacenter uint64 = iota + 1
	auxDNSTCP
	auxThreatScore
	auxServerTime
	auxClientTime
)

// datacenter returns the Zscaler data center of the event for feeds that do not draw one.
func (e *event) datacenter() *[3][]byte {
	return &e.m.dcs[scale(e.aux(auxDatacenter), uint64(len(e.m.dcs)))]
}

// dcFields are the data center fields of the firewall and DNS feeds (web draws its own).
func dcFields(fs map[string]fieldSpec) {
	fs["datacenter"] = sel(func(e *event) []byte { return e.datacenter()[0] })
	fs["datacentercity"] = sel(func(e *event) []byte { return e.datacenter()[1] })
	fs["datacentercountry"] = sel(func(e *event) []byte { return e.datacenter()[2] })
}

// orgCountry is the country of the synthetic organisation's users (its egress is in one country).
var orgCountry = vb("United States")

// appendSubnet24 appends the /24 network of the IPv4 address ip ("203.0.113.0"), or "None" for a
// value that is not one.
func appendSubnet24(dst, ip []byte) []byte {
	for i := len(ip) - 1; i >= 0; i-- {
		if ip[i] == '.' {
			dst = append(dst, ip[:i+1]...)
			return append(dst, '0')
		}
	}
	return append(dst, bNone...)
}
