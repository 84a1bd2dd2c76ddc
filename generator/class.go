package generator

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/nssfmt"
	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/generator/vocab"
)

// classModel is a Class compiled against the model: its fixed values pre-rendered and indexed by
// nssfmt.Field, and the profile that correlates the drawn fields with the fixed ones.
type classModel struct {
	feed    verdict.Feed
	prog    *nssfmt.Program
	malform Malform
	tab     *feedTable
	setText [][]byte // by nssfmt.Field; nil = drawn
	setNum  []int64
	// text and num are the class's dispatch tables, indexed by nssfmt.Field: the feed's value
	// functions with the fixed fields replaced by their values (built by finish).
	text []textFn
	num  []numFn
	web  webProfile
	fw   fwProfile
	dns  dnsProfile
}

// webProfile correlates a web class's drawn fields with its reason and action.
type webProfile struct {
	action, reason []byte
	blocked        bool
	sites          []int        // candidate sites
	threat         *threatModel // nil unless the reason is a threat reason
	ruletype       []byte
	rulelabel      []byte
	urlfilterrule  []byte
	apprule        []byte
	unscannable    []byte
	filetype       []byte // nil = drawn (threat file types or None)
	sslFail        []byte // cltsslfailreason; nil = no client handshake failure
	lowTLS         bool
	badCert        bool
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

// dnsProfile correlates a DNS class's drawn fields with its actions and rules.
type dnsProfile struct {
	action, reqaction, resaction []byte
	rule, reqrule, resrule       []byte
	blocked                      bool
	sites                        []int
}

// Web reasons that carry threat fields (threatname, malwarecat, malwareclass, riskscore, severity).
var threatReasonPrefixes = []string{
	"IPS block", "Reputation block", "Custom reputation block", "PageRisk block", "Malware block",
	"Sandbox block", "Quarantined", "Blocked due to Rate-based", "Virus/Spyware/Malware Blocked",
	"This page is unsafe", "Destination contains potential phishing", "Blocked Mobile App exhibiting malicious behavior",
	"Not allowed to use Adware/Spyware sites",
}

// IsThreatReason reports whether a web policy reason is a threat verdict, i.e. whether its records
// carry a threat name, malware category and class, and a non-zero risk score.
func IsThreatReason(reason string) bool {
	for _, p := range threatReasonPrefixes {
		if strings.HasPrefix(reason, p) {
			return true
		}
	}
	return false
}

// IsSSLHandshakeReason reports whether a web policy reason is a TLS handshake failure.
func IsSSLHandshakeReason(reason string) bool {
	return lowerContains(reason, "SSL handshake", "low TLS version", "Bad SSL record", "Server Probe Failure",
		"establish SSL connection", "bad server certificate")
}

// WebAction returns the action NSS logs with a web policy reason: "Allowed" for the allow reasons,
// "Blocked" for all others (caution pages count as Blocked).
func WebAction(reason string) string {
	if strings.HasPrefix(reason, "Allow") || reason == "Isolate and Scan" || strings.HasPrefix(reason, "Secure Browsing warned") {
		return "Allowed"
	}
	return "Blocked"
}

func (m *model) compileClass(cm *classModel, c *Class) error {
	cm.feed, cm.prog, cm.malform = c.Feed, m.cfg.Programs[c.Feed], c.Malform
	cm.tab = &m.tables[c.Feed]
	known := fieldsOf(c.Feed)
	n := len(cm.tab.text)
	cm.setText, cm.setNum = make([][]byte, n), make([]int64, n)

	keys := make([]string, 0, len(c.Set))
	for k := range c.Set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, k := range keys {
		v := c.Set[k]
		f, inTable := nssfmt.FieldByName(k)
		if _, ok := known[k]; !ok && !inTable {
			errs = append(errs, fmt.Errorf("set[%q]: unknown NSS field", k))
			continue
		}
		if strings.ContainsAny(v, "\n\r") {
			errs = append(errs, fmt.Errorf("set[%q]: value contains a line break", k))
			continue
		}
		if (k == "action" || k == "reason" || k == "rulelabel") && strings.ContainsAny(v, "|\\") {
			errs = append(errs, fmt.Errorf("set[%q]: %q: '|' and '\\' would break the CEF header (NSS does not escape them)", k, v))
			continue
		}
		if inTable && int(f) < n {
			cm.setText[f] = []byte(v)
			cm.setNum[f], _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	set := func(k string) (string, bool) { v, ok := c.Set[k]; return v, ok }
	var err error
	switch c.Feed {
	case verdict.FeedWeb:
		err = m.compileWeb(cm, set)
	case verdict.FeedFirewall:
		err = m.compileFW(cm, set)
	case verdict.FeedDNS:
		err = m.compileDNS(cm, set)
	}
	cm.finish()
	cm.prog = cm.prog.Fold(cm.constant)
	return err
}

// constant returns the value of field f when the class alone decides it: fixed by the class, or a
// value of the feed's that does not vary per event.
func (cm *classModel) constant(f nssfmt.Field) (nssfmt.Constant, bool) {
	if int(f) >= len(cm.setText) {
		return nssfmt.Constant{Text: bNone}, true // outside the tables: AppendText gives "None", Number 0
	}
	if v := cm.setText[f]; v != nil {
		return nssfmt.Constant{Text: v, Number: cm.setNum[f]}, true
	}
	if c := cm.tab.class[f]; c != nil {
		return c(cm)
	}
	return nssfmt.Constant{}, false
}

// finish builds the class's dispatch tables once its fixed values are known.
func (cm *classModel) finish() {
	cm.text = append([]textFn(nil), cm.tab.text...)
	cm.num = append([]numFn(nil), cm.tab.num...)
	for f, v := range cm.setText {
		if v == nil {
			continue
		}
		n := cm.setNum[f]
		cm.text[f] = func(_ *event, dst []byte) []byte { return append(dst, v...) }
		cm.num[f] = func(*event) int64 { return n }
	}
}

// fix sets the rendering of field name to v unless the class already fixed it.
func (cm *classModel) fix(name, v string) {
	if f, ok := nssfmt.FieldByName(name); ok && int(f) < len(cm.setText) && cm.setText[f] == nil {
		cm.setText[f] = []byte(v)
	}
}

func (m *model) compileWeb(cm *classModel, set func(string) (string, bool)) error {
	p := &cm.web
	reason, ok := set("reason")
	if !ok {
		reason = "Allowed"
	}
	action, ok := set("action")
	if !ok {
		action = WebAction(reason)
	}
	p.reason, p.action = []byte(reason), []byte(action)
	p.blocked = action != "Allowed"
	if IsThreatReason(reason) {
		p.threat = m.threatFor(reason)
	}
	feature := ""
	for _, r := range vocab.PolicyReasons() {
		if r.Reason == reason {
			feature = r.Feature
			break
		}
	}
	none := []byte("None")
	p.ruletype, p.rulelabel, p.urlfilterrule, p.apprule, p.unscannable = none, none, none, none, none
	if p.blocked {
		switch {
		case feature == "SSL" || IsSSLHandshakeReason(reason):
			p.ruletype, p.rulelabel = []byte("SSLPol"), []byte("SSL_1")
		case feature == "Firewall Filtering":
			p.ruletype, p.rulelabel = []byte("FwFilter"), []byte("Firewall_1")
		case strings.Contains(feature, "URL Filtering"):
			p.urlfilterrule = []byte("URL_Filtering_1")
		case strings.Contains(feature, "Cloud App Control"):
			p.apprule = []byte("Cloud_App_Control_1")
		}
	}
	switch {
	case lowerContains(reason, "encrypted or password-protected"):
		p.unscannable, p.filetype = []byte("Encrypted File"), []byte("ZIP")
	case lowerContains(reason, "unscannable"):
		p.unscannable, p.filetype = []byte("Unscannable File"), []byte("RAR")
	}
	switch {
	case lowerContains(reason, "low TLS version"):
		p.lowTLS, p.sslFail = true, []byte("Low TLS Version")
	case lowerContains(reason, "bad server certificate"):
		p.badCert = true
	case lowerContains(reason, "failed client SSL handshake"):
		p.sslFail = []byte("Handshake Failure")
	case lowerContains(reason, "Bad SSL record"):
		p.sslFail = []byte("Bad Record")
	}

	// Destination: the reason decides the kind of site, a fixed urlcat or host narrows it.
	p.sites = m.groupSites[webGroup(reason, p.threat != nil)]
	if p.threat != nil && len(p.threat.fam.hosts) > 0 {
		p.sites = m.sitesByHost(p.threat.fam.hosts)
	}
	if v, ok := set("urlcat"); ok {
		var hit []int
		for i := range m.sites {
			if string(m.sites[i].urlcat) == v {
				hit = append(hit, i)
			}
		}
		if hit != nil {
			p.sites = hit
		}
		if super, ok := vocab.SuperCategory(v); ok {
			cm.fix("urlsupercat", super)
		} else {
			cm.fix("urlsupercat", "User-defined")
		}
	}
	if v, ok := set("host"); ok {
		for i := range m.sites {
			if string(m.sites[i].host) == v {
				p.sites = []int{i}
			}
		}
	}
	return nil
}

// sitesByHost returns the indexes of the sites called hosts.
func (m *model) sitesByHost(hosts []string) []int {
	var out []int
	for i := range m.sites {
		if contains(hosts, string(m.sites[i].host)) {
			out = append(out, i)
		}
	}
	if len(out) != len(hosts) {
		panic("BUG: generator: threat family names a host that is not a site: " + strings.Join(hosts, ", "))
	}
	return out
}

// webGroup chooses the kind of destination a web reason is about.
func webGroup(reason string, threat bool) siteGroup {
	switch {
	case threat || lowerContains(reason, "Adware/Spyware", "non-RFC", "archive files", "unscannable", "bad server certificate"):
		return groupThreat
	case lowerContains(reason, "Social Network"):
		return groupSocial
	case lowerContains(reason, "Webmail"):
		return groupWebmail
	case lowerContains(reason, "Streaming"):
		return groupStreaming
	case lowerContains(reason, "File Share", "upload files", "media files"):
		return groupFileShare
	case lowerContains(reason, "IM site", "post message"):
		return groupChat
	case lowerContains(reason, "browse this category", "Default URL Filtering", "Internet access cautioned",
		"Request method", "denylist", "time of day", "quota", "P2P"):
		return groupPolicy
	}
	return groupGeneral
}

// threatFor returns the threat family whose keywords match reason, or the fallback family.
func (m *model) threatFor(reason string) *threatModel {
	for i := range m.threats {
		if kw := m.threats[i].fam.keywords; kw != nil && lowerContains(reason, kw...) {
			return &m.threats[i]
		}
	}
	return &m.threats[len(m.threats)-1]
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
			m.services = append(m.services, svcModel{name: []byte(name), ipproto: []byte(proto),
				ranges: []vocab.PortRange{{Lo: uint16(p.port), Hi: uint16(p.port)}}, nwapps: [][]byte{[]byte(strings.ToLower(name))}})
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
	m.services = append(m.services, svcModel{name: []byte(name), ipproto: []byte(proto), ranges: vs.Ports(proto),
		nwapps: [][]byte{[]byte(strings.ToLower(name))}})
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
	m.services = append(m.services, svcModel{name: []byte(proto), ipproto: []byte(proto), nwapps: [][]byte{[]byte(strings.ToLower(proto))}})
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
	p.action, p.reqaction, p.resaction, p.rule = []byte(action), []byte(reqaction), []byte(resaction), []byte(rule)
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
	p.reqrule, p.resrule = []byte(reqrule), []byte(resrule)
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
