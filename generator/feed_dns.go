package generator

import (
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
)

// The DNS feed (NSSDNSlog): the generator's model of it, i.e. its field specs, the profile a class of it
// compiles to and what each event draws.

func init() {
	registerFeed(verdict.FeedDNS, feedModel{fields: dnsFields, compile: (*model).compileDNS, draw: (*event).drawDNS})
}

func dnsFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":       cls(func(cm *classModel) []byte { return cm.dns.action }),
		"reqaction":    cls(func(cm *classModel) []byte { return cm.dns.reqaction }),
		"resaction":    cls(func(cm *classModel) []byte { return cm.dns.resaction }),
		"reqrulelabel": cls(func(cm *classModel) []byte { return cm.dns.reqrule }),
		"resrulelabel": cls(func(cm *classModel) []byte { return cm.dns.resrule }),
		"reqtype":      at(func(e *event) *[]byte { return &e.reqtype }),
		"req":          sel(func(e *event) []byte { return e.site.host }),
		"res":          at(func(e *event) *[]byte { return &e.res }),
		"sip":          at(func(e *event) *[]byte { return &e.sip }),
		"sport":        constNum(53),
		"durationms":   num(func(e *event) int64 { return e.durationms }),
		"domcat":       sel(func(e *event) []byte { return e.site.urlcat }),
		"respipcat":    sel(func(e *event) []byte { return e.site.urlcat }),
		"protocol": sel(func(e *event) []byte {
			if e.dnsTCP() {
				return protoTCP
			}
			return protoUDP
		}),
		"istcp": num(func(e *event) int64 {
			if e.dnsTCP() {
				return 1
			}
			return 0
		}),
		"srv_dport": constNum(53), // the resolver's port, as sport
		// The client's public /24, which EDNS Client Subnet passes on to authoritative servers.
		"ecs_prefix": txt(func(e *event, dst []byte) []byte { return appendSubnet24(dst, e.u.cpubip) }),
		"ecs_slot":   lit("ECS Slot #1"),
		// No DNS Gateway rule and no DNS over HTTPS in the model.
		"dnsgw_slot":      lit("None"),
		"dnsgw_srv_proto": lit("None"),
		"dnsgw_flags":     lit("None"),
		"http_code":       lit("None"),
		"restype": sel(func(e *event) []byte {
			return resType(e.res)
		}),
		"dnsapp":    lit("None"),
		"dnsappcat": lit("None"),
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
	dcFields(fs)
	return fs
}

var (
	protoTCP = vb("TCP")
	protoUDP = vb("UDP")
	resIPv4  = vb("IPv4")
	resIPv6  = vb("IPv6")
)

// dnsTCP reports whether the DNS event went over TCP: about 1 in 25 lookups, the ones retried after
// a truncated UDP answer.
func (e *event) dnsTCP() bool { return e.aux(auxDNSTCP)%25 == 0 }

// resType returns %s{restype} for the response res: IPv4 or IPv6 for an address, None otherwise.
func resType(res []byte) []byte {
	for _, c := range res {
		switch c {
		case ':':
			return resIPv6
		case '.':
			if res[0] >= '0' && res[0] <= '9' {
				return resIPv4
			}
			return bNone
		}
	}
	return bNone
}

var reqBlocked = vb("REQ_BLOCKED")

// dnsProfile correlates a DNS class's drawn fields with its actions and rules.
type dnsProfile struct {
	action, reqaction, resaction []byte
	rule, reqrule, resrule       []byte
	blocked                      bool
	sites                        []int
}

// dnsDraw is what a DNS event draws beside the site and its duration.
type dnsDraw struct {
	reqtype []byte
	res     []byte
	sip     []byte
}

func (m *model) compileDNS(cm *classModel, set func(string) (string, bool)) error {
	p := &cm.dns
	rule, ok := set("rulelabel")
	if !ok {
		rule = "Default Firewall DNS Rule"
	}
	req, res := "allow", "allow"
	action, hasAction := set("action")
	if hasAction {
		var ok bool
		if req, res, ok = parseDNSAction(action); !ok {
			req, res = "none", "none"
		}
	}
	reqaction, hasReq := set("reqaction")
	resaction, hasRes := set("resaction")
	if hasReq {
		req = dnsVerb(reqaction)
	} else {
		reqaction = dnsActionWord(req)
	}
	if hasRes {
		res = dnsVerb(resaction)
	} else {
		if !hasAction && req != "allow" {
			res = "none" // a blocked request gets no response
		}
		resaction = dnsActionWord(res)
	}
	if !hasAction {
		action = "Req(" + req + "),Res(" + res + ")"
	}
	p.action, p.reqaction, p.resaction, p.rule = vb(action), vb(reqaction), vb(resaction), vb(rule)
	p.blocked = req != "allow" || res != "allow"
	reqrule, ok := set("reqrulelabel")
	if !ok {
		reqrule = rule
	}
	resrule, ok := set("resrulelabel")
	if !ok {
		resrule = rule
		if req != "allow" {
			resrule = "None"
		}
	}
	p.reqrule, p.resrule = vb(reqrule), vb(resrule)
	if p.blocked {
		p.sites = append(append([]int(nil), m.groupSites[groupThreat]...), m.groupSites[groupPolicy]...)
	} else {
		for g := groupGeneral; g < numGroups; g++ {
			if g != groupThreat && g != groupPolicy {
				p.sites = append(p.sites, m.groupSites[g]...)
			}
		}
	}
	return nil
}

// parseDNSAction splits "Req(allow),Res(block)" into its verbs.
func parseDNSAction(a string) (req, res string, ok bool) {
	l, r, ok := strings.Cut(a, ",")
	if !ok || !strings.HasPrefix(l, "Req(") || !strings.HasSuffix(l, ")") || !strings.HasPrefix(r, "Res(") || !strings.HasSuffix(r, ")") {
		return "", "", false
	}
	return strings.ToLower(l[4 : len(l)-1]), strings.ToLower(r[4 : len(r)-1]), true
}

// dnsVerb maps a reqaction/resaction value ("Allow", "REQ_ALLOW", "Block", "RES_BLOCK") to a verb.
func dnsVerb(a string) string {
	switch l := strings.ToLower(a); {
	case strings.HasSuffix(l, "allow"):
		return "allow"
	case strings.HasSuffix(l, "block"):
		return "block"
	case l == "none" || l == "":
		return "none"
	default:
		return l
	}
}

// dnsActionWord renders a verb as the sample form of reqaction/resaction ("Allow", "Block", "None").
func dnsActionWord(v string) string {
	if v == "" {
		return "None"
	}
	return strings.ToUpper(v[:1]) + v[1:]
}

var (
	dnsA       = vb("A")
	dnsAAAA    = vb("AAAA")
	dnsUnknown = vb("UNKNOWN")
	emptyResp  = vb("EMPTY_RESP")
	notFound   = vb("NotFound")
)

func (e *event) drawDNS(r *rng) {
	m, p := e.m, &e.cls.dns
	e.site = &m.sites[p.sites[r.intn(len(p.sites))]]
	e.sip = m.resolvers[r.intn(len(m.resolvers))]
	switch x := r.intn(100); {
	case x < 68:
		e.reqtype, e.res = dnsA, e.site.ip
	case x < 93:
		e.reqtype, e.res = dnsAAAA, e.site.ip6
		if r.intn(5) == 0 {
			e.res = emptyResp
		}
	default:
		e.reqtype, e.res = dnsUnknown, notFound
	}
	if p.blocked {
		e.res = bNone
		e.durationms = 0
	} else {
		e.durationms = int64(r.intn(8)) + int64(r.intn(4))*int64(r.intn(40))
	}
}
