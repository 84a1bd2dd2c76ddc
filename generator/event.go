package generator

import (
	"time"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
)

// event is the state of the record being rendered: the class, the user, the time and the latent draws
// the field functions derive values from. It implements nssfmt.Values. All byte slices point into the
// model's immutable tables, so rendering copies but never allocates.
type event struct {
	m        *model
	cls      *classModel
	tc       *timeCache
	seq      uint64
	recordID int64
	u        *user
	ns       int64 // virtual time, Unix nanoseconds

	// web
	site       *siteModel
	path       []byte
	proto      []byte
	method     []byte
	ua         []byte
	respcode   int64 // 0 renders "NA"
	reqhdr     int64
	reqdata    int64
	resphdr    int64
	respdata   int64
	risk       int64
	threatName []byte
	malwarecat []byte
	filetype   []byte
	hash       [4]uint64
	ctype      []byte
	dc         *[3][]byte
	cltSport   int64
	https      bool
	hasRef     bool
	tls13      bool

	// firewall
	svc         *svcModel
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
	durationms  int64
	numsessions int64
	country     []byte
	ipcat       []byte
	threatcat   []byte
	fwThreat    []byte

	// dns
	reqtype []byte
	res     []byte
	sip     []byte
}

var _ nssfmt.Values = (*event)(nil)

// AppendText appends the %s value of field f: the class's fixed value if it has one, else the drawn one.
func (e *event) AppendText(dst []byte, f nssfmt.Field) []byte {
	if t := e.cls.text; int(f) < len(t) {
		return t[f](e, dst)
	}
	return append(dst, "None"...)
}

// Number returns the %d value of field f.
func (e *event) Number(f nssfmt.Field) int64 {
	if t := e.cls.num; int(f) < len(t) {
		return t[f](e)
	}
	return 0
}

var (
	reqGET     = []byte("GET")
	reqPOST    = []byte("POST")
	reqCONNECT = []byte("CONNECT")
	reqNA      = []byte("NA")
	protoHTTP  = []byte("HTTP")
	protoHTTPS = []byte("HTTPS")
	protoProxy = []byte("HTTP_PROXY")
	protoSSL   = []byte("SSL")
	bNone      = []byte("None")
	ztunnelUA  = []byte("Windows Microsoft Windows 10 Pro ZTunnel/1.0")
	dnsA       = []byte("A")
	dnsAAAA    = []byte("AAAA")
	dnsUnknown = []byte("UNKNOWN")
	emptyResp  = []byte("EMPTY_RESP")
	notFound   = []byte("NotFound")
)

// begin draws everything event seq of class c needs. r is the event's own stream.
func (e *event) begin(c *classModel, seq uint64, recordID uint64, r *rng) {
	m := e.m
	e.cls, e.seq, e.recordID = c, seq, int64(recordID)
	e.ns = m.startNs + int64(seq)*m.gapNs + int64(scale64(r.next(), uint64(m.gapNs)))
	e.tc.set(e.ns, m.cfg.Location)
	// Activity is skewed: the minimum of two uniform draws favours low-numbered users.
	n := len(m.org.users)
	a, b := r.intn(n), r.intn(n)
	e.u = &m.org.users[min(a, b)]
	switch c.feed {
	case verdict.FeedWeb:
		e.drawWeb(r)
	case verdict.FeedFirewall:
		e.drawFW(r)
	case verdict.FeedDNS:
		e.drawDNS(r)
	}
}

func (e *event) drawWeb(r *rng) {
	m, p := e.m, &e.cls.web
	e.site = &m.sites[p.sites[r.intn(len(p.sites))]]
	e.path = e.site.paths[r.intn(len(e.site.paths))]
	e.ua = e.u.ua
	x := r.intn(100)
	switch {
	case x < 62:
		e.proto, e.https = protoHTTPS, true
		e.method = reqGET
		if r.intn(4) == 0 {
			e.method = reqPOST
		}
	case x < 80:
		e.proto, e.method, e.https = protoProxy, reqCONNECT, false
		if e.u.loc.zcc {
			e.ua = ztunnelUA // Client Connector's tunnel announces itself
		}
	case x < 93:
		e.proto, e.method, e.https = protoHTTP, reqGET, false
	case p.threat != nil || p.filetype != nil: // finding a threat or a file needs inspection
		e.proto, e.method, e.https = protoHTTPS, reqGET, true
	default:
		e.proto, e.method, e.https = protoSSL, reqNA, false
	}
	if e.method[0] != 'C' && r.intn(8) == 0 {
		e.ua = m.agentUAs[r.intn(len(m.agentUAs))]
	}
	e.tls13 = r.intn(4) != 0
	e.hasRef = e.method[0] != 'C' && r.intn(3) == 0
	e.reqhdr = int64(r.between(280, 900))
	if e.method[0] == 'P' {
		e.reqdata = int64(r.logNormalish(1800, 3))
	} else {
		e.reqdata = 0
	}
	switch {
	case p.blocked:
		e.respcode = 403
		e.resphdr = int64(r.between(150, 260))
		e.respdata = int64(r.between(1800, 14000))
	case e.proto[0] == 'S': // SSL, not inspected
		e.respcode = 0
		e.resphdr, e.respdata = 0, 0
	default:
		switch y := r.intn(100); {
		case y < 86:
			e.respcode = 200
		case y < 92:
			e.respcode = 206
		case y < 96:
			e.respcode = 304
		default:
			e.respcode = 302
		}
		e.resphdr = int64(r.between(180, 900))
		e.respdata = int64(r.logNormalish(9000, 5))
		if e.method[0] == 'C' {
			e.resphdr, e.respdata = 65, 0
		}
	}
	e.filetype = p.filetype
	if t := p.threat; t != nil {
		e.threatName = t.names[r.intn(len(t.names))]
		e.malwarecat = t.malwarecat[r.intn(len(t.malwarecat))]
		e.risk = int64(r.between(t.fam.riskLo, t.fam.riskHi))
		if e.filetype == nil && len(t.filetypes) > 0 {
			e.filetype = t.filetypes[r.intn(len(t.filetypes))]
		}
		e.hash = [4]uint64{r.next(), r.next(), r.next(), r.next()}
	} else {
		e.threatName, e.malwarecat, e.risk = bNone, bNone, 0
	}
	if e.filetype == nil {
		e.filetype = bNone
	}
	e.ctype = m.ctypes[m.ctypeW.pick(r)]
	e.dc = &m.dcs[r.intn(len(m.dcs))]
	e.cltSport = int64(r.between(49152, 65535))
}

func (e *event) drawFW(r *rng) {
	m, p := e.m, &e.cls.fw
	if p.svc >= 0 {
		e.svc = &m.services[p.svc]
	} else {
		e.svc = &m.services[m.svcPick.pick(r)]
	}
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
	e.country = m.countries[m.countryW.pick(r)]
	e.ipcat = m.ipcats[m.ipcatW.pick(r)]
	if p.threat {
		e.threatcat = m.fwThreats[r.intn(len(m.fwThreats))]
		e.fwThreat = m.fwTNames[r.intn(len(m.fwTNames))]
	} else {
		e.threatcat, e.fwThreat = bNone, bNone
	}
}

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

// timeCache holds the calendar fields of the current virtual second in the configured zone; it is
// recomputed only when the second changes.
type timeCache struct {
	ok                             bool
	sec                            int64
	year, month, day, hour, min, s int64
	wday                           time.Weekday
	zone                           string
}

func (tc *timeCache) set(ns int64, loc *time.Location) {
	sec := ns / 1e9
	if ns < 0 && ns%1e9 != 0 {
		sec--
	}
	if tc.ok && sec == tc.sec {
		return
	}
	t := time.Unix(sec, 0).In(loc)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	tc.ok, tc.sec = true, sec
	tc.year, tc.month, tc.day, tc.hour, tc.min, tc.s = int64(y), int64(mo), int64(d), int64(h), int64(mi), int64(s)
	tc.wday = t.Weekday()
	tc.zone, _ = t.Zone()
}
