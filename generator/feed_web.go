package generator

import (
	"strconv"
	"strings"

	"github.com/nssbench/nssbench/generator/verdict"
	"github.com/nssbench/nssbench/generator/vocab"
)

// The web feed (NSSWeblog): the generator's model of it, i.e. its field specs, the profile a class of
// it compiles to and what each event draws.

func init() {
	registerFeed(verdict.FeedWeb, feedModel{fields: webFields, compile: (*model).compileWeb, draw: (*event).drawWeb})
}

const hexDigits = "0123456789abcdef"

func appendHex64(dst []byte, v uint64) []byte {
	for s := 60; s >= 0; s -= 4 {
		dst = append(dst, hexDigits[(v>>uint(s))&0xf])
	}
	return dst
}

// appendURL appends the URL as NSS logs it: host and path without scheme, host:443 for CONNECT.
func appendURL(e *event, dst []byte) []byte {
	dst = append(dst, e.site.host...)
	if e.method[0] == 'C' {
		return append(dst, ":443"...)
	}
	return append(dst, e.path...)
}

// ifHTTPS renders yes for inspected HTTPS transactions and no otherwise.
func ifHTTPS(yes, no string) fieldSpec {
	y, n := vb(yes), vb(no)
	return sel(func(e *event) []byte {
		if e.https {
			return y
		}
		return n
	})
}

var (
	tls13          = vb("TLSv1.3")
	tls12          = vb("TLSv1.2")
	tls10          = vb("TLSv1.0")
	cipher13       = vb("TLS_AES_256_GCM_SHA384")
	cipher12       = vb("ECDHE-RSA-AES128-GCM-SHA256")
	bYes           = vb("Yes")
	bNo            = vb("No")
	respNA         = vb("NA")
	bNotApplicable = vb("N/A")
	bFail          = vb("Fail")
	bPass          = vb("Pass")
	bUnknown       = vb("UNKNOWN")
	bSlash         = vb("/")
	sevNames       = [...][]byte{vb("None"), vb("Low"), vb("Medium"), vb("High"), vb("Critical")}
	urlclasses     = map[siteGroup][]byte{
		groupGeneral: vb("Business Use"), groupSocial: vb("Productivity Loss"), groupWebmail: vb("General Surfing"),
		groupStreaming: vb("Bandwidth Loss"), groupFileShare: vb("Privacy Risk"), groupChat: vb("Productivity Loss"),
		groupPolicy: vb("Legal Liability"), groupThreat: vb("Advanced Security Risk"),
	}
)

func severityIndex(risk int64) int {
	switch {
	case risk >= 90:
		return 4
	case risk >= 75:
		return 3
	case risk >= 46:
		return 2
	case risk >= 1:
		return 1
	}
	return 0
}

func (e *event) tlsVersion() []byte {
	switch {
	case e.cls.web.lowTLS:
		return tls10
	case e.tls13:
		return tls13
	}
	return tls12
}

func webFields() map[string]fieldSpec {
	fs := map[string]fieldSpec{
		"action":         cls(func(cm *classModel) []byte { return cm.web.action }),
		"reason":         cls(func(cm *classModel) []byte { return cm.web.reason }),
		"proto":          at(func(e *event) *[]byte { return &e.proto }),
		"reqmethod":      at(func(e *event) *[]byte { return &e.method }),
		"urlcat":         sel(func(e *event) []byte { return e.site.urlcat }),
		"urlsupercat":    sel(func(e *event) []byte { return e.site.urlsupercat }),
		"urlclass":       sel(func(e *event) []byte { return e.site.urlclass }),
		"urlcatmethod":   lit("Database A"),
		"appname":        sel(func(e *event) []byte { return e.site.appname }),
		"appclass":       sel(func(e *event) []byte { return e.site.appclass }),
		"module":         sel(func(e *event) []byte { return e.site.appclass }),
		"app_risk_score": lit("None"),
		"ua":             at(func(e *event) *[]byte { return &e.ua }),
		"ua_token":       lit("None"),
		"uaclass":        lit("None"),
		"sip":            sel(func(e *event) []byte { return e.site.ip }),
		"cintip":         at(func(e *event) *[]byte { return &e.uv.cip }),
		"respcode": {
			text: func(e *event, dst []byte) []byte {
				if e.respcode == 0 {
					return append(dst, respNA...)
				}
				return strconv.AppendInt(dst, e.respcode, 10)
			},
			num: func(e *event) int64 { return e.respcode },
		},
		"reqsize":      numAt(func(e *event) *int64 { return &e.reqsize }),
		"respsize":     numAt(func(e *event) *int64 { return &e.respsize }),
		"reqhdrsize":   numAt(func(e *event) *int64 { return &e.reqhdr }),
		"reqdatasize":  numAt(func(e *event) *int64 { return &e.reqdata }),
		"resphdrsize":  numAt(func(e *event) *int64 { return &e.resphdr }),
		"respdatasize": numAt(func(e *event) *int64 { return &e.respdata }),
		"totalsize":    numAt(func(e *event) *int64 { return &e.totalsize }),
		"clt_sport":    numAt(func(e *event) *int64 { return &e.cltSport }),
		"riskscore":    numAt(func(e *event) *int64 { return &e.risk }),
		"threatseverity": sel(func(e *event) []byte {
			return sevNames[severityIndex(e.risk)]
		}),
		"threatname": at(func(e *event) *[]byte { return &e.threatName }),
		"malwarecat": at(func(e *event) *[]byte { return &e.malwarecat }),
		"malwareclass": cls(func(cm *classModel) []byte {
			if cm.web.threat == nil {
				return bNone
			}
			return cm.web.threat.class
		}),
		"filetype": at(func(e *event) *[]byte { return &e.filetype }),
		"bamd5": txt(func(e *event, dst []byte) []byte {
			if e.cls.web.threat == nil {
				return append(dst, bNone...)
			}
			return appendHex64(appendHex64(dst, e.hash[0]), e.hash[1])
		}),
		"sha256": txt(func(e *event, dst []byte) []byte {
			if e.cls.web.threat == nil {
				return append(dst, bNone...)
			}
			for _, h := range e.hash {
				dst = appendHex64(dst, h)
			}
			return dst
		}),
		"contenttype":       at(func(e *event) *[]byte { return &e.ctype }),
		"unscannabletype":   cls(func(cm *classModel) []byte { return cm.web.unscannable }),
		"keyprotectiontype": lit("N/A"),
		"dlpeng":            lit("None"),
		"dlpdict":           lit("None"),
		"dlpdicthitcount":   lit("None"),
		"dlpidentifier":     constNum(0),
		"dlpmd5":            lit("None"),
		"dlprulename":       lit("NA"),
		"throttlereqsize":   constNum(0),
		"throttlerespsize":  constNum(0),
		"bwthrottle":        lit("NO"),
		"bwclassname":       lit("General Surfing"),
		"bwrulename":        lit("No Bandwidth Control"),
		"datacenter":        sel(func(e *event) []byte { return e.dc[0] }),
		"datacentercity":    sel(func(e *event) []byte { return e.dc[1] }),
		"datacentercountry": sel(func(e *event) []byte { return e.dc[2] }),
		"rdr_rulename":      lit("None"),
		"fwd_type":          lit("None"),
		"fwd_gw_name":       lit("None"),
		"fwd_gw_ip":         lit("0.0.0.0"),
		"zpa_app_seg_name":  lit("None"),
		"df_hosthead":       lit("None"),
		"df_hostname":       lit("None"),
		"reqversion":        lit("1.1"),
		"respversion":       lit("1.1"),
		"mobappname":        lit("None"),
		"mobappcat":         lit("None"),
		"mobdevtype":        lit("None"),
		"alpnprotocol":      ifHTTPS("h2", "N/A"),
		"ruletype":          cls(func(cm *classModel) []byte { return cm.web.ruletype }),
		"ssldecrypted":      ifHTTPS("Yes", "No"),
		"externalspr":       ifHTTPS("Inspected", "NA"),
		"clientsslcipher": sel(func(e *event) []byte {
			switch {
			case !e.https:
				return bNone
			case e.tls13 && !e.cls.web.lowTLS:
				return cipher13
			}
			return cipher12
		}),
		"clienttlsversion": sel(func(e *event) []byte {
			if !e.https && !e.cls.web.lowTLS {
				return bNone
			}
			return e.tlsVersion()
		}),
		"clientsslsessreuse": ifHTTPS("No", "UNKNOWN"),
		"cltsslfailreason": sel(func(e *event) []byte {
			if f := e.cls.web.sslFail; f != nil {
				return f
			}
			return bNotApplicable
		}),
		"cltsslfailcount": num(func(e *event) int64 {
			if e.cls.web.sslFail != nil {
				return 1 + int64(e.seq%3)
			}
			return 0
		}),
		"srvsslcipher":  ifHTTPS("ECDHE-RSA-AES128-GCM-SHA256", "None"),
		"srvtlsversion": ifHTTPS("TLSv1.2", "None"),
		"srvocspresult": ifHTTPS("Good", "None"),
		"srvcertchainvalpass": sel(func(e *event) []byte {
			switch {
			case e.cls.web.badCert:
				return bFail
			case e.https:
				return bPass
			}
			return bUnknown
		}),
		"srvwildcardcert":       ifHTTPS("No", "UNKNOWN"),
		"serversslsessreuse":    ifHTTPS("No", "UNKNOWN"),
		"srvcertvalidationtype": ifHTTPS("DV", "None"),
		"srvcertvalidityperiod": ifHTTPS("Short", "None"),
		"is_ssluntrustedca": sel(func(e *event) []byte {
			if e.cls.web.badCert {
				return bYes
			}
			return bNo
		}),
		"is_sslselfsigned":   ifHTTPS("No", "UNKNOWN"),
		"is_sslexpiredca":    ifHTTPS("No", "UNKNOWN"),
		"bypassed_traffic":   constNum(0),
		"bypassed_etime":     lit("Thu Jan  1 00:00:00 1970"),
		"flow_type":          lit("ZIA"),
		"productversion":     lit("6.2r.585_prod.61.394881_114"),
		"nsssvcip":           lit("10.1.2.7"),
		"fileclass":          lit("None"),
		"filesubtype":        lit("None"),
		"upload_fileclass":   lit("None"),
		"upload_filetype":    lit("None"),
		"upload_filename":    lit("None"),
		"upload_filesubtype": lit("None"),
		"upload_doctypename": lit("None"),
	}
	alias(fs, txt(appendURL), "url", "eurl")
	alias(fs, sel(func(e *event) []byte { return e.site.host }), "host", "ehost")
	alias(fs, sel(func(e *event) []byte {
		if e.method[0] == 'C' {
			return bSlash
		}
		return e.path
	}), "urlpath", "eurlpath")
	alias(fs, txt(func(e *event, dst []byte) []byte {
		if !e.hasRef {
			return append(dst, bNone...)
		}
		return append(append(dst, e.site.host...), '/')
	}), "referer", "ereferer")
	alias(fs, sel(func(e *event) []byte {
		if !e.hasRef {
			return bNone
		}
		return e.site.host
	}), "refererhost", "erefererhost")
	alias(fs, lit("None"), "refererpath", "erefererpath")
	alias(fs, cls(func(cm *classModel) []byte { return cm.web.rulelabel }), "rulelabel", "erulelabel")
	alias(fs, cls(func(cm *classModel) []byte { return cm.web.urlfilterrule }), "urlfilterrulelabel", "eurlfilterrulelabel", "ourlfilterrulelabel")
	alias(fs, cls(func(cm *classModel) []byte { return cm.web.apprule }), "apprulelabel", "eapprulelabel")
	alias(fs, txt(func(e *event, dst []byte) []byte {
		if e.cls.web.threat == nil || e.filetype[0] == 'N' {
			return append(dst, bNone...)
		}
		dst = append(dst, "file_"...)
		dst = strconv.AppendUint(dst, e.hash[2]%100000, 10)
		dst = append(dst, '.')
		for _, c := range e.filetype {
			dst = append(dst, c|0x20)
		}
		return dst
	}), "filename", "fname")
	webDocFields(fs)
	return fs
}

// webDocFields adds the fields of Zscaler's web field table that its published formats do not use
// (ZHELP nss-feed-output-format-web-logs).
func webDocFields(fs map[string]fieldSpec) {
	// The server's port: 80 for plain HTTP, 443 for HTTPS, SSL and CONNECT tunnels.
	fs["srv_dport"] = num(func(e *event) int64 {
		if string(e.proto) == "HTTP" {
			return 80
		}
		return 443
	})
	fs["srcip_country"] = lit(string(orgCountry))
	fs["dstip_country"] = sel(func(e *event) []byte { return e.m.countryOfIP(e.site.ip) })
	fs["is_src_cntry_risky"] = lit("No")
	fs["is_dst_cntry_risky"] = lit("No")
	// Server and client round-trip times in ms; 0 for a blocked transaction, which reaches no server
	// (ZHELP's blocked sample has 0 and 0).
	fs["stime"] = num(func(e *event) int64 {
		if e.cls.web.blocked {
			return 0
		}
		return 5 + int64(scale(e.aux(auxServerTime), 400))
	})
	fs["ctime"] = num(func(e *event) int64 {
		if e.cls.web.blocked {
			return 0
		}
		return 5 + int64(scale(e.aux(auxServerTime), 400)) + int64(scale(e.aux(auxClientTime), 120))
	})
	// Cloud-app fields: general browsing is no sanctioned application and has no activity.
	fs["app_status"] = sel(func(e *event) []byte {
		if string(e.site.appname) == "General Browsing" {
			return bNotApplicable
		}
		return appSanctioned
	})
	fs["activity"] = sel(func(e *event) []byte {
		switch {
		case string(e.site.appname) == "General Browsing":
			return bNone
		case e.method[0] == 'P':
			return activityUpload
		}
		return activityDownload
	})
	// Generative-AI prompts, cloud instances, DLP and file type allow rules: none apply to the
	// model's traffic, and NSS prints None.
	for _, n := range []string{"prompt_req", "inst_level1_type", "inst_level1_id", "inst_level1_name",
		"inst_level2_type", "inst_level2_id", "inst_level2_name", "inst_level3_type", "inst_level3_id",
		"inst_level3_name", "trig_dlprulename", "other_dlprulenames", "all_dlprulenames", "ft_rulename"} {
		fs[n] = lit("None")
	}
}

var (
	appSanctioned    = []byte("Sanctioned")
	activityUpload   = []byte("Upload")
	activityDownload = []byte("Download")
)

// countryOfIP returns the destination country of server address ip: fixed per address, drawn from
// the destination countries by their weights.
func (m *model) countryOfIP(ip []byte) []byte {
	h := uint64(14695981039346656037)
	for _, c := range ip {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return m.countries[m.countryW.table[scale(mix64(h), uint64(len(m.countryW.table)))]]
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

// webDraw is what a web event draws beside the site.
type webDraw struct {
	path       []byte
	proto      []byte
	method     []byte
	ua         []byte
	respcode   int64 // 0 renders "NA"
	reqhdr     int64
	reqdata    int64
	resphdr    int64
	respdata   int64
	reqsize    int64 // reqhdr + reqdata
	respsize   int64 // resphdr + respdata
	totalsize  int64 // reqsize + respsize
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
		p.unscannable, p.filetype = vb("Encrypted File"), vb("ZIP")
	case lowerContains(reason, "unscannable"):
		p.unscannable, p.filetype = vb("Unscannable File"), vb("RAR")
	}
	switch {
	case lowerContains(reason, "low TLS version"):
		p.lowTLS, p.sslFail = true, vb("Low TLS Version")
	case lowerContains(reason, "bad server certificate"):
		p.badCert = true
	case lowerContains(reason, "failed client SSL handshake"):
		p.sslFail = vb("Handshake Failure")
	case lowerContains(reason, "Bad SSL record"):
		p.sslFail = vb("Bad Record")
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

var (
	reqGET     = vb("GET")
	reqPOST    = vb("POST")
	reqCONNECT = vb("CONNECT")
	reqNA      = vb("NA")
	protoHTTP  = vb("HTTP")
	protoHTTPS = vb("HTTPS")
	protoProxy = vb("HTTP_PROXY")
	protoSSL   = vb("SSL")
	ztunnelUA  = vb("Windows Microsoft Windows 10 Pro ZTunnel/1.0")
)

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
	e.reqsize, e.respsize = e.reqhdr+e.reqdata, e.resphdr+e.respdata
	e.totalsize = e.reqsize + e.respsize
}
