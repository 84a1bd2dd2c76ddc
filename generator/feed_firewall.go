package generator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/generator/vocab"
)

// The firewall feed (NSSFWlog): the generator's model of it, i.e. its field specs, the profile a class
// of it compiles to and what each event draws.

func init() {
	registerFeed(verdict.FeedFirewall, feedModel{fields: fwFields, compile: (*model).compileFW, draw: (*event).drawFW})
}

func fwFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":     cls(func(cm *classModel) []byte { return cm.fw.action }),
		"csip":       at(func(e *event) *[]byte { return &e.uv.cip }),
		"csport":     numAt(func(e *event) *int64 { return &e.csport }),
		"cdip":       at(func(e *event) *[]byte { return &e.cdip }),
		"cdport":     numAt(func(e *event) *int64 { return &e.dport }),
		"ssip":       at(func(e *event) *[]byte { return &e.ssip }),
		"ssport":     numAt(func(e *event) *int64 { return &e.ssport }),
		"sdip":       at(func(e *event) *[]byte { return &e.sdip }),
		"sdport":     numAt(func(e *event) *int64 { return &e.sdport }),
		"tsip":       at(func(e *event) *[]byte { return &e.uv.cpubip }),
		"ipproto":    at(func(e *event) *[]byte { return &e.ipproto }),
		"ttype":      at(func(e *event) *[]byte { return &e.uv.ttype }),
		"dnat":       lit("No"),
		"stateful":   lit("Yes"),
		"inbytes":    numAt(func(e *event) *int64 { return &e.inbytes }),
		"outbytes":   numAt(func(e *event) *int64 { return &e.outbytes }),
		"nwsvc":      at(func(e *event) *[]byte { return &e.nwsvc }),
		"nwapp":      at(func(e *event) *[]byte { return &e.nwapp }),
		"threatcat":  unlessThreat(at(func(e *event) *[]byte { return &e.threatcat })),
		"threatname": unlessThreat(at(func(e *event) *[]byte { return &e.fwThreat })),
		"aggregate": cls(func(cm *classModel) []byte {
			if cm.fw.aggregated {
				return bYes
			}
			return bNo
		}),
		"durationms":  numAt(func(e *event) *int64 { return &e.durationms }),
		"duration":    num(func(e *event) int64 { return e.durationms / 1000 }),
		"numsessions": numAt(func(e *event) *int64 { return &e.numsessions }),
		"avgduration": numAt(func(e *event) *int64 { return &e.avgduration }),
		"ipcat":       at(func(e *event) *[]byte { return &e.ipcat }),
		"destcountry": at(func(e *event) *[]byte { return &e.country }),
		"ipsrulelabel": cls(func(cm *classModel) []byte {
			if cm.fw.threat {
				return cm.fw.rule
			}
			return bNone
		}),
		// IPS: a threat's score (ThreatLabz, 0-100) and the severity it implies; 0 and None otherwise.
		"threat_score":   num(fwThreatScore),
		"threatseverity": sel(func(e *event) []byte { return sevNames[severityIndex(fwThreatScore(e))] }),
		// Zscaler's predefined IPS signatures, not a custom one.
		"ips_custom_signature": constNum(0),
		// "There is no source country value in logs for aggregated sessions that are allowed" (ZHELP).
		"srcip_country": cls(func(cm *classModel) []byte {
			if cm.fw.aggregated {
				return bNone
			}
			return orgCountry
		}),
		"cdfqdn":           lit("None"), // non-web sessions carry no host header
		"dnatrulelabel":    lit("None"), // dnat is "No"
		"rdr_rulename":     lit("None"),
		"fwd_gw_name":      lit("None"),
		"zpa_app_seg_name": lit("None"),
		"flow_type":        lit("ZIA"),
		"bypassed_traffic": constNum(0),
		"bypassed_etime":   lit("Thu Jan  1 00:00:00 1970"),
	}
	dcFields(fs)
	alias(fs, constNum(0), "tsport", "tunsport")
	alias(fs, cls(func(cm *classModel) []byte { return cm.fw.rule }), "rulelabel", "erulelabel")
	return fs
}

// fwThreatScore is the IPS score of a firewall event's threat: 75-100 (High or Critical, what an
// IPS block rule acts on), 0 without one.
func fwThreatScore(e *event) int64 {
	if !e.cls.fw.threat {
		return 0
	}
	return 75 + int64(scale(e.aux(auxThreatScore), 26))
}

// unlessThreat marks a firewall threat field as "None" for every event of a class without threats.
func unlessThreat(s fieldSpec) fieldSpec {
	s.class = func(cm *classModel) (nssfmt.Constant, bool) {
		return nssfmt.Constant{Text: bNone}, !cm.fw.threat
	}
	return s
}

// fwProfile correlates a firewall class's drawn fields with its rule and action.
type fwProfile struct {
	action, rule []byte
	blocked      bool // action is not an allow
	aggregated   bool // Standard firewall: allowed sessions are aggregated per 15 minutes
	svc          int  // index into model.services; -1 = drawn
	port         int  // fixed destination port; -1 = drawn from the service
	threat       bool
}

// fwDraw is what a firewall event draws beside its duration.
type fwDraw struct {
	svc         *svcModel
	nwsvc       []byte // svc's name and protocol, where a bound program reads them
	ipproto     []byte
	nwapp       []byte
	cdip        []byte
	ssip        []byte
	sdip        []byte
	dport       int64
	csport      int64
	ssport      int64
	sdport      int64
	inbytes     int64
	outbytes    int64
	numsessions int64
	avgduration int64 // durationms / numsessions
	country     []byte
	ipcat       []byte
	threatcat   []byte
	fwThreat    []byte
}

func (m *model) compileFW(cm *classModel, set func(string) (string, bool)) error {
	p := &cm.fw
	rule, ok := set("rulelabel")
	if !ok {
		rule = "Default Firewall Filtering Rule"
	}
	action, ok := set("action")
	if !ok {
		action = "Allow"
	}
	p.rule, p.action = []byte(rule), []byte(action)
	p.blocked = !strings.HasPrefix(action, "Allow")
	p.aggregated = action == "Allow"
	if v, ok := set("aggregate"); ok {
		p.aggregated = v == "Yes"
	}
	p.threat = lowerContains(rule, "Malicious", "IPS")
	if _, ok := set("threatcat"); ok {
		p.threat = true
	}
	p.svc, p.port = -1, -1
	if v, ok := set("cdport"); ok {
		port, err := strconv.ParseUint(v, 10, 16)
		if err != nil {
			return fmt.Errorf("set[\"cdport\"]: %q is not a port number", v)
		}
		p.port = int(port)
	}
	proto, protoSet := set("ipproto")
	if name, ok := set("nwsvc"); ok {
		p.svc = m.serviceByName(name, proto)
		if p.svc < 0 {
			if p.port < 0 {
				return fmt.Errorf("set[\"nwsvc\"]: %q is not a known network service; set cdport too", name)
			}
			if !protoSet {
				proto = "TCP"
			}
			m.services = append(m.services, svcModel{name: vb(name), ipproto: vb(proto),
				ranges: []vocab.PortRange{{Lo: uint16(p.port), Hi: uint16(p.port)}}, nwapps: [][]byte{vb(strings.ToLower(name))}})
			p.svc = len(m.services) - 1
		}
	} else if p.port >= 0 {
		p.svc = m.serviceByPort(uint16(p.port), proto)
	}
	if p.svc >= 0 && p.port >= 0 && len(m.services[p.svc].ranges) > 0 && !hasPort(m.services[p.svc].ranges, uint16(p.port)) {
		return fmt.Errorf("set[\"cdport\"]: port %d is not a port of network service %q", p.port, m.services[p.svc].name)
	}
	return nil
}

// serviceByName returns the index of the firewall service called name (adding a predefined one from
// the vocabulary if needed), or -1.
func (m *model) serviceByName(name, proto string) int {
	for i := range m.services {
		if string(m.services[i].name) == name && (proto == "" || string(m.services[i].ipproto) == proto) {
			return i
		}
	}
	vs, ok := vocab.LookupNetworkService(name)
	if !ok {
		return -1
	}
	if proto == "" {
		proto = "TCP"
		if len(vs.TCP) == 0 && len(vs.UDP) > 0 {
			proto = "UDP"
		}
	}
	m.services = append(m.services, svcModel{name: vb(name), ipproto: vb(proto), ranges: vs.Ports(proto),
		nwapps: [][]byte{vb(strings.ToLower(name))}})
	return len(m.services) - 1
}

// serviceByPort returns the index of the first service listing port, or a generic TCP/UDP service.
func (m *model) serviceByPort(port uint16, proto string) int {
	for i := range m.services {
		s := &m.services[i]
		if (proto == "" || string(s.ipproto) == proto) && hasPort(s.ranges, port) {
			return i
		}
	}
	for _, vs := range vocab.NetworkServices() {
		for _, pr := range []string{"TCP", "UDP"} {
			if (proto == "" || proto == pr) && vs.HasPort(pr, port) {
				return m.serviceByName(vs.Name, pr)
			}
		}
	}
	if proto == "" {
		proto = "TCP"
	}
	m.services = append(m.services, svcModel{name: vb(proto), ipproto: vb(proto), nwapps: [][]byte{vb(strings.ToLower(proto))}})
	return len(m.services) - 1
}

func hasPort(rs []vocab.PortRange, port uint16) bool {
	for _, r := range rs {
		if port >= r.Lo && port <= r.Hi {
			return true
		}
	}
	return false
}

func (e *event) drawFW(r *rng) {
	m, p := e.m, &e.cls.fw
	if p.svc >= 0 {
		e.svc = &m.services[p.svc]
	} else {
		e.svc = &m.services[m.svcPick.pick(r)]
	}
	e.nwsvc, e.ipproto = e.svc.name, e.svc.ipproto
	e.nwapp = e.svc.nwapps[r.intn(len(e.svc.nwapps))]
	switch {
	case p.port >= 0:
		e.dport = int64(p.port)
	case len(e.svc.ranges) > 0:
		pr := e.svc.ranges[r.intn(len(e.svc.ranges))]
		e.dport = int64(pr.Lo) + int64(r.intn(int(pr.Hi-pr.Lo)+1))
	case e.svc.ipproto[0] == 'I': // ICMP
		e.dport = 0
	default:
		e.dport = int64(r.between(1024, 65535))
	}
	e.cdip = m.serverIPs[r.intn(len(m.serverIPs))]
	if e.svc.ipproto[0] == 'I' {
		e.csport = 0
	} else {
		e.csport = int64(r.between(49152, 65535))
	}
	if p.blocked {
		e.ssip, e.ssport, e.sdip, e.sdport = m.zeroIP, 0, m.zeroIP, 0
	} else {
		e.ssip, e.ssport = m.zsIPs[r.intn(len(m.zsIPs))], int64(r.between(1024, 65535))
		e.sdip, e.sdport = e.cdip, e.dport
	}
	if p.aggregated {
		e.numsessions = int64(r.between(2, 40))
		avg := int64(r.logNormalish(20000, 4))
		e.durationms = avg * e.numsessions
		e.inbytes = int64(r.logNormalish(6000, 4)) * e.numsessions
		e.outbytes = int64(r.logNormalish(1500, 3)) * e.numsessions
	} else {
		e.numsessions = 1
		e.durationms = int64(r.logNormalish(3000, 4))
		e.outbytes = int64(r.logNormalish(1200, 3))
		e.inbytes = int64(r.logNormalish(4000, 4))
		if p.blocked {
			e.inbytes = 0
		}
	}
	e.avgduration = e.durationms / e.numsessions
	e.country = m.countries[m.countryW.pick(r)]
	e.ipcat = m.ipcats[m.ipcatW.pick(r)]
	if p.threat {
		e.threatcat = m.fwThreats[r.intn(len(m.fwThreats))]
		e.fwThreat = m.fwTNames[r.intn(len(m.fwTNames))]
	} else {
		e.threatcat, e.fwThreat = bNone, bNone
	}
}
