package generator

import "strconv"

// Field specs of the web feed (NSSWeblog).

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
	y, n := []byte(yes), []byte(no)
	return fieldSpec{text: func(e *event, dst []byte) []byte {
		if e.https {
			return append(dst, y...)
		}
		return append(dst, n...)
	}}
}

var (
	tls13          = []byte("TLSv1.3")
	tls12          = []byte("TLSv1.2")
	tls10          = []byte("TLSv1.0")
	cipher13       = []byte("TLS_AES_256_GCM_SHA384")
	cipher12       = []byte("ECDHE-RSA-AES128-GCM-SHA256")
	bYes           = []byte("Yes")
	bNo            = []byte("No")
	respNA         = []byte("NA")
	bNotApplicable = []byte("N/A")
	sevNames       = [...][]byte{[]byte("None"), []byte("Low"), []byte("Medium"), []byte("High"), []byte("Critical")}
	urlclasses     = map[siteGroup][]byte{
		groupGeneral: []byte("Business Use"), groupSocial: []byte("Productivity Loss"), groupWebmail: []byte("General Surfing"),
		groupStreaming: []byte("Bandwidth Loss"), groupFileShare: []byte("Privacy Risk"), groupChat: []byte("Productivity Loss"),
		groupPolicy: []byte("Legal Liability"), groupThreat: []byte("Advanced Security Risk"),
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
		"proto":          txt(func(e *event, dst []byte) []byte { return append(dst, e.proto...) }),
		"reqmethod":      txt(func(e *event, dst []byte) []byte { return append(dst, e.method...) }),
		"urlcat":         txt(func(e *event, dst []byte) []byte { return append(dst, e.site.urlcat...) }),
		"urlsupercat":    txt(func(e *event, dst []byte) []byte { return append(dst, e.site.urlsupercat...) }),
		"urlclass":       txt(func(e *event, dst []byte) []byte { return append(dst, e.site.urlclass...) }),
		"urlcatmethod":   lit("Database A"),
		"appname":        txt(func(e *event, dst []byte) []byte { return append(dst, e.site.appname...) }),
		"appclass":       txt(func(e *event, dst []byte) []byte { return append(dst, e.site.appclass...) }),
		"module":         txt(func(e *event, dst []byte) []byte { return append(dst, e.site.appclass...) }),
		"app_risk_score": lit("None"),
		"ua":             txt(func(e *event, dst []byte) []byte { return append(dst, e.ua...) }),
		"ua_token":       lit("None"),
		"uaclass":        lit("None"),
		"sip":            txt(func(e *event, dst []byte) []byte { return append(dst, e.site.ip...) }),
		"cintip":         txt(func(e *event, dst []byte) []byte { return append(dst, e.u.cip...) }),
		"respcode": {
			text: func(e *event, dst []byte) []byte {
				if e.respcode == 0 {
					return append(dst, respNA...)
				}
				return strconv.AppendInt(dst, e.respcode, 10)
			},
			num: func(e *event) int64 { return e.respcode },
		},
		"reqsize":      num(func(e *event) int64 { return e.reqhdr + e.reqdata }),
		"respsize":     num(func(e *event) int64 { return e.resphdr + e.respdata }),
		"reqhdrsize":   num(func(e *event) int64 { return e.reqhdr }),
		"reqdatasize":  num(func(e *event) int64 { return e.reqdata }),
		"resphdrsize":  num(func(e *event) int64 { return e.resphdr }),
		"respdatasize": num(func(e *event) int64 { return e.respdata }),
		"totalsize":    num(func(e *event) int64 { return e.reqhdr + e.reqdata + e.resphdr + e.respdata }),
		"clt_sport":    num(func(e *event) int64 { return e.cltSport }),
		"riskscore":    num(func(e *event) int64 { return e.risk }),
		"threatseverity": sel(func(e *event) []byte {
			return sevNames[severityIndex(e.risk)]
		}),
		"threatname": txt(func(e *event, dst []byte) []byte { return append(dst, e.threatName...) }),
		"malwarecat": txt(func(e *event, dst []byte) []byte { return append(dst, e.malwarecat...) }),
		"malwareclass": cls(func(cm *classModel) []byte {
			if cm.web.threat == nil {
				return bNone
			}
			return cm.web.threat.class
		}),
		"filetype": txt(func(e *event, dst []byte) []byte { return append(dst, e.filetype...) }),
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
		"contenttype":       txt(func(e *event, dst []byte) []byte { return append(dst, e.ctype...) }),
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
		"datacenter":        txt(func(e *event, dst []byte) []byte { return append(dst, e.dc[0]...) }),
		"datacentercity":    txt(func(e *event, dst []byte) []byte { return append(dst, e.dc[1]...) }),
		"datacentercountry": txt(func(e *event, dst []byte) []byte { return append(dst, e.dc[2]...) }),
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
		"srvcertchainvalpass": txt(func(e *event, dst []byte) []byte {
			switch {
			case e.cls.web.badCert:
				return append(dst, "Fail"...)
			case e.https:
				return append(dst, "Pass"...)
			}
			return append(dst, "UNKNOWN"...)
		}),
		"srvwildcardcert":       ifHTTPS("No", "UNKNOWN"),
		"serversslsessreuse":    ifHTTPS("No", "UNKNOWN"),
		"srvcertvalidationtype": ifHTTPS("DV", "None"),
		"srvcertvalidityperiod": ifHTTPS("Short", "None"),
		"is_ssluntrustedca": txt(func(e *event, dst []byte) []byte {
			if e.cls.web.badCert {
				return append(dst, bYes...)
			}
			return append(dst, bNo...)
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
	alias(fs, txt(func(e *event, dst []byte) []byte { return append(dst, e.site.host...) }), "host", "ehost")
	alias(fs, txt(func(e *event, dst []byte) []byte {
		if e.method[0] == 'C' {
			return append(dst, '/')
		}
		return append(dst, e.path...)
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
	return fs
}
